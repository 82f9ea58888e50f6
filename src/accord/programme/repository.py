"""All SQL of the programme domain; lists go through the access filter."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer, visible
from accord.errors import InvalidInput
from accord.i18n import _
from accord.models.programme_activity import ProgrammeActivity
from accord.models.programme_priority import ProgrammePriority
from accord.models.programme_programme import Programme


async def list_programmes(
    session: AsyncSession, viewer: Viewer, *, cursor: str | None = None, limit: int = 50
) -> tuple[list[Programme], str | None]:
    """Programmes the viewer may see, newest year first; the cursor is the last year shown."""
    query = select(Programme).where(visible(viewer, Programme))
    if cursor:
        if not cursor.isdigit():
            raise InvalidInput(_("the cursor is not one this list gave"), field="cursor")
        query = query.where(Programme.year < int(cursor))
    rows = list(
        (await session.execute(query.order_by(Programme.year.desc()).limit(limit + 1))).scalars()
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, str(rows[-1].year) if more and rows else None


async def get_visible(
    session: AsyncSession, viewer: Viewer, programme_id: uuid.UUID
) -> Programme | None:
    query = select(Programme).where(Programme.id == programme_id, visible(viewer, Programme))
    return (await session.execute(query)).scalar_one_or_none()


async def get_by_year(session: AsyncSession, viewer: Viewer, year: int) -> Programme | None:
    query = select(Programme).where(Programme.year == year, visible(viewer, Programme))
    return (await session.execute(query)).scalar_one_or_none()


async def year_taken(session: AsyncSession, year: int) -> bool:
    query = select(Programme.id).where(Programme.year == year)
    return (await session.execute(query)).first() is not None


async def latest_until(session: AsyncSession, viewer: Viewer, year: int) -> Programme | None:
    """The programme of ``year``, or of the latest year before it."""
    query = (
        select(Programme)
        .where(Programme.year <= year, visible(viewer, Programme))
        .order_by(Programme.year.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def years(session: AsyncSession, viewer: Viewer) -> list[int]:
    query = select(Programme.year).where(visible(viewer, Programme)).order_by(Programme.year)
    return list((await session.execute(query)).scalars())


async def priorities(session: AsyncSession, programme_id: uuid.UUID) -> list[ProgrammePriority]:
    query = (
        select(ProgrammePriority)
        .where(ProgrammePriority.programme_id == programme_id)
        .order_by(ProgrammePriority.position, ProgrammePriority.id)
    )
    return list((await session.execute(query)).scalars())


async def activities(session: AsyncSession, programme_id: uuid.UUID) -> list[ProgrammeActivity]:
    query = (
        select(ProgrammeActivity)
        .where(ProgrammeActivity.programme_id == programme_id)
        .order_by(ProgrammeActivity.position, ProgrammeActivity.id)
    )
    return list((await session.execute(query)).scalars())


async def get_priority(
    session: AsyncSession, programme_id: uuid.UUID, priority_id: uuid.UUID
) -> ProgrammePriority | None:
    query = select(ProgrammePriority).where(
        ProgrammePriority.id == priority_id, ProgrammePriority.programme_id == programme_id
    )
    return (await session.execute(query)).scalar_one_or_none()


async def get_activity(
    session: AsyncSession, programme_id: uuid.UUID, activity_id: uuid.UUID
) -> ProgrammeActivity | None:
    query = select(ProgrammeActivity).where(
        ProgrammeActivity.id == activity_id, ProgrammeActivity.programme_id == programme_id
    )
    return (await session.execute(query)).scalar_one_or_none()


async def carried_sources(session: AsyncSession, programme_id: uuid.UUID) -> set[uuid.UUID]:
    """The activities of earlier programmes that ``programme_id`` carries over."""
    query = select(ProgrammeActivity.carried_from).where(
        ProgrammeActivity.programme_id == programme_id,
        ProgrammeActivity.carried_from.is_not(None),
    )
    return set((await session.execute(query)).scalars())
