from sqlalchemy import func, select

from accord.models import Event, Incident
from tests.factories import add_user, login
from tests.incidents.test_api import report


async def _duty_officer(client):
    await add_user(client.app.state.db, username="blr.duty", state="BLR", roles=["duty_officer"])
    return {"X-CSRF-Token": await login(client, "blr.duty")}


async def _count(client, model):
    async with client.app.state.db.sessions() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def test_a_batch_stores_valid_items_and_reports_invalid_ones_by_index(client):
    headers = await _duty_officer(client)
    items = [report(), report(area="unknown"), report(title="Second")]
    answer = await client.post("/api/v1/incidents/batch", json=items, headers=headers)
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [r["status"] for r in results] == ["created", "error", "created"]
    assert results[1]["error"]["field"] == "area"
    assert await _count(client, Incident) == 2


async def test_more_than_a_thousand_items_refuse_the_whole_batch(client):
    headers = await _duty_officer(client)
    answer = await client.post("/api/v1/incidents/batch", json=[report()] * 1001, headers=headers)
    assert answer.status_code == 413
    assert await _count(client, Incident) == 0


async def test_a_retried_batch_with_the_same_key_creates_nothing_twice(client):
    headers = {**await _duty_officer(client), "Idempotency-Key": "batch-42"}
    items = [report(), report(title="Other")]
    first = await client.post("/api/v1/incidents/batch", json=items, headers=headers)
    events_after_first = await _count(client, Event)
    again = await client.post("/api/v1/incidents/batch", json=items, headers=headers)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert await _count(client, Incident) == 2
    assert await _count(client, Event) == events_after_first
    different = await client.post("/api/v1/incidents/batch", json=items[:1], headers=headers)
    assert different.status_code == 409
    assert await _count(client, Incident) == 2


async def test_a_malformed_batch_body_is_refused_with_400(client):
    headers = await _duty_officer(client)
    answer = await client.post(
        "/api/v1/incidents/batch",
        content=b"[{",
        headers={**headers, "Content-Type": "application/json"},
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "malformed"
