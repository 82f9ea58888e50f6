from datetime import UTC, datetime, timedelta

import pytest

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


OPEN_RING = {"type": "Polygon", "coordinates": [[[27.0, 53.0], [28.0, 53.0], [28.0, 54.0]]]}
UNCLOSED = {"type": "Polygon", "coordinates": [[[27, 53], [28, 53], [28, 54], [27, 54]]]}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"location": UNCLOSED}, "location.coordinates", "does not close"),
        ({"location": OPEN_RING}, "location.coordinates", "four positions"),
        (
            {"location": {"type": "Point", "coordinates": [181, 10]}},
            "location.coordinates",
            "longitude",
        ),
        ({"occurred_at": (NOW + timedelta(days=1)).isoformat()}, "occurred_at", "future"),
        ({"occurred_at": "2024-05-01T08:00:00"}, "occurred_at", "timezone"),
        ({"area": "piracy"}, "area", "terrorism"),
        ({"severity": "Catastrophic"}, "severity", "Extreme"),
        ({"country": "FRA"}, "country", "member state"),
        ({"releasable_to": ["XYZ"]}, "releasable_to.0", "XYZ"),
        ({"classification": "TOP"}, "classification", "unknown level"),
        ({"title": ""}, "title", "at least 1"),
        ({"title": "x" * 201}, "title", "at most 200"),
        ({"colour": "red"}, "colour", "Extra inputs"),
    ],
)
async def test_bad_reports_are_refused_naming_the_field_and_nothing_is_stored(
    client, change, field, words
):
    await add_user(client.app.state.db, username="blr.duty", state="BLR", roles=["duty_officer"])
    csrf = await login(client, "blr.duty")
    answer = await client.post(
        "/api/v1/incidents", json=report(**change), headers={"X-CSRF-Token": csrf}
    )
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["field"] == field
    assert words.lower() in error["message"].lower()
    assert (await client.get("/api/v1/incidents")).json()["items"] == []


async def test_a_malformed_report_body_is_refused_with_400(client):
    await add_user(client.app.state.db, username="blr.duty", state="BLR", roles=["duty_officer"])
    csrf = await login(client, "blr.duty")
    answer = await client.post(
        "/api/v1/incidents",
        content=b'{"area": "drugs",',
        headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"},
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "malformed"
    assert (await client.get("/api/v1/incidents")).json()["items"] == []


async def test_a_delegate_may_not_report_incidents(client):
    await add_user(client.app.state.db, username="blr.delegate", state="BLR", roles=["delegate"])
    csrf = await login(client, "blr.delegate")
    answer = await client.post("/api/v1/incidents", json=report(), headers={"X-CSRF-Token": csrf})
    assert answer.status_code == 403
