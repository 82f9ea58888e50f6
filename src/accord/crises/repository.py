"""All SQL of the crises domain; every read of a crisis goes through the access filter."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer, visible
from accord.errors import InvalidInput
from accord.i18n import _
from accord.models.crisis import Crisis
from accord.models.crisis_entry import CrisisEntry
from accord.models.crisis_incident import CrisisIncident
from accord.models.crisis_task import CrisisTask


@dataclass(frozen=True)
class CrisisFilter:
    levels: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()


def encode_cursor(at: datetime, ident: uuid.UUID) -> str:
    raw = json.dumps([at.isoformat(), str(ident)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        at, ident = json.loads(base64.urlsafe_b64decode(padded))
        return datetime.fromisoformat(at), uuid.UUID(ident)
    except (ValueError, TypeError, json.JSONDecodeError):
        raise InvalidInput(_("the cursor is not one this list gave"), field="cursor") from None


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
    if cursor:
        at, ident = decode_cursor(cursor)
        query = query.where(
            or_(Crisis.opened_at < at, and_(Crisis.opened_at == at, Crisis.id < ident))
        )
    query = query.order_by(Crisis.opened_at.desc(), Crisis.id.desc()).limit(limit + 1)
    rows = list((await session.execute(query)).scalars())
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, encode_cursor(rows[-1].opened_at, rows[-1].id) if more and rows else None


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
    if cursor:
        at, ident = decode_cursor(cursor)
        query = query.where(
            or_(CrisisEntry.at > at, and_(CrisisEntry.at == at, CrisisEntry.id > ident))
        )
    query = query.order_by(CrisisEntry.at, CrisisEntry.id).limit(limit + 1)
    rows = list((await session.execute(query)).scalars())
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, encode_cursor(rows[-1].at, rows[-1].id) if more and rows else None
