import asyncio

from tests.contract import assert_access_contract, count_events
from tests.council.helpers import (
    STATES,
    as_delegate,
    as_secretariat,
    as_user,
    open_draft,
    planned_session,
    session_body,
    take_position,
)


async def test_the_secretariat_plans_a_session_known_only_by_quarter_and_makes_it_exact(client):
    headers = await as_secretariat(client)
    answer = await client.post(
        "/api/v1/sessions",
        json=session_body(title="Next session", held_on=None, year=2024, quarter=4, city="Astana"),
        headers=headers,
    )
    assert answer.status_code == 201, answer.text
    record = answer.json()
    assert (record["year"], record["quarter"], record["held_on"]) == (2024, 4, None)
    assert record["when"] == "Q4 2024"
    assert record["owner"] == "ORG"
    changed = await client.patch(
        f"/api/v1/sessions/{record['id']}",
        json={"version": record["version"], "held_on": "2024-11-28", "venue": "Akorda"},
        headers=headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["held_on"] == "2024-11-28"
    stale = await client.patch(
        f"/api/v1/sessions/{record['id']}",
        json={"version": record["version"], "venue": "Elsewhere"},
        headers=headers,
    )
    assert stale.status_code == 409


async def test_planning_sessions_follows_the_access_contract(client):
    await assert_access_contract(
        client, "POST", "/api/v1/sessions", json=session_body(), allowed_roles=["secretariat"]
    )


async def test_a_session_without_a_date_or_quarter_is_refused_naming_the_field(client):
    headers = await as_secretariat(client)
    answer = await client.post("/api/v1/sessions", json=session_body(held_on=None), headers=headers)
    assert answer.status_code == 422
    assert "held_on" in answer.json()["error"]["message"]


async def test_a_represented_state_names_its_plenipotentiary(client):
    record = await planned_session(client)
    headers = await as_secretariat(client)
    path = f"/api/v1/sessions/{record['id']}/attendance"
    missing = await client.post(
        path, json={"state": "TJK", "status": "represented"}, headers=headers
    )
    assert missing.status_code == 422
    given = await client.post(
        path,
        json={
            "state": "TJK",
            "status": "represented",
            "plenipotentiary": "Ambassador R.",
            "credentials": "Credentials no. 12",
        },
        headers=headers,
    )
    assert given.status_code == 200, given.text
    listed = await client.get(path)
    assert [(row["state"], row["status"]) for row in listed.json()] == [("TJK", "represented")]


async def test_adopted_by_consensus_with_a_written_agreement_of_an_absent_member(client):
    attendance = {code: "present" for code in STATES} | {"ARM": "declined"}
    decision = await open_draft(client, attendance=attendance)
    written = await take_position(
        client, decision["id"], "ARM", "support", written=True, signed_by="N. Pashinyan"
    )
    assert written.status_code == 201, written.text
    for state in ("BLR", "KAZ", "KGZ", "RUS", "TJK"):
        answer = await take_position(client, decision["id"], state, "support")
        assert answer.status_code == 201, answer.text
    headers = await as_secretariat(client)
    closed = await client.post(f"/api/v1/decisions/{decision['id']}/close", headers=headers)
    assert closed.status_code == 200, closed.text
    result = closed.json()
    assert result["status"] == "adopted"
    assert result["reason_text"] == (
        "adopted: no objection among 6 eligible members; Armenia did not attend, agreed in writing"
    )
    assert result["states_bound"] == list(STATES)
    assert result["number"] == "CSC 2023/1"
    again = await take_position(client, decision["id"], "KAZ", "object")
    assert again.status_code == 409


async def test_an_objection_blocks_and_the_reason_names_the_objector(client):
    decision = await open_draft(client)
    await take_position(client, decision["id"], "KAZ", "object")
    headers = await as_secretariat(client)
    closed = await client.post(f"/api/v1/decisions/{decision['id']}/close", headers=headers)
    assert closed.json()["status"] == "not_adopted"
    assert closed.json()["reason_text"] == "not adopted: objection by Kazakhstan"
    assert closed.json()["states_bound"] == []
    assert closed.json()["number"] is None


async def test_only_a_states_delegate_records_its_position(client):
    decision = await open_draft(client)
    analyst = await as_user(client, "kaz.an", state="KAZ", roles=["analyst"])
    answer = await client.post(
        f"/api/v1/decisions/{decision['id']}/positions",
        json={"position": "support"},
        headers=analyst,
    )
    assert answer.status_code == 403
    delegate = await as_delegate(client, "KAZ")
    on_behalf = await client.post(
        f"/api/v1/decisions/{decision['id']}/positions",
        json={"position": "object", "state": "RUS"},
        headers=delegate,
    )
    assert on_behalf.status_code == 403
    before = await count_events(client.app.state.db)
    assert await count_events(client.app.state.db) == before


async def test_a_statement_needs_its_text(client):
    decision = await open_draft(client)
    answer = await take_position(client, decision["id"], "RUS", "statement")
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "text"


async def test_a_present_state_takes_no_written_position(client):
    decision = await open_draft(client)
    answer = await take_position(
        client, decision["id"], "KAZ", "support", written=True, signed_by="K. T."
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "written"


async def test_a_restricted_draft_is_hidden_from_states_it_is_not_released_to(client):
    decision = await open_draft(client, releasable_to=["ORG", "KAZ"])
    await as_delegate(client, "KAZ")
    assert (await client.get(f"/api/v1/decisions/{decision['id']}")).status_code == 200
    await as_delegate(client, "BLR")
    assert (await client.get(f"/api/v1/decisions/{decision['id']}")).status_code == 404
    listed = await client.get("/api/v1/decisions")
    assert decision["id"] not in [item["id"] for item in listed.json()["items"]]
    answer = await take_position(client, decision["id"], "BLR", "object")
    assert answer.status_code == 404


async def test_the_calendar_shows_visitors_only_public_sessions(client):
    await planned_session(client, title="Closed session")
    await planned_session(client, title="Open session", public=True)
    client.cookies.clear()
    answer = await client.get("/api/v1/sessions.ics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/calendar")
    assert "Open session" in answer.text
    assert "Closed session" not in answer.text
    await as_secretariat(client)
    inside = await client.get("/api/v1/sessions.ics")
    assert "Closed session" in inside.text


async def test_two_adoptions_closing_at_once_get_consecutive_numbers_on_postgresql(pg_client):
    client = pg_client
    decisions = [await open_draft(client), await open_draft(client)]
    for decision in decisions:
        for state in STATES:
            answer = await take_position(client, decision["id"], state, "support")
            assert answer.status_code == 201, answer.text
    headers = await as_secretariat(client)

    closed = await asyncio.gather(
        *(
            client.post(f"/api/v1/decisions/{decision['id']}/close", headers=headers)
            for decision in decisions
        )
    )

    assert [answer.status_code for answer in closed] == [200, 200], [a.text for a in closed]
    assert sorted(answer.json()["number"] for answer in closed) == ["CSC 2023/1", "CSC 2023/2"]
