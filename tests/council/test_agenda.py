"""Editing and reordering a session's agenda, on the API and on the session page."""

from __future__ import annotations

from tests.council.helpers import as_delegate, as_secretariat, open_draft, planned_session
from tests.council.test_pages import csrf_of


async def _session_with_items(client, *titles: str) -> tuple[dict, list[dict]]:
    record = await planned_session(client)
    headers = await as_secretariat(client)
    for title in titles:
        answer = await client.post(
            f"/api/v1/sessions/{record['id']}/agenda", json={"title": title}, headers=headers
        )
        assert answer.status_code == 201, answer.text
    items = (await client.get(f"/api/v1/sessions/{record['id']}/agenda")).json()
    current = (await client.get(f"/api/v1/sessions/{record['id']}")).json()
    return current, items


async def test_the_secretariat_edits_an_item_and_the_sessions_version_moves(client):
    record, items = await _session_with_items(client, "Adoption of the agenda", "Budget")
    headers = await as_secretariat(client)
    path = f"/api/v1/sessions/{record['id']}/agenda/{items[1]['id']}"
    changed = await client.patch(
        path,
        json={
            "version": record["version"],
            "title": "Budget for 2024",
            "description": "Scale of shares",
            "procedural": True,
        },
        headers=headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json() | {"id": None} == {
        "id": None,
        "position": 2,
        "title": "Budget for 2024",
        "description": "Scale of shares",
        "procedural": True,
    }
    stale = await client.patch(
        path, json={"version": record["version"], "title": "Other"}, headers=headers
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["field"] == "version"
    empty = await client.patch(
        path, json={"version": record["version"] + 1, "title": "  "}, headers=headers
    )
    assert empty.status_code == 422
    assert empty.json()["error"]["field"] == "title"
    agenda = (await client.get(f"/api/v1/sessions/{record['id']}/agenda")).json()
    assert agenda[1]["title"] == "Budget for 2024"


async def test_the_secretariat_reorders_the_agenda_naming_every_item_once(client):
    record, items = await _session_with_items(client, "One", "Two", "Three")
    headers = await as_secretariat(client)
    path = f"/api/v1/sessions/{record['id']}/agenda/order"
    ids = [item["id"] for item in items]
    for order, field in (
        (ids[:2], "items"),
        ([ids[0], ids[0], ids[1]], "items"),
        ([ids[0], ids[1], "00000000-0000-0000-0000-000000000000"], "items.2"),
    ):
        answer = await client.put(
            path, json={"version": record["version"], "items": order}, headers=headers
        )
        assert answer.status_code == 422, order
        assert answer.json()["error"]["field"] == field
    answer = await client.put(
        path, json={"version": record["version"], "items": ids[::-1]}, headers=headers
    )
    assert answer.status_code == 200, answer.text
    agenda = (await client.get(f"/api/v1/sessions/{record['id']}/agenda")).json()
    assert [(item["position"], item["title"]) for item in agenda] == [
        (1, "Three"),
        (2, "Two"),
        (3, "One"),
    ]
    stale = await client.put(
        path, json={"version": record["version"], "items": ids}, headers=headers
    )
    assert stale.status_code == 409


async def test_others_may_not_change_the_agenda_and_hidden_sessions_are_not_found(client):
    record, items = await _session_with_items(client, "One", "Two")
    _other, other_items = await _session_with_items(client, "Elsewhere")
    headers = await as_delegate(client, "KAZ")
    path = f"/api/v1/sessions/{record['id']}/agenda/{items[0]['id']}"
    answer = await client.patch(
        path, json={"version": record["version"], "title": "X"}, headers=headers
    )
    assert answer.status_code == 403
    answer = await client.put(
        f"/api/v1/sessions/{record['id']}/agenda/order",
        json={"version": record["version"], "items": [items[1]["id"], items[0]["id"]]},
        headers=headers,
    )
    assert answer.status_code == 403
    headers = await as_secretariat(client)
    foreign = f"/api/v1/sessions/{record['id']}/agenda/{other_items[0]['id']}"
    answer = await client.patch(
        foreign, json={"version": record["version"], "title": "X"}, headers=headers
    )
    assert answer.status_code == 404
    hidden = await planned_session(client, releasable_to=["ORG"], classification="CONFIDENTIAL")
    headers = await as_delegate(client, "KAZ")
    answer = await client.put(
        f"/api/v1/sessions/{hidden['id']}/agenda/order",
        json={"version": hidden["version"], "items": [items[0]["id"]]},
        headers=headers,
    )
    assert answer.status_code == 404
    agenda = (await client.get(f"/api/v1/sessions/{record['id']}/agenda")).json()
    assert [item["title"] for item in agenda] == ["One", "Two"]


async def test_an_items_marking_no_longer_changes_once_its_decision_is_put_to_the_vote(client):
    decision = await open_draft(client)
    headers = await as_secretariat(client)
    record = (await client.get(f"/api/v1/sessions/{decision['session_id']}")).json()
    answer = await client.patch(
        f"/api/v1/sessions/{record['id']}/agenda/{decision['agenda_item_id']}",
        json={"version": record["version"], "procedural": True},
        headers=headers,
    )
    assert answer.status_code == 409
    assert answer.json()["error"]["field"] == "procedural"


async def test_the_session_page_edits_and_moves_agenda_items(client):
    record, items = await _session_with_items(client, "One", "Two")
    await as_secretariat(client)
    page = await client.get(f"/council/sessions/{record['id']}")
    token = csrf_of(page.text)
    assert f'action="/council/sessions/{record["id"]}/agenda/{items[0]["id"]}/move"' in page.text
    moved = await client.post(
        f"/council/sessions/{record['id']}/agenda/{items[1]['id']}/move",
        data={"csrf_token": token, "version": str(record["version"]), "direction": "up"},
    )
    assert moved.status_code == 303, moved.text
    page = await client.get(moved.headers["location"])
    assert "Agenda reordered." in page.text
    assert page.text.index(f'data-item="{items[1]["id"]}"') < page.text.index(
        f'data-item="{items[0]["id"]}"'
    )
    stale = await client.post(
        f"/council/sessions/{record['id']}/agenda/{items[0]['id']}",
        data={"csrf_token": token, "version": str(record["version"]), "title": "Changed"},
    )
    assert stale.status_code == 409
    assert "reload it" in stale.text
    changed = await client.post(
        f"/council/sessions/{record['id']}/agenda/{items[0]['id']}",
        data={
            "csrf_token": token,
            "version": str(record["version"] + 1),
            "title": "One, amended",
            "procedural": "on",
        },
    )
    assert changed.status_code == 303, changed.text
    page = await client.get(changed.headers["location"])
    assert "One, amended" in page.text
    assert f'data-item="{items[0]["id"]}" data-procedural="1"' in page.text
    await as_delegate(client, "KAZ")
    page = await client.get(f"/council/sessions/{record['id']}")
    assert "/move" not in page.text
