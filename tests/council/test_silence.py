"""The silence procedure on both databases: strict deadlines, breaking, expiry exactly once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from accord import clock
from accord.access import Classification, Viewer
from accord.council import service, silence
from accord.council.schemas import DecisionCreate, PositionCreate
from accord.errors import Conflict, InvalidInput
from accord.jobs.service import get_job, run_due
from accord.models import Event
from accord.models.council_decision import CouncilDecision

NOW = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
SECRETARIAT = Viewer("ORG", Classification.SECRET, frozenset({"secretariat"}), username="org.sec")


def delegate(state: str) -> Viewer:
    return Viewer(
        state, Classification.CONFIDENTIAL, frozenset({"delegate"}), username=f"{state}.del"
    )


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    clock.freeze(NOW)
    yield
    clock.freeze(None)


async def launched(db, deadline: datetime = NOW + timedelta(hours=1)) -> CouncilDecision:
    async with db.transaction() as session:
        decision = await service.draft_decision(
            session,
            SECRETARIAT,
            DecisionCreate(title="Statement on the situation", texts={"en": "…", "ru": "…"}),
        )
        await silence.launch_silence(session, SECRETARIAT, decision.id, deadline)
        return decision


async def position(db, decision_id, state: str, kind: str, **extra) -> None:
    async with db.transaction() as session:
        await service.record_position(
            session, delegate(state), decision_id, PositionCreate(position=kind, **extra)
        )


async def reload(db, decision_id) -> CouncilDecision:
    async with db.transaction() as session:
        return await session.get(CouncilDecision, decision_id)


async def test_a_deadline_in_the_past_or_now_is_refused(db):
    with pytest.raises(InvalidInput) as refused:
        await launched(db, deadline=NOW)
    assert refused.value.field == "deadline"


async def test_at_the_deadline_with_no_objection_it_is_adopted_and_numbered_once(db):
    decision = await launched(db)
    await position(db, decision.id, "RUS", "statement", text="Russia reads this as …")
    assert await run_due(db, now=NOW + timedelta(minutes=59)) == 0
    clock.freeze(NOW + timedelta(hours=1))
    assert await run_due(db) == 1
    stored = await reload(db, decision.id)
    assert stored.status == "adopted"
    assert stored.number == "CSC 2024/1"
    assert stored.reason["statements"] == ["RUS"]
    assert len(stored.states_bound) == 6
    clock.freeze(NOW + timedelta(hours=2))
    assert await run_due(db) == 0
    async with db.transaction() as session:
        adopted = await session.execute(
            select(Event).where(Event.kind == "decision.adopted", Event.subject == str(decision.id))
        )
        assert len(adopted.all()) == 1


async def test_an_objection_strictly_before_the_deadline_breaks_the_silence(db):
    decision = await launched(db)
    clock.freeze(NOW + timedelta(hours=1) - timedelta(microseconds=1))
    await position(db, decision.id, "KAZ", "amend", text="Replace paragraph 2")
    stored = await reload(db, decision.id)
    assert stored.status == "not_adopted"
    assert stored.reason["code"] == "silence_broken"
    assert stored.reason["blocking"] == ["KAZ"]
    async with db.transaction() as session:
        assert await get_job(session, silence.job_key(decision.id)) is None
        kinds = (
            await session.execute(select(Event.kind).where(Event.subject == str(decision.id)))
        ).scalars()
        assert "decision.silence_broken" in set(kinds)
    clock.freeze(NOW + timedelta(hours=2))
    assert await run_due(db) == 0
    assert (await reload(db, decision.id)).status == "not_adopted"


async def test_an_objection_received_at_the_deadline_counts_for_nothing(db):
    decision = await launched(db)
    clock.freeze(NOW + timedelta(hours=1))
    with pytest.raises(Conflict):
        await position(db, decision.id, "KAZ", "object")
    assert (await reload(db, decision.id)).status == "silence"
    assert await run_due(db) == 1
    assert (await reload(db, decision.id)).status == "adopted"


async def test_a_suspended_member_takes_no_position(db):
    decision = await launched(db)
    async with db.transaction() as session:
        from accord.members import repository as members

        state = await members.get_state(session, "KGZ")
        state.status = "suspended"
    with pytest.raises(Exception) as refused:
        await position(db, decision.id, "KGZ", "object")
    assert refused.value.status == 403
    assert (await reload(db, decision.id)).status == "silence"
