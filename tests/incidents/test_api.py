from datetime import UTC, datetime, timedelta

from tests.factories import add_user, login

NOW = datetime.now(UTC)


def report(**overrides):
    body = {
        "area": "drugs",
        "title": "Heroin seizure at the border crossing",
        "description": "Customs found 40 kg in a lorry.",
        "occurred_at": (NOW - timedelta(hours=2)).isoformat(),
        "severity": "Severe",
        "urgency": "Immediate",
        "certainty": "Observed",
        "location": {"type": "Point", "coordinates": [27.56, 53.9]},
        "country": "BLR",
        "classification": "CONFIDENTIAL",
        "releasable_to": ["BLR", "KAZ"],
    }
    body.update(overrides)
    return body


async def test_a_duty_officer_reports_an_incident_owned_by_their_state(client):
    await add_user(client.app.state.db, username="blr.duty", state="BLR", roles=["duty_officer"])
    csrf = await login(client, "blr.duty")
    answer = await client.post("/api/v1/incidents", json=report(), headers={"X-CSRF-Token": csrf})
    assert answer.status_code == 201, answer.text
    incident = answer.json()
    assert incident["owner"] == "BLR"
    assert incident["classification"] == "CONFIDENTIAL"
    assert incident["releasable_to"] == ["BLR", "KAZ"]
    assert incident["version"] == 1
    assert incident["location"] == {"type": "Point", "coordinates": [27.56, 53.9]}


async def test_a_confidential_belarus_record_is_seen_only_where_released(client):
    db = client.app.state.db
    await add_user(db, username="blr.duty", state="BLR", roles=["duty_officer"])
    await add_user(db, username="kaz.analyst", state="KAZ", clearance="CONFIDENTIAL")
    await add_user(db, username="arm.analyst", state="ARM", clearance="SECRET")
    await add_user(db, username="kaz.low", state="KAZ", clearance="RESTRICTED")
    csrf = await login(client, "blr.duty")
    created = await client.post("/api/v1/incidents", json=report(), headers={"X-CSRF-Token": csrf})
    incident_id = created.json()["id"]
    for username, sees in (("kaz.analyst", True), ("arm.analyst", False), ("kaz.low", False)):
        client.cookies.clear()
        await login(client, username)
        single = await client.get(f"/api/v1/incidents/{incident_id}")
        listed = await client.get("/api/v1/incidents", params={"q": "heroin"})
        assert single.status_code == (200 if sees else 404), username
        assert len(listed.json()["items"]) == (1 if sees else 0), username
    client.cookies.clear()
    assert (await client.get(f"/api/v1/incidents/{incident_id}")).status_code == 401


async def test_a_latitude_of_91_is_refused_naming_the_field_and_nothing_is_stored(client):
    await add_user(client.app.state.db, username="blr.duty", state="BLR", roles=["duty_officer"])
    csrf = await login(client, "blr.duty")
    bad = report(location={"type": "Point", "coordinates": [27.5, 91]})
    answer = await client.post("/api/v1/incidents", json=bad, headers={"X-CSRF-Token": csrf})
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "location.coordinates"
    assert "latitude" in answer.json()["error"]["message"]
    assert (await client.get("/api/v1/incidents")).json()["items"] == []


async def test_a_stale_version_is_refused_with_409(client):
    await add_user(client.app.state.db, username="blr.duty", state="BLR", roles=["duty_officer"])
    csrf = await login(client, "blr.duty")
    headers = {"X-CSRF-Token": csrf}
    created = (await client.post("/api/v1/incidents", json=report(), headers=headers)).json()
    path = f"/api/v1/incidents/{created['id']}"
    first = await client.patch(path, json={"version": 1, "status": "verified"}, headers=headers)
    assert first.status_code == 200, first.text
    assert first.json()["version"] == 2
    second = await client.patch(path, json={"version": 1, "title": "Other"}, headers=headers)
    assert second.status_code == 409
    assert (await client.get(path)).json()["title"] == created["title"]
