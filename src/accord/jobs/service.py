"""Scheduling work for an instant and running what is due, exactly once across processes."""

from __future__ import annotations

import importlib
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from accord.clock import utcnow
from accord.db import Database
from accord.events.service import record_event, secretariat_only
from accord.models.scheduled_job import ScheduledJob

log = logging.getLogger(__name__)

Handler = Callable[[AsyncSession, dict[str, Any]], Awaitable[None]]
KIND = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")
FIRST_RETRY_SECONDS = 30
LAST_RETRY_SECONDS = 3600
MAX_ERROR_CHARS = 4000
WAKE_AFTER_COMMIT = "accord.jobs_wake"


def wake_after_commit(session: AsyncSession) -> None:
    """Ask this process's job loop to run once ``session`` commits (new mail, a job due now)."""
    session.info[WAKE_AFTER_COMMIT] = True


def resolve(kind: str) -> Handler:
    """The handler that ``kind`` ("package.module:function") names, or ValueError."""
    if not KIND.match(kind):
        raise ValueError(f"a job kind is 'package.module:function', not {kind!r}")
    module_name, _, name = kind.partition(":")
    try:
        handler = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError) as error:
        raise ValueError(f"no job handler {kind!r}: {error}") from error
    if not callable(handler):
        raise ValueError(f"job handler {kind!r} is not callable")
    return handler


def retry_delay(attempts: int) -> timedelta:
    """How long a job that failed ``attempts`` times waits before its next try."""
    seconds = FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, LAST_RETRY_SECONDS))


def _insert_for(session: AsyncSession):
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


async def schedule(
    session: AsyncSession,
    *,
    key: str,
    kind: str,
    due_at: datetime,
    payload: dict | None = None,
) -> None:
    """Run ``kind`` with ``payload`` at ``due_at``; the same key again moves a pending job."""
    resolve(kind)
    if due_at.utcoffset() is None:
        raise ValueError("due_at must be an aware datetime")
    insert = _insert_for(session)
    values = {
        "id": uuid.uuid4(),
        "key": key,
        "kind": kind,
        "payload": payload or {},
        "due_at": due_at,
        "created_at": utcnow(),
        "attempts": 0,
        "last_error": "",
    }
    statement = insert(ScheduledJob).values(**values)
    # One statement, so two callers scheduling the same key at once cannot collide; a job that
    # already ran is left as it is.
    statement = statement.on_conflict_do_update(
        index_elements=[ScheduledJob.key],
        set_={
            "kind": statement.excluded.kind,
            "payload": statement.excluded.payload,
            "due_at": statement.excluded.due_at,
        },
        where=ScheduledJob.done_at.is_(None),
    )
    await session.execute(statement)


async def cancel(session: AsyncSession, key: str) -> None:
    """Drop the job ``key`` unless it already ran."""
    await session.execute(
        delete(ScheduledJob)
        .where(ScheduledJob.key == key, ScheduledJob.done_at.is_(None))
        .execution_options(synchronize_session=False)
    )


async def get_job(session: AsyncSession, key: str) -> ScheduledJob | None:
    """The job named ``key``, run or not."""
    return await session.scalar(select(ScheduledJob).where(ScheduledJob.key == key))


async def list_jobs(
    session: AsyncSession, *, pending_only: bool = True, limit: int = 200
) -> list[ScheduledJob]:
    """Jobs for the administrators' view: failing ones first, then by due time."""
    query = select(ScheduledJob)
    if pending_only:
        query = query.where(ScheduledJob.done_at.is_(None))
    query = query.order_by(
        ScheduledJob.attempts.desc(), ScheduledJob.due_at, ScheduledJob.key
    ).limit(limit)
    return list((await session.scalars(query)).all())


def _claim(now: datetime):
    # Locked rows are skipped on PostgreSQL, so a job one process runs is invisible to the
    # others until it commits; SQLite takes its write lock for the whole statement instead.
    due = (
        select(ScheduledJob.id)
        .where(ScheduledJob.done_at.is_(None), ScheduledJob.due_at <= now)
        .order_by(ScheduledJob.due_at)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    return (
        update(ScheduledJob)
        .where(ScheduledJob.id == due, ScheduledJob.done_at.is_(None))
        .values(done_at=now, last_attempt_at=now, attempts=ScheduledJob.attempts + 1)
        .returning(ScheduledJob.id, ScheduledJob.key, ScheduledJob.kind, ScheduledJob.payload)
        .execution_options(synchronize_session=False)
    )


async def _record_failure(
    session: AsyncSession, job: Row, now: datetime, error: BaseException
) -> None:
    attempts = await session.scalar(select(ScheduledJob.attempts).where(ScheduledJob.id == job.id))
    message = f"{type(error).__name__}: {error}"[:MAX_ERROR_CHARS]
    await session.execute(
        update(ScheduledJob)
        .where(ScheduledJob.id == job.id)
        .values(done_at=None, last_error=message, due_at=now + retry_delay(attempts or 1))
        .execution_options(synchronize_session=False)
    )
    record_event(
        session,
        actor="system",
        kind="job.failed",
        subject=job.id,
        payload={"key": job.key, "kind": job.kind, "attempts": attempts, "error": message},
        **secretariat_only(),
    )


async def _run_one(db: Database, now: datetime) -> bool | None:
    """Claim and run one due job: True when it succeeded, False when it failed, None if none due."""
    async with db.transaction() as session:
        job = (await session.execute(_claim(now))).first()
        if job is None:
            return None
        try:
            # The handler's writes and the mark "done" commit together; a failure undoes the
            # handler's writes only, and the failure is recorded in the same transaction.
            async with session.begin_nested():
                await resolve(job.kind)(session, dict(job.payload or {}))
        except Exception as error:
            log.warning("job %s (%s) failed: %s", job.key, job.kind, error, exc_info=True)
            await _record_failure(session, job, now, error)
            return False
        return True


async def run_due(db: Database, *, now: datetime | None = None, limit: int = 100) -> int:
    """Run up to ``limit`` jobs due at ``now``, each in its own transaction; return how many ran."""
    moment = now or utcnow()
    due = await next_due_at(db)
    # A read first, so that an idle tick takes no write lock (SQLite has one for everybody).
    if due is None or due > moment:
        return 0
    ran = 0
    for _ in range(limit):
        outcome = await _run_one(db, moment)
        if outcome is None:
            break
        ran += outcome
    return ran


async def next_due_at(db: Database) -> datetime | None:
    """When the earliest job not yet run falls due, or None when none waits."""
    async with db.sessions() as session:
        return await session.scalar(
            select(ScheduledJob.due_at)
            .where(ScheduledJob.done_at.is_(None))
            .order_by(ScheduledJob.due_at)
            .limit(1)
        )
