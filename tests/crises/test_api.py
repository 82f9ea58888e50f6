"""The crises API: shapes, access per role and classification, versions, tasks and timeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.contract import count_events
from tests.factories import add_user, login

NOW = datetime.now(UTC)


def quake(**overrides):
    body = {
        "area": "emergency",
        "title": "Earthquake near Dushanbe",
        "occurred_at": (NOW - timedelta(hours=1)).isoformat(),
        "severity": "Extreme",
        "country": "TJK",
        "location": {"type": "Point", "coordinates": [68.78, 38.56]},
        "classification": "RESTRICTED",
        "releasable_to": ["ALL"],
    }
    body.update(overrides)
    return body


async def as_user(client, username, **overrides) -> dict:
    client.cookies.clear()
    if overrides:
        await add_user(client.app.state.db, username=username, **overrides)
    return {"X-CSRF-Token": await login(client, username)}


async def open_crisis(client, **overrides):
    headers = await as_user(client, "tjk.duty", state="TJK", roles=["duty_officer"])
    incident = await client.post("/api/v1/incidents", json=quake(), headers=headers)
    body = {"title": "Earthquake in Tajikistan", "incident_ids": [incident.json()["id"]]}
    body.update(overrides)
    answer = await client.post("/api/v1/crises", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json(), headers


async def test_a_duty_officer_opens_a_crisis_from_an_incident(client):
    crisis, _headers = await open_crisis(client, mode="exercise")
    assert crisis["level"] == "monitoring"
    assert crisis["mode"] == "exercise"
    assert crisis["owner"] == "TJK"
    assert crisis["affected_states"] == ["TJK"]
    assert len(crisis["incident_ids"]) == 1
    for key in ("coordinator", "liaison", "scribe", "decision_id", "decision_reference"):
        assert key in crisis
    listed = await client.get("/api/v1/crises", params={"level": "monitoring", "state": "TJK"})
    assert [item["id"] for item in listed.json()["items"]] == [crisis["id"]]
    assert listed.json()["next_cursor"] is None
    other = await client.get("/api/v1/crises", params={"level": "declared"})
    assert other.json()["items"] == []


async def test_roles_that_may_not_open_a_crisis_are_refused(client):
    for role in ("analyst", "delegate", "press"):
        headers = await as_user(client, f"kaz.{role}", state="KAZ", roles=[role])
        before = await count_events(client.app.state.db)
        answer = await client.post("/api/v1/crises", json={"title": "x"}, headers=headers)
        assert answer.status_code == 403, role
        assert await count_events(client.app.state.db) == before
    client.cookies.clear()
    assert (await client.post("/api/v1/crises", json={"title": "x"})).status_code == 401


async def test_an_unknown_incident_is_refused_naming_the_field_and_nothing_is_stored(client):
    headers = await as_user(client, "tjk.duty", state="TJK", roles=["duty_officer"])
    body = {"title": "Quake", "incident_ids": ["00000000-0000-4000-8000-000000000000"]}
    answer = await client.post("/api/v1/crises", json=body, headers=headers)
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "incident_ids.0"
    assert (await client.get("/api/v1/crises")).json()["items"] == []


async def test_a_confidential_crisis_is_seen_only_where_released_and_cleared(client):
    crisis, _ = await open_crisis(
        client, classification="CONFIDENTIAL", releasable_to=["TJK", "KAZ", "ORG"]
    )
    db = client.app.state.db
    await add_user(db, username="kaz.analyst", state="KAZ", clearance="CONFIDENTIAL")
    await add_user(db, username="arm.analyst", state="ARM", clearance="SECRET")
    await add_user(db, username="kaz.low", state="KAZ", clearance="RESTRICTED")
    for username, sees in (("kaz.analyst", True), ("arm.analyst", False), ("kaz.low", False)):
        await as_user(client, username)
        single = await client.get(f"/api/v1/crises/{crisis['id']}")
        listed = await client.get("/api/v1/crises")
        timeline = await client.get(f"/api/v1/crises/{crisis['id']}/timeline")
        assert single.status_code == (200 if sees else 404), username
        assert timeline.status_code == (200 if sees else 404), username
        assert len(listed.json()["items"]) == (1 if sees else 0), username


async def test_a_visible_crisis_is_changed_only_by_its_owner_or_the_secretariat(client):
    crisis, _ = await open_crisis(client)
    path = f"/api/v1/crises/{crisis['id']}"
    headers = await as_user(client, "kaz.duty", state="KAZ", roles=["duty_officer"])
    before = await count_events(client.app.state.db)
    refused = await client.patch(path, json={"version": 1, "title": "Mine"}, headers=headers)
    assert refused.status_code == 403
    assert await count_events(client.app.state.db) == before
    headers = await as_user(
        client, "org.sec", state="ORG", roles=["secretariat"], clearance="SECRET"
    )
    changed = await client.patch(
        path, json={"version": crisis["version"], "coordinator": "org.sec"}, headers=headers
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["coordinator"] == "org.sec"
    stale = await client.patch(
        path, json={"version": crisis["version"], "title": "Late"}, headers=headers
    )
    assert stale.status_code == 409
    assert (await client.get(path)).json()["title"] == "Earthquake in Tajikistan"


async def test_escalations_over_http_and_the_timeline_says_who_and_why(client):
    crisis, tjk = await open_crisis(client)
    path = f"/api/v1/crises/{crisis['id']}"
    asked = await client.post(
        f"{path}/escalations",
        json={"level": "consultations", "reason": "Aftershocks expected"},
        headers=tjk,
    )
    assert asked.status_code == 201, asked.text
    assert asked.json()["level"] == "consultations"
    refused = await client.post(
        f"{path}/escalations", json={"level": "declared", "reason": "now"}, headers=tjk
    )
    assert refused.status_code == 403
    missing_reason = await client.post(
        f"{path}/escalations", json={"level": "monitoring", "reason": ""}, headers=tjk
    )
    assert missing_reason.status_code == 422
    sec = await as_user(client, "org.sec", state="ORG", roles=["secretariat"], clearance="SECRET")
    declared = await client.post(
        f"{path}/escalations", json={"level": "declared", "reason": "Beyond means"}, headers=sec
    )
    assert declared.status_code == 201
    timeline = (await client.get(f"{path}/timeline")).json()["items"]
    moves = [(e["actor"], e["to_level"], e["reason"]) for e in timeline if e["kind"] == "escalated"]
    assert moves == [
        ("tjk.duty", "consultations", "Aftershocks expected"),
        ("org.sec", "declared", "Beyond means"),
    ]


async def test_incidents_are_linked_and_unlinked_once(client):
    crisis, tjk = await open_crisis(client)
    path = f"/api/v1/crises/{crisis['id']}"
    second = await client.post(
        "/api/v1/incidents", json=quake(title="Landslide in Rasht"), headers=tjk
    )
    incident_id = second.json()["id"]
    linked = await client.post(
        f"{path}/incidents", json={"incident_ids": [incident_id]}, headers=tjk
    )
    assert linked.status_code == 201
    assert incident_id in linked.json()["incident_ids"]
    again = await client.post(
        f"{path}/incidents", json={"incident_ids": [incident_id]}, headers=tjk
    )
    assert again.status_code == 409
    removed = await client.delete(f"{path}/incidents/{incident_id}", headers=tjk)
    assert removed.status_code == 200
    assert incident_id not in removed.json()["incident_ids"]
    assert (await client.delete(f"{path}/incidents/{incident_id}", headers=tjk)).status_code == 404


async def test_tasks_have_owners_and_deadlines_and_the_owner_marks_theirs_done(client):
    crisis, tjk = await open_crisis(client)
    await add_user(client.app.state.db, username="tjk.analyst", state="TJK", roles=["analyst"])
    path = f"/api/v1/crises/{crisis['id']}/tasks"
    past = (NOW - timedelta(hours=1)).isoformat()
    made = await client.post(
        path,
        json={"title": "Open the airport", "owner": "tjk.analyst", "deadline": past},
        headers=tjk,
    )
    assert made.status_code == 201, made.text
    task = made.json()
    assert (task["owner"], task["owner_state"], task["done"], task["overdue"]) == (
        "tjk.analyst",
        "TJK",
        False,
        True,
    )
    nobody = await client.post(path, json={"title": "x", "owner": "nobody"}, headers=tjk)
    assert nobody.status_code == 422 and nobody.json()["error"]["field"] == "owner"
    analyst = await as_user(client, "tjk.analyst")
    done = await client.patch(f"{path}/{task['id']}", json={"done": True}, headers=analyst)
    assert done.status_code == 200, done.text
    assert done.json()["done"] is True and done.json()["overdue"] is False
    listed = (await client.get(path)).json()
    assert [item["id"] for item in listed["items"]] == [task["id"]]


async def test_the_crises_api_on_postgresql(pg_client):
    crisis, tjk = await open_crisis(pg_client)
    path = f"/api/v1/crises/{crisis['id']}"
    asked = await pg_client.post(
        f"{path}/escalations", json={"level": "consultations", "reason": "x"}, headers=tjk
    )
    assert asked.status_code == 201
    assert (await pg_client.get(path)).json()["level"] == "consultations"
