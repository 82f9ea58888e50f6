"""The job loop in process: it outlives failing handlers and an unreachable database."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from accord.clock import utcnow
from accord.config import Settings
from accord.db import Database
from accord.jobs import service as jobs
from accord.jobs.runtime import JobRuntime
from tests.jobs.handlers import runs_of


async def test_the_loop_survives_a_failing_handler(sqlite_url: str, data_dir: Path) -> None:
    db = Database(sqlite_url)
    settings = Settings(database_url=sqlite_url, data_dir=data_dir, job_interval_seconds=60)
    runtime = JobRuntime(db, settings)
    try:
        async with db.transaction() as session:
            for key, kind in (("bad", "fail"), ("good", "record")):
                await jobs.schedule(
                    session,
                    key=key,
                    kind=f"tests.jobs.handlers:{kind}",
                    due_at=utcnow() - timedelta(seconds=1),
                    payload={"key": key},
                )
        await runtime.start()
        for _ in range(300):
            if await runs_of(db):
                break
            await asyncio.sleep(0.05)
        assert await runs_of(db) == {"good": 1}
        async with db.transaction() as session:
            failed = await jobs.get_job(session, "bad")
            assert failed is not None and failed.attempts >= 1 and failed.done_at is None
            # Scheduling a job due now wakes the loop after the commit.
            await jobs.schedule(
                session,
                key="woken",
                kind="tests.jobs.handlers:record",
                due_at=utcnow(),
                payload={"key": "woken"},
            )
            jobs.wake_after_commit(session)
        for _ in range(300):
            if "woken" in await runs_of(db):
                break
            await asyncio.sleep(0.05)
        assert (await runs_of(db)).get("woken") == 1
    finally:
        await runtime.stop()
        await db.dispose()


async def test_the_loop_survives_an_unreachable_database(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'accord.db'}"
    db = Database(url)
    settings = Settings(database_url=url, data_dir=tmp_path, smtp_host="127.0.0.1")
    runtime = JobRuntime(db, settings)
    try:
        await runtime.tick()  # logs, does not raise
        await runtime.start()
        await runtime.tick()
    finally:
        await runtime.stop()
        await db.dispose()
