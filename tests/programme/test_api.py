"""The programme API: the secretariat edits, everyone logged in reads, links are filtered."""

from __future__ import annotations

import uuid

from accord.clock import utcnow
from accord.models.programme_programme import Programme
from tests.contract import assert_access_contract, count_rows
from tests.factories import user_with_session

PROGRAMME = {
    "year": 2024,
    "state": "KAZ",
    "motto": {"en": "Together for peace", "ru": "Вместе ради мира"},
    "priorities": [
        {
            "titles": {"en": "Counter-terrorism", "ru": "Борьба с терроризмом"},
            "area": "terrorism",
            "activities": [
                {"titles": {"en": "Joint exercise"}, "owner_body": "joint_staff", "status": "done"},
                {"titles": {"en": "Common list"}, "owner_body": "secretariat"},
            ],
        },
        {"titles": {"en": "Emergencies"}, "activities": []},
    ],
}


async def secretariat(client):
    _user, csrf = await user_with_session(
        client, state="ORG", roles=["secretariat"], clearance="SECRET"
    )
    return {"X-CSRF-Token": csrf}


async def test_only_the_secretariat_creates_a_programme(client):
    answer = await assert_access_contract(
        client, "POST", "/api/v1/programmes", json=PROGRAMME, allowed_roles=["secretariat"]
    )
    assert answer.status_code == 201
    body = answer.json()
    assert body["year"] == 2024 and body["state"] == "KAZ"
    assert body["classification"] == "PUBLIC" and body["releasable_to"] == ["ALL"]
    assert [p["progress"]["total"] for p in body["priorities"]] == [2, 0]
    assert body["priorities"][0]["progress"]["percent"] == 50
    assert body["progress"] == {
        "total": 2,
        "done": 1,
        "in_progress": 0,
        "long_term": 0,
        "planned": 1,
        "percent": 50,
    }


async def test_every_logged_in_user_reads_programmes(client):
    headers = await secretariat(client)
    created = (await client.post("/api/v1/programmes", json=PROGRAMME, headers=headers)).json()
    await user_with_session(client, state="ARM", roles=["duty_officer"], clearance="RESTRICTED")
    listed = await client.get("/api/v1/programmes")
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()["items"]] == [created["id"]]
    assert listed.json()["next_cursor"] is None
    one = await client.get(f"/api/v1/programmes/{created['id']}")
    assert one.json()["motto"]["ru"] == "Вместе ради мира"
    client.cookies.clear()
    assert (await client.get("/api/v1/programmes")).status_code == 401


