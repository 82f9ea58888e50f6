"""Job handlers for the tests: each run leaves an event, so runs can be counted in the database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from accord.db import Database
from accord.events.service import record_event, secretariat_only
from accord.models import Event

RAN = "test.job_ran"


async def record(session: AsyncSession, payload: dict[str, Any]) -> None:
    record_event(
        session,
        actor="system",
        kind=RAN,
        subject=payload["key"],
        payload=payload,
        **secretariat_only(),
    )


async def fail(session: AsyncSession, payload: dict[str, Any]) -> None:
    await record(session, payload)
    await session.flush()
    raise RuntimeError(f"the handler broke on {payload['key']}")


async def fail_first(session: AsyncSession, payload: dict[str, Any]) -> None:
    """Fails until an earlier failure of the same key is on record, then succeeds."""
    failures = await session.scalar(
        select(func.count())
        .select_from(Event)
        .where(Event.kind == "job.failed", Event.payload["key"].as_string() == payload["key"])
    )
    if not failures:
        raise RuntimeError("not yet")
    await record(session, payload)


async def runs_of(db: Database, key: str | None = None) -> dict[str, int]:
    """How many times each key's handler committed."""
    async with db.sessions() as session:
        query = select(Event.subject, func.count()).where(Event.kind == RAN)
        if key is not None:
            query = query.where(Event.subject == key)
        rows = await session.execute(query.group_by(Event.subject))
        return {subject: count for subject, count in rows}
