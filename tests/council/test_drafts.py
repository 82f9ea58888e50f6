"""Withdrawing a draft, and starting again after a decision was not adopted (a broken silence)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from accord import clock
from accord.jobs.service import run_due
from accord.models import Event
from tests.council.helpers import (
    STATES,
    as_delegate,
    as_secretariat,
    open_draft,
    planned_session,
    take_position,
)
from tests.council.test_pages import csrf_of

NOW = datetime.now(UTC).replace(microsecond=0)
DRAFT = {"title": "Statement on the border situation", "texts": {"en": "The Council…"}}


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    clock.freeze(NOW)
    yield
    clock.freeze(None)


async def _written_draft(client) -> dict:
    headers = await as_secretariat(client)
    answer = await client.post("/api/v1/decisions", json=DRAFT, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


async def _kinds(client, subject: str) -> list[str]:
    async with client.app.state.db.transaction() as session:
        query = select(Event.kind).where(Event.subject == subject).order_by(Event.id)
        return list((await session.execute(query)).scalars())


async def _broken_silence(client) -> dict:
    draft = await _written_draft(client)
    headers = await as_secretariat(client)
    launched = await client.post(
        f"/api/v1/decisions/{draft['id']}/silence",
        json={"deadline": (NOW + timedelta(hours=1)).isoformat()},
        headers=headers,
    )
    assert launched.status_code == 200, launched.text
    objected = await take_position(client, draft["id"], "KAZ", "amend", text="Replace §2")
    assert objected.status_code == 201, objected.text
    return (await client.get(f"/api/v1/decisions/{draft['id']}")).json()


async def test_the_secretariat_withdraws_a_draft_and_it_takes_no_positions_after(client):
    draft = await _written_draft(client)
    headers = await as_secretariat(client)
    stale = await client.post(
        f"/api/v1/decisions/{draft['id']}/withdraw",
        json={"version": draft["version"] + 1},
        headers=headers,
    )
    assert stale.status_code == 409
    withdrawn = await client.post(
        f"/api/v1/decisions/{draft['id']}/withdraw",
        json={"version": draft["version"], "reason": "Superseded by the declaration"},
        headers=headers,
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["status"] == "withdrawn"
    assert "decision.withdrawn" in await _kinds(client, draft["id"])
    again = await client.post(f"/api/v1/decisions/{draft['id']}/withdraw", headers=headers)
    assert again.status_code == 409
    assert "from 'withdrawn'" in again.json()["error"]["message"]
    refused = await take_position(client, draft["id"], "ARM", "support")
    assert refused.status_code == 409


async def test_only_a_draft_is_withdrawn_and_only_by_the_secretariat(client):
    decision = await open_draft(client)
    headers = await as_delegate(client, "ARM")
    answer = await client.post(f"/api/v1/decisions/{decision['id']}/withdraw", headers=headers)
    assert answer.status_code == 403
    headers = await as_secretariat(client)
    answer = await client.post(f"/api/v1/decisions/{decision['id']}/withdraw", headers=headers)
    assert answer.status_code == 409
    assert answer.json()["error"]["field"] == "status"
    assert "decision.withdrawn" not in await _kinds(client, decision["id"])
    stored = (await client.get(f"/api/v1/decisions/{decision['id']}")).json()
    assert stored["status"] == "open"


async def test_after_a_broken_silence_the_vote_stays_closed(client):
    broken = await _broken_silence(client)
    assert broken["status"] == "not_adopted"
    assert broken["reason"]["code"] == "silence_broken"
    headers = await as_secretariat(client)
    for action in ("close", "open", "silence", "withdraw"):
        body = {"deadline": (NOW + timedelta(hours=2)).isoformat()} if action == "silence" else None
        answer = await client.post(
            f"/api/v1/decisions/{broken['id']}/{action}", json=body, headers=headers
        )
        assert answer.status_code == 409, (action, answer.text)
    late = await take_position(client, broken["id"], "ARM", "support")
    assert late.status_code == 409


async def test_after_a_broken_silence_a_new_procedure_is_launched_and_adopted(client):
    broken = await _broken_silence(client)
    headers = await as_secretariat(client)
    answer = await client.post(f"/api/v1/decisions/{broken['id']}/redraft", headers=headers)
    assert answer.status_code == 201, answer.text
    draft = answer.json()
    assert draft["id"] != broken["id"]
    assert (draft["status"], draft["procedure"]) == ("draft", "written")
    assert draft["title"] == broken["title"] and draft["texts"] == broken["texts"]
    assert draft["classification"] == broken["classification"]
    assert draft["versions"][0]["note"] == f"redrafted from {broken['id']}"
    assert "decision.redrafted" in await _kinds(client, broken["id"])
    # The broken procedure keeps its record.
    assert (await client.get(f"/api/v1/decisions/{broken['id']}")).json()["status"] == (
        "not_adopted"
    )
    launched = await client.post(
        f"/api/v1/decisions/{draft['id']}/silence",
        json={"deadline": (NOW + timedelta(minutes=20)).isoformat()},
        headers=headers,
    )
    assert launched.status_code == 200, launched.text
    clock.freeze(NOW + timedelta(minutes=20))
    assert await run_due(client.app.state.db) == 1
    adopted = (await client.get(f"/api/v1/decisions/{draft['id']}")).json()
    assert adopted["status"] == "adopted"
    assert adopted["number"]


async def test_after_a_broken_silence_the_draft_goes_on_a_sessions_agenda(client):
    broken = await _broken_silence(client)
    record = await planned_session(client, held_on=None, year=NOW.year + 1, quarter=1)
    headers = await as_secretariat(client)
    for state in STATES:
        await client.post(
            f"/api/v1/sessions/{record['id']}/attendance",
            json={"state": state, "status": "present"},
            headers=headers,
        )
    answer = await client.post(
        f"/api/v1/decisions/{broken['id']}/redraft",
        json={"session_id": record["id"]},
        headers=headers,
    )
    assert answer.status_code == 201, answer.text
    draft = answer.json()
    assert (draft["procedure"], draft["session_id"]) == ("session", record["id"])
    agenda = (await client.get(f"/api/v1/sessions/{record['id']}/agenda")).json()
    assert [item["title"] for item in agenda] == [broken["title"]]
    assert draft["agenda_item_id"] == agenda[0]["id"]
    opened = await client.post(f"/api/v1/decisions/{draft['id']}/open", headers=headers)
    assert opened.status_code == 200, opened.text
    assert (await take_position(client, draft["id"], "KAZ", "support")).status_code == 201
    headers = await as_secretariat(client)
    closed = await client.post(f"/api/v1/decisions/{draft['id']}/close", headers=headers)
    assert closed.json()["status"] == "adopted", closed.text


async def test_only_a_decision_not_adopted_starts_again_and_only_by_the_secretariat(client):
    decision = await open_draft(client)
    headers = await as_secretariat(client)
    answer = await client.post(f"/api/v1/decisions/{decision['id']}/redraft", headers=headers)
    assert answer.status_code == 409
    broken = await _broken_silence(client)
    headers = await as_delegate(client, "KAZ")
    answer = await client.post(f"/api/v1/decisions/{broken['id']}/redraft", headers=headers)
    assert answer.status_code == 403
    headers = await as_secretariat(client)
    answer = await client.post(
        f"/api/v1/decisions/{broken['id']}/redraft",
        json={"session_id": "00000000-0000-0000-0000-000000000000"},
        headers=headers,
    )
    assert answer.status_code == 404
    listed = await client.get("/api/v1/decisions", params={"title": broken["title"]})
    assert len(listed.json()["items"]) == 1


async def test_the_decision_page_withdraws_a_draft_and_starts_again_from_it(client):
    draft = await _written_draft(client)
    await as_secretariat(client)
    page = await client.get(f"/council/decisions/{draft['id']}")
    token = csrf_of(page.text)
    assert 'id="withdraw-form"' in page.text and 'id="redraft-form"' not in page.text
    withdrawn = await client.post(
        f"/council/decisions/{draft['id']}/withdraw",
        data={"csrf_token": token, "version": str(draft["version"]), "reason": "Not needed"},
    )
    assert withdrawn.status_code == 303, withdrawn.text
    page = await client.get(withdrawn.headers["location"])
    assert "The draft is withdrawn." in page.text
    assert 'data-status="withdrawn"' in page.text
    assert 'id="withdraw-form"' not in page.text and 'id="redraft-form"' in page.text
    again = await client.post(
        f"/council/decisions/{draft['id']}/withdraw",
        data={"csrf_token": token, "version": str(draft["version"] + 1)},
    )
    assert again.status_code == 409
    made = await client.post(
        f"/council/decisions/{draft['id']}/redraft", data={"csrf_token": token, "session_id": ""}
    )
    assert made.status_code == 303, made.text
    assert draft["id"] not in made.headers["location"]
    page = await client.get(made.headers["location"])
    assert "A new draft was made" in page.text
    assert f"redrafted from {draft['id']}" in page.text
    assert 'id="silence-form"' in page.text


async def test_delegates_see_neither_withdraw_nor_redraft(client):
    broken = await _broken_silence(client)
    await as_delegate(client, "ARM")
    page = await client.get(f"/council/decisions/{broken['id']}")
    assert 'id="redraft-form"' not in page.text
    answer = await client.post(
        f"/council/decisions/{broken['id']}/redraft",
        data={"csrf_token": csrf_of(page.text)},
    )
    assert answer.status_code == 403