async def test_one_programme_per_year_and_bad_input_changes_nothing(client):
    headers = await secretariat(client)
    assert (
        await client.post("/api/v1/programmes", json=PROGRAMME, headers=headers)
    ).status_code == 201
    again = await client.post("/api/v1/programmes", json=PROGRAMME, headers=headers)
    assert again.status_code == 409
    assert again.json()["error"]["field"] == "year"
    bad_state = await client.post(
        "/api/v1/programmes", json={**PROGRAMME, "year": 2030, "state": "FRA"}, headers=headers
    )
    assert bad_state.status_code == 422 and bad_state.json()["error"]["field"] == "state"
    no_title = {
        "year": 2031,
        "state": "KGZ",
        "priorities": [{"titles": {"en": ""}}],
    }
    refused = await client.post("/api/v1/programmes", json=no_title, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "priorities.0.titles"
    unknown_link = {
        "year": 2032,
        "state": "KGZ",
        "priorities": [
            {
                "titles": {"en": "x"},
                "activities": [
                    {
                        "titles": {"en": "y"},
                        "owner_body": "secretariat",
                        "links": [{"kind": "incident", "id": str(uuid.uuid4())}],
                    }
                ],
            }
        ],
    }
    refused = await client.post("/api/v1/programmes", json=unknown_link, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "priorities.0.activities.0.links.0"
    assert await count_rows(client.app.state.db, Programme) == 1


async def test_activity_status_moves_by_the_workflow_and_versions_guard_changes(client):
    headers = await secretariat(client)
    created = (await client.post("/api/v1/programmes", json=PROGRAMME, headers=headers)).json()
    activity = created["priorities"][0]["activities"][1]
    path = f"/api/v1/programmes/{created['id']}/activities/{activity['id']}"
    moved = await client.patch(path, json={"version": 1, "status": "in_progress"}, headers=headers)
    assert moved.status_code == 200, moved.text
    stale = await client.patch(path, json={"version": 1, "status": "done"}, headers=headers)
    assert stale.status_code == 409
    done = created["priorities"][0]["activities"][0]
    illegal = await client.patch(
        f"/api/v1/programmes/{created['id']}/activities/{done['id']}",
        json={"version": 1, "status": "planned"},
        headers=headers,
    )
    assert illegal.status_code == 409
    assert "in_progress" in illegal.json()["error"]["message"]


async def test_priorities_and_activities_are_added(client):
    headers = await secretariat(client)
    created = (await client.post("/api/v1/programmes", json=PROGRAMME, headers=headers)).json()
    added = await client.post(
        f"/api/v1/programmes/{created['id']}/priorities",
        json={"titles": {"en": "Drugs", "ru": "Наркотики"}, "area": "drugs"},
        headers=headers,
    )
    assert added.status_code == 201
    priority = added.json()["priorities"][-1]
    assert priority["position"] == 3
    activity = await client.post(
        f"/api/v1/programmes/{created['id']}/priorities/{priority['id']}/activities",
        json={
            "titles": {"en": "Operation Channel"},
            "owner_body": "csscs",
            "starts_on": "2024-03-01",
            "ends_on": "2024-02-01",
        },
        headers=headers,
    )
    assert activity.status_code == 422
    assert activity.json()["error"]["field"] == "ends_on"


async def test_carry_over_and_the_handover_report(client):
    headers = await secretariat(client)
    first = (await client.post("/api/v1/programmes", json=PROGRAMME, headers=headers)).json()
    refused = await client.post(f"/api/v1/programmes/{first['id']}/carry-over", headers=headers)
    assert refused.status_code == 409
    await client.post("/api/v1/programmes", json={"year": 2025, "state": "KGZ"}, headers=headers)
    carried = await client.post(f"/api/v1/programmes/{first['id']}/carry-over", headers=headers)
    assert carried.status_code == 200
    assert carried.json()["year"] == 2025
    titles = [a["titles"]["en"] for p in carried.json()["priorities"] for a in p["activities"]]
    assert titles == ["Common list"]
    again = await client.post(f"/api/v1/programmes/{first['id']}/carry-over", headers=headers)
    assert [a["titles"] for p in again.json()["priorities"] for a in p["activities"]] == [
        {"en": "Common list"}
    ]
    report = (await client.get(f"/api/v1/programmes/{first['id']}/report")).json()
    assert [i["titles"]["en"] for i in report["completed"]] == ["Joint exercise"]
    assert [i["titles"]["en"] for i in report["carried_over"]] == ["Common list"]
    assert utcnow().year >= 2024


async def test_postgresql_smoke_programme_and_report(pg_client):
    headers = await secretariat(pg_client)
    created = await pg_client.post("/api/v1/programmes", json=PROGRAMME, headers=headers)
    assert created.status_code == 201, created.text
    report = await pg_client.get(f"/api/v1/programmes/{created.json()['id']}/report")
    assert [i["titles"]["en"] for i in report.json()["completed"]] == ["Joint exercise"]


async def test_an_activity_date_given_as_null_is_cleared(client):
    headers = await secretariat(client)
    body = {
        **PROGRAMME,
        "priorities": [
            {
                "titles": {"en": "Emergencies"},
                "area": "emergency",
                "activities": [
                    {
                        "titles": {"en": "Drill"},
                        "owner_body": "joint_staff",
                        "starts_on": "2024-03-01",
                        "ends_on": "2024-03-31",
                    }
                ],
            }
        ],
    }
    created = (await client.post("/api/v1/programmes", json=body, headers=headers)).json()
    priority = created["priorities"][0]
    activity = priority["activities"][0]
    base = f"/api/v1/programmes/{created['id']}"
    changed = await client.patch(
        f"{base}/activities/{activity['id']}",
        json={"version": activity["version"], "ends_on": None},
        headers=headers,
    )
    assert changed.status_code == 200, changed.text
    after = changed.json()["priorities"][0]["activities"][0]
    assert (after["starts_on"], after["ends_on"]) == ("2024-03-01", None)
    untouched = await client.patch(
        f"{base}/activities/{activity['id']}",
        json={"version": after["version"], "titles": None},
        headers=headers,
    )
    assert untouched.json()["priorities"][0]["activities"][0]["titles"] == {"en": "Drill"}
    cleared = await client.patch(
        f"{base}/priorities/{priority['id']}",
        json={"version": priority["version"], "area": None},
        headers=headers,
    )
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["priorities"][0]["area"] is None
