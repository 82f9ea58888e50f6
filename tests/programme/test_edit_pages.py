"""Editing the programme in the browser: only the secretariat, forms that say what is wrong, links
only to records the editor can see."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accord.clock import utcnow
from accord.models.programme_priority import ProgrammePriority
from accord.models.programme_programme import Programme
from tests.contract import client_on, count_events, count_rows
from tests.factories import add_user, login, user_with_session
from tests.press.helpers import as_secretariat, public_session
from tests.programme.test_api import PROGRAMME


async def secretariat(client) -> str:
    _user, csrf = await user_with_session(
        client, state="ORG", roles=["secretariat"], clearance="SECRET"
    )
    return csrf


async def programme_json(client, year: int) -> dict:
    items = (await client.get("/api/v1/programmes")).json()["items"]
    return next(item for item in items if item["year"] == year)


async def test_the_secretariat_builds_a_programme_on_the_pages(client):
    csrf = await secretariat(client)
    form = await client.get("/programme/new")
    assert form.status_code == 200 and 'name="motto_ru"' in form.text
    created = await client.post(
        "/programme/new",
        data={
            "csrf_token": csrf,
            "year": "2025",
            "state": "KGZ",
            "motto_en": "Together",
            "motto_ru": "Вместе",
        },
    )
    assert created.status_code == 303, created.text
    assert created.headers["location"] == "/programme/2025/edit?saved=created"
    page = await client.get(created.headers["location"])
    assert "Programme created." in page.text and "Together" in page.text

    added = await client.post(
        "/programme/2025/priorities",
        data={"csrf_token": csrf, "en_title": "Emergencies", "ru_title": "ЧС", "area": "emergency"},
    )
    assert added.status_code == 303, added.text
    priority = (await programme_json(client, 2025))["priorities"][0]
    assert priority["titles"] == {"en": "Emergencies", "ru": "ЧС"}
    assert priority["area"] == "emergency"

    activity = await client.post(
        f"/programme/2025/priorities/{priority['id']}/activities",
        data={
            "csrf_token": csrf,
            "en_title": "Rescue drill",
            "ru_title": "",
            "owner_body": "joint_staff",
            "starts_on": "2025-03-01",
            "ends_on": "2025-03-31",
            "status": "planned",
        },
    )
    assert activity.status_code == 303, activity.text
    edit_page = await client.get(activity.headers["location"])
    assert "Activity added." in edit_page.text and "Rescue drill" in edit_page.text
    read = (await programme_json(client, 2025))["priorities"][0]["activities"][0]
    assert (read["owner_body"], read["starts_on"], read["status"]) == (
        "joint_staff",
        "2025-03-01",
        "planned",
    )

    path = f"/programme/2025/activities/{read['id']}"
    assert (await client.get(path)).status_code == 200
    changed = await client.post(
        path,
        data={
            "csrf_token": csrf,
            "version": str(read["version"]),
            "en_title": "Joint rescue drill",
            "ru_title": "Учение спасателей",
            "owner_body": "secretariat",
            "starts_on": "2025-04-01",
            "ends_on": "",
            "status": "in_progress",
        },
    )
    assert changed.status_code == 303, changed.text
    assert "Activity saved." in (await client.get(changed.headers["location"])).text
    read = (await programme_json(client, 2025))["priorities"][0]["activities"][0]
    assert read["titles"] == {"en": "Joint rescue drill", "ru": "Учение спасателей"}
    assert (read["owner_body"], read["starts_on"], read["ends_on"], read["status"]) == (
        "secretariat",
        "2025-04-01",
        None,
        "in_progress",
    )

    version = (await programme_json(client, 2025))["version"]
    motto = await client.post(
        "/programme/2025/edit",
        data={"csrf_token": csrf, "version": str(version), "state": "KGZ", "motto_en": "United"},
    )
    assert motto.status_code == 303, motto.text
    assert (await programme_json(client, 2025))["motto"] == {"en": "United"}
    shown = await client.get("/programme/2025")
    assert 'href="/programme/2025/edit"' in shown.text and "United" in shown.text


async def test_an_activity_is_linked_to_a_session_and_unlinked(client):
    session = await public_session(client, "Bishkek session")
    await as_secretariat(client, "POST", "/api/v1/programmes", json=PROGRAMME)
    csrf = await secretariat(client)
    activity = (await programme_json(client, 2024))["priorities"][0]["activities"][0]
    path = f"/programme/2024/activities/{activity['id']}"
    page = await client.get(path)
    value = f"session:{session['id']}"
    assert f'<option value="{value}"' in page.text and "Bishkek session" in page.text
    linked = await client.post(
        f"{path}/links", data={"csrf_token": csrf, "version": "1", "link": value}
    )
    assert linked.status_code == 303, linked.text
    page = await client.get(linked.headers["location"])
    assert "Record linked." in page.text and f'data-link="{value}"' in page.text
    read = (await programme_json(client, 2024))["priorities"][0]["activities"][0]
    assert [link["id"] for link in read["links"]] == [session["id"]]
    assert "Bishkek session" in (await client.get("/programme/2024")).text

    again = await client.post(
        f"{path}/links", data={"csrf_token": csrf, "version": str(read["version"]), "link": value}
    )
    assert again.status_code == 422 and "already" in again.text
    removed = await client.post(
        f"{path}/links/remove",
        data={"csrf_token": csrf, "version": str(read["version"]), "link": value},
    )
    assert removed.status_code == 303, removed.text
    read = (await programme_json(client, 2024))["priorities"][0]["activities"][0]
    assert read["links"] == []


async def test_a_record_the_editor_cannot_see_is_neither_offered_nor_linked(client):
    app = client.app
    await add_user(app.state.db, username="kaz.duty", state="KAZ", roles=["duty_officer"])
    async with client_on(app) as kazakh:
        headers = {"X-CSRF-Token": await login(kazakh, "kaz.duty")}
        incident = await kazakh.post(
            "/api/v1/incidents",
            json={
                "area": "terrorism",
                "title": "Cell uncovered in Almaty",
                "description": "Kept within Kazakhstan.",
                "occurred_at": (utcnow() - timedelta(hours=2)).isoformat(),
                "severity": "Severe",
                "urgency": "Immediate",
                "certainty": "Observed",
                "location": {"type": "Point", "coordinates": [76.9, 43.2]},
                "country": "KAZ",
                "classification": "CONFIDENTIAL",
                "releasable_to": ["KAZ"],
            },
            headers=headers,
        )
        assert incident.status_code == 201, incident.text
    hidden = incident.json()["id"]
    await as_secretariat(client, "POST", "/api/v1/programmes", json=PROGRAMME)
    csrf = await secretariat(client)
    activity = (await programme_json(client, 2024))["priorities"][0]["activities"][0]
    path = f"/programme/2024/activities/{activity['id']}"
    page = await client.get(path)
    assert "Cell uncovered" not in page.text and hidden not in page.text
    events = await count_events(app.state.db)
    refused = await client.post(
        f"{path}/links",
        data={"csrf_token": csrf, "version": "1", "link_other": f"incident:{hidden}"},
    )
    assert refused.status_code == 422
    assert 'data-field="link"' in refused.text and "that you can see" in refused.text
    assert f'value="incident:{hidden}"' in refused.text
    assert (await programme_json(client, 2024))["priorities"][0]["activities"][0]["links"] == []
    assert await count_events(app.state.db) == events


async def test_bad_input_is_refused_on_the_page_and_changes_nothing(client):
    await as_secretariat(client, "POST", "/api/v1/programmes", json=PROGRAMME)
    csrf = await secretariat(client)
    before = await count_rows(client.app.state.db, ProgrammePriority)
    untitled = await client.post(
        "/programme/2024/priorities", data={"csrf_token": csrf, "en_title": " ", "ru_title": ""}
    )
    assert untitled.status_code == 422
    assert 'data-field="titles"' in untitled.text and 'data-form="new-priority"' in untitled.text
    assert await count_rows(client.app.state.db, ProgrammePriority) == before

    priority = (await programme_json(client, 2024))["priorities"][0]
    backwards = await client.post(
        f"/programme/2024/priorities/{priority['id']}/activities",
        data={
            "csrf_token": csrf,
            "en_title": "Backwards",
            "owner_body": "secretariat",
            "starts_on": "2024-05-01",
            "ends_on": "2024-04-01",
            "status": "planned",
        },
    )
    assert backwards.status_code == 422
    assert "ends before it starts" in backwards.text and 'value="Backwards"' in backwards.text
    assert len((await programme_json(client, 2024))["priorities"][0]["activities"]) == 2

    taken = await client.post("/programme/new", data={"csrf_token": csrf, "year": "2024"})
    assert taken.status_code == 409 and 'data-field="year"' in taken.text
    assert await count_rows(client.app.state.db, Programme) == 1

    activity = priority["activities"][0]
    stale = await client.post(
        f"/programme/2024/activities/{activity['id']}",
        data={
            "csrf_token": csrf,
            "version": "9",
            "en_title": "Renamed",
            "owner_body": "secretariat",
            "status": activity["status"],
        },
    )
    assert stale.status_code == 409 and "reload it" in stale.text
    leap = await client.post(
        f"/programme/2024/activities/{priority['activities'][1]['id']}",
        data={
            "csrf_token": csrf,
            "version": "1",
            "en_title": "Common list",
            "owner_body": "secretariat",
            "status": "nonsense",
        },
    )
    assert leap.status_code == 422 and 'data-field="status"' in leap.text


@pytest.mark.parametrize(
    ("state", "role"),
    [("KAZ", "analyst"), ("ORG", "press"), ("KAZ", "delegate"), ("ORG", "admin")],
)
async def test_only_the_secretariat_edits_the_programme_on_the_pages(client, state, role):
    created = await as_secretariat(client, "POST", "/api/v1/programmes", json=PROGRAMME)
    priority = created["priorities"][0]
    activity = priority["activities"][0]
    _user, csrf = await user_with_session(client, state=state, roles=[role], clearance="SECRET")
    assert "/programme/2024/edit" not in (await client.get("/programme/2024")).text
    for path in (
        "/programme/new",
        "/programme/2024/edit",
        f"/programme/2024/activities/{activity['id']}",
    ):
        assert (await client.get(path)).status_code == 403, path
    for path, data in (
        ("/programme/new", {"year": "2030"}),
        ("/programme/2024/priorities", {"en_title": "Mine"}),
        (f"/programme/2024/priorities/{priority['id']}", {"version": "1", "en_title": "Mine"}),
        (f"/programme/2024/activities/{activity['id']}/links", {"version": "1", "link": "x:y"}),
    ):
        answer = await client.post(path, data={"csrf_token": csrf, **data})
        assert answer.status_code == 403, path
    assert (await programme_json(client, 2024))["priorities"][0]["titles"]["en"] == (
        "Counter-terrorism"
    )
    assert await count_rows(client.app.state.db, Programme) == 1


async def test_the_editing_pages_need_a_login(client):
    for path in ("/programme/new", "/programme/2024/edit"):
        answer = await client.get(path)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
