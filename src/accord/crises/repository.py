"""All SQL of the crises domain; every read of a crisis goes through the access filter."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer, visible
from accord.models.crisis import Crisis
from accord.models.crisis_entry import CrisisEntry
from accord.models.crisis_incident import CrisisIncident
from accord.models.crisis_task import CrisisTask
from accord.paging import keyset_page


@dataclass(frozen=True)
class CrisisFilter:
    levels: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()


def filtered(viewer: Viewer, filters: CrisisFilter) -> Select:
    query = select(Crisis).where(visible(viewer, Crisis))
    if filters.levels:
        query = query.where(Crisis.level.in_(filters.levels))
    if filters.modes:
        query = query.where(Crisis.mode.in_(filters.modes))
    if filters.states:
        query = query.where(
            or_(
                *(
                    Crisis.affected_states.contains(f",{code},", autoescape=True)
                    for code in filters.states
                )
            )
        )
    return query


async def list_crises(
    session: AsyncSession,
    viewer: Viewer,
    filters: CrisisFilter,
    *,
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[Crisis], str | None]:
    """One page of crises, newest first, and the cursor of the next page."""
    query = filtered(viewer, filters)
    return await keyset_page(session, query, Crisis.opened_at, Crisis.id, cursor, limit)


async def get_visible(session: AsyncSession, viewer: Viewer, crisis_id: uuid.UUID) -> Crisis | None:
    query = select(Crisis).where(Crisis.id == crisis_id, visible(viewer, Crisis))
    return (await session.execute(query)).scalar_one_or_none()


async def find_by_title(session: AsyncSession, title: str) -> Crisis | None:
    """For the demo, which acts for the organisation: a crisis by its exact title."""
    query = select(Crisis).where(Crisis.title == title).limit(1)
    return (await session.execute(query)).scalar_one_or_none()


async def linked_incident_ids(
    session: AsyncSession, crisis_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Every incident id linked to each crisis, hidden ones included (callers filter)."""
    if not crisis_ids:
        return {}
    query = (
        select(CrisisIncident.crisis_id, CrisisIncident.incident_id)
        .where(CrisisIncident.crisis_id.in_(crisis_ids))
        .order_by(CrisisIncident.linked_at, CrisisIncident.id)
    )
    links: dict[uuid.UUID, list[uuid.UUID]] = {ident: [] for ident in crisis_ids}
    for crisis_id, incident_id in await session.execute(query):
        links[crisis_id].append(incident_id)
    return links


async def get_link(
    session: AsyncSession, crisis_id: uuid.UUID, incident_id: uuid.UUID
) -> CrisisIncident | None:
    query = select(CrisisIncident).where(
        CrisisIncident.crisis_id == crisis_id, CrisisIncident.incident_id == incident_id
    )
    return (await session.execute(query)).scalar_one_or_none()


async def remove_link(session: AsyncSession, link: CrisisIncident) -> None:
    await session.execute(delete(CrisisIncident).where(CrisisIncident.id == link.id))


async def crises_of_incident(
    session: AsyncSession, viewer: Viewer, incident_id: uuid.UUID
) -> list[Crisis]:
    query = (
        select(Crisis)
        .join(CrisisIncident, CrisisIncident.crisis_id == Crisis.id)
        .where(CrisisIncident.incident_id == incident_id, visible(viewer, Crisis))
        .order_by(Crisis.opened_at.desc())
    )
    return list((await session.execute(query)).scalars())


async def tasks(session: AsyncSession, crisis_id: uuid.UUID) -> list[CrisisTask]:
    query = (
        select(CrisisTask)
        .where(CrisisTask.crisis_id == crisis_id)
        .order_by(CrisisTask.status.desc(), CrisisTask.due_at, CrisisTask.created_at)
    )
    return list((await session.execute(query)).scalars())


async def get_task(
    session: AsyncSession, crisis_id: uuid.UUID, task_id: uuid.UUID
) -> CrisisTask | None:
    query = select(CrisisTask).where(CrisisTask.id == task_id, CrisisTask.crisis_id == crisis_id)
    return (await session.execute(query)).scalar_one_or_none()


async def timeline(
    session: AsyncSession, crisis_id: uuid.UUID, *, cursor: str | None = None, limit: int = 500
) -> tuple[list[CrisisEntry], str | None]:
    """The timeline in the order things happened, a page at a time."""
    query = select(CrisisEntry).where(CrisisEntry.crisis_id == crisis_id)
    return await keyset_page(
        session, query, CrisisEntry.at, CrisisEntry.id, cursor, limit, newest_first=False
    )
