"""The job loop of real server processes: catching up at start, and once only across processes."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from pathlib import Path

from accord.clock import utcnow
from accord.db import Database
from accord.jobs import service as jobs
from tests.conftest import ServerProcess
from tests.jobs.handlers import runs_of

RECORD = "tests.jobs.handlers:record"


async def _schedule_many(db: Database, keys: list[str], *, ago: timedelta) -> None:
    async with db.transaction() as session:
        for key in keys:
            await jobs.schedule(
                session, key=key, kind=RECORD, due_at=utcnow() - ago, payload={"key": key}
            )


async def _wait_for_runs(db: Database, count: int) -> dict[str, int]:
    deadline = time.monotonic() + 60
    runs = await runs_of(db)
    while sum(runs.values()) < count and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        runs = await runs_of(db)
    return runs


async def test_a_job_due_while_no_server_ran_runs_once_at_start(
    sqlite_url: str, data_dir: Path
) -> None:
    db = Database(sqlite_url)
    try:
        await _schedule_many(db, ["missed"], ago=timedelta(hours=3))
        server = await asyncio.to_thread(ServerProcess, sqlite_url, data_dir)
        try:
            assert await _wait_for_runs(db, 1) == {"missed": 1}
        finally:
            await asyncio.to_thread(server.stop)
        async with db.sessions() as session:
            job = await jobs.get_job(session, "missed")
        assert job is not None and job.done_at is not None and job.attempts == 1
    finally:
        await db.dispose()


async def test_two_servers_on_one_postgresql_run_each_job_once(
    postgres_url: str, data_dir: Path
) -> None:
    db = Database(postgres_url)
    keys = [f"shared-{number}" for number in range(150)]
    servers: list[ServerProcess] = []
    try:
        for _ in range(2):
            servers.append(await asyncio.to_thread(ServerProcess, postgres_url, data_dir))
        await _schedule_many(db, keys, ago=timedelta(seconds=1))
        runs = await _wait_for_runs(db, len(keys))
        # Give both loops further rounds: nothing may run a second time.
        await asyncio.sleep(1.5)
        assert await runs_of(db) == runs == dict.fromkeys(keys, 1)
    finally:
        for server in servers:
            await asyncio.to_thread(server.stop)
        await db.dispose()
