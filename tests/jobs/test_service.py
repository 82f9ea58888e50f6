"""The scheduler on both backends: once only, rescheduling, cancelling, failures and retries."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from accord.db import Database
from accord.jobs import service as jobs
from accord.models import Event
from accord.models.scheduled_job import ScheduledJob
from tests.jobs.handlers import runs_of

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
RECORD = "tests.jobs.handlers:record"


async def _schedule(db: Database, key: str, due_at: datetime, kind: str = RECORD) -> None:
    async with db.transaction() as session:
        await jobs.schedule(session, key=key, kind=kind, due_at=due_at, payload={"key": key})


async def _job(db: Database, key: str) -> ScheduledJob:
    async with db.sessions() as session:
        job = await jobs.get_job(session, key)
        assert job is not None
        return job


async def test_a_due_job_runs_once(db: Database) -> None:
    await _schedule(db, "once", NOW - timedelta(minutes=5))
    await _schedule(db, "later", NOW + timedelta(minutes=5))

    assert await jobs.run_due(db, now=NOW) == 1
    assert await jobs.run_due(db, now=NOW) == 0
    assert await runs_of(db) == {"once": 1}
    job = await _job(db, "once")
    assert job.done_at == NOW
    assert job.attempts == 1
    assert (await _job(db, "later")).done_at is None


async def test_scheduling_a_key_again_moves_the_pending_job(db: Database) -> None:
    await _schedule(db, "moved", NOW + timedelta(hours=1))
    await _schedule(db, "moved", NOW - timedelta(seconds=1))
    async with db.sessions() as session:
        count = await session.scalar(select(func.count()).select_from(ScheduledJob))
    assert count == 1

    assert await jobs.run_due(db, now=NOW) == 1
    # A job that already ran is not brought back by scheduling its key again.
    await _schedule(db, "moved", NOW - timedelta(seconds=1))
    assert await jobs.run_due(db, now=NOW + timedelta(hours=2)) == 0
    assert await runs_of(db) == {"moved": 1}
    assert (await _job(db, "moved")).done_at == NOW


async def test_a_cancelled_job_never_runs(db: Database) -> None:
    await _schedule(db, "dropped", NOW - timedelta(minutes=1))
    async with db.transaction() as session:
        await jobs.cancel(session, "dropped")
        await jobs.cancel(session, "never-scheduled")
    assert await jobs.run_due(db, now=NOW) == 0
    assert await runs_of(db) == {}


async def test_an_unknown_handler_is_refused_when_scheduled(db: Database) -> None:
    async with db.transaction() as session:
        for kind in ("no colon", "tests.jobs.handlers:missing", "tests.nowhere:record"):
            with pytest.raises(ValueError):
                await jobs.schedule(session, key="bad", kind=kind, due_at=NOW)
        with pytest.raises(ValueError):
            await jobs.schedule(session, key="bad", kind=RECORD, due_at=NOW.replace(tzinfo=None))


async def test_a_failing_handler_is_rolled_back_recorded_and_retried(db: Database) -> None:
    await _schedule(db, "broken", NOW - timedelta(minutes=1), kind="tests.jobs.handlers:fail")
    await _schedule(db, "fine", NOW - timedelta(seconds=30))

    # The failure does not stop the other due job.
    assert await jobs.run_due(db, now=NOW) == 1
    assert await runs_of(db) == {"fine": 1}  # the failed handler's own event was rolled back
    job = await _job(db, "broken")
    assert job.done_at is None
    assert job.attempts == 1
    assert "RuntimeError: the handler broke on broken" in job.last_error
    assert job.due_at == NOW + jobs.retry_delay(1)
    async with db.sessions() as session:
        failed = (await session.scalars(select(Event).where(Event.kind == "job.failed"))).all()
    assert [event.payload["key"] for event in failed] == ["broken"]
    assert failed[0].classification.name == "RESTRICTED" and failed[0].releasable_to == []

    # Not retried before its backoff, then again with a longer one.
    assert await jobs.run_due(db, now=NOW + timedelta(seconds=1)) == 0
    assert await jobs.run_due(db, now=job.due_at) == 0
    again = await _job(db, "broken")
    assert again.attempts == 2
    assert again.due_at == job.due_at + jobs.retry_delay(2)
    assert jobs.retry_delay(2) > jobs.retry_delay(1)
    assert jobs.retry_delay(50) == timedelta(seconds=jobs.LAST_RETRY_SECONDS)


async def test_a_handler_that_fails_once_succeeds_on_retry(db: Database) -> None:
    await _schedule(db, "flaky", NOW, kind="tests.jobs.handlers:fail_first")
    assert await jobs.run_due(db, now=NOW) == 0
    retry_at = (await _job(db, "flaky")).due_at
    assert await jobs.run_due(db, now=retry_at) == 1
    job = await _job(db, "flaky")
    assert job.done_at == retry_at
    assert job.attempts == 2
    assert await runs_of(db) == {"flaky": 1}


async def test_concurrent_runners_run_each_job_once(database_url: str) -> None:
    databases = [Database(database_url) for _ in range(3)]
    try:
        async with databases[0].transaction() as session:
            for number in range(40):
                key = f"job-{number}"
                await jobs.schedule(session, key=key, kind=RECORD, due_at=NOW, payload={"key": key})
        counts = await asyncio.gather(*(jobs.run_due(db, now=NOW) for db in databases))
        assert sum(counts) == 40
        runs = await runs_of(databases[0])
        assert runs == {f"job-{number}": 1 for number in range(40)}
    finally:
        for db in databases:
            await db.dispose()
