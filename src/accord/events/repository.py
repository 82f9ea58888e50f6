"""All SQL of the event log's readers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer, visible
from accord.models import Event


@dataclass(frozen=True)
class EventFilter:
    actor: str | None = None
    state: str | None = None
    kinds: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None


async def list_events(
    session: AsyncSession,
    viewer: Viewer,
    filters: EventFilter,
    *,
    before_seq: int | None,
    limit: int,
) -> list[Event]:
    """Sealed events the viewer may see, newest first, from ``before_seq`` down."""
    query = select(Event).where(Event.sealed, visible(viewer, Event))
    if filters.actor:
        query = query.where(Event.actor == filters.actor)
    if filters.state:
        query = query.where(Event.state == filters.state)
    if filters.kinds:
        query = query.where(Event.kind.in_(filters.kinds))
    if filters.since:
        query = query.where(Event.at >= filters.since)
    if filters.until:
        query = query.where(Event.at < filters.until)
    if before_seq is not None:
        query = query.where(Event.seq < before_seq)
    query = query.order_by(Event.seq.desc()).limit(limit)
    return list((await session.execute(query)).scalars())


async def events_after(
    session: AsyncSession, viewer: Viewer, after_seq: int, limit: int
) -> list[Event]:
    """Sealed events after ``after_seq`` the viewer may see, oldest first (stream resumption)."""
    query = (
        select(Event)
        .where(Event.sealed, Event.seq > after_seq, visible(viewer, Event))
        .order_by(Event.seq)
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


async def get_sealed(session: AsyncSession, seq: int) -> Event | None:
    return (await session.execute(select(Event).where(Event.seq == seq))).scalar_one_or_none()


async def count_unsealed(session: AsyncSession) -> int:
    query = select(func.count()).select_from(Event).where(Event.sealed.is_(False))
    return (await session.execute(query)).scalar_one()
