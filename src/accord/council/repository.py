"""All SQL of the council domain; every list goes through the access filter."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import EVERYONE, Classification, Viewer, visible
from accord.models import Body
from accord.models.council_agenda_item import CouncilAgendaItem
from accord.models.council_attendance import CouncilAttendance
from accord.models.council_decision import CouncilDecision
from accord.models.council_decision_version import CouncilDecisionVersion
from accord.models.council_position import CouncilPosition
from accord.models.council_session import CouncilSession
from accord.paging import keyset_page


async def _page(
    session: AsyncSession, query: Any, model: Any, cursor: str | None, limit: int
) -> tuple[list[Any], str | None]:
    return await keyset_page(session, query, model.created_at, model.id, cursor, limit)


def public_only(model: Any) -> Any:
    """The records the public may see: PUBLIC and released to everyone."""
    return and_(
        model.classification == Classification.PUBLIC,
        model.releasable_to.contains(f",{EVERYONE},", autoescape=True),
    )


async def list_sessions(
    session: AsyncSession,
    viewer: Viewer | None,
    *,
    body_id: uuid.UUID | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[CouncilSession], str | None]:
    condition = visible(viewer, CouncilSession) if viewer else public_only(CouncilSession)
    query = select(CouncilSession).where(condition)
    if body_id is not None:
        query = query.where(CouncilSession.body_id == body_id)
    return await _page(session, query, CouncilSession, cursor, limit)


async def all_sessions(session: AsyncSession, viewer: Viewer | None) -> list[CouncilSession]:
    condition = visible(viewer, CouncilSession) if viewer else public_only(CouncilSession)
    query = select(CouncilSession).where(condition).order_by(CouncilSession.year.desc())
    return list((await session.execute(query.limit(2000))).scalars())


async def get_session(
    session: AsyncSession, viewer: Viewer, session_id: uuid.UUID
) -> CouncilSession | None:
    query = select(CouncilSession).where(
        CouncilSession.id == session_id, visible(viewer, CouncilSession)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def attendance(session: AsyncSession, session_id: uuid.UUID) -> list[CouncilAttendance]:
    query = (
        select(CouncilAttendance)
        .where(CouncilAttendance.session_id == session_id)
        .order_by(CouncilAttendance.state)
    )
    return list((await session.execute(query)).scalars())


async def agenda(session: AsyncSession, session_id: uuid.UUID) -> list[CouncilAgendaItem]:
    query = (
        select(CouncilAgendaItem)
        .where(CouncilAgendaItem.session_id == session_id)
        .order_by(CouncilAgendaItem.position)
    )
    return list((await session.execute(query)).scalars())


async def get_agenda_item(session: AsyncSession, item_id: uuid.UUID) -> CouncilAgendaItem | None:
    return await session.get(CouncilAgendaItem, item_id)


async def item_decisions(session: AsyncSession, item_id: uuid.UUID) -> list[CouncilDecision]:
    """Every decision on an agenda item, whoever may see it (for consistency checks)."""
    query = select(CouncilDecision).where(CouncilDecision.agenda_item_id == item_id)
    return list((await session.execute(query)).scalars())


async def list_decisions(
    session: AsyncSession,
    viewer: Viewer,
    *,
    session_id: uuid.UUID | None = None,
    statuses: tuple[str, ...] = (),
    title: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[CouncilDecision], str | None]:
    query = select(CouncilDecision).where(visible(viewer, CouncilDecision))
    if session_id is not None:
        query = query.where(CouncilDecision.session_id == session_id)
    if statuses:
        query = query.where(CouncilDecision.status.in_(statuses))
    if title:
        query = query.where(CouncilDecision.title == title)
    return await _page(session, query, CouncilDecision, cursor, limit)


async def session_decisions(
    session: AsyncSession, viewer: Viewer, session_id: uuid.UUID
) -> list[CouncilDecision]:
    query = (
        select(CouncilDecision)
        .where(CouncilDecision.session_id == session_id, visible(viewer, CouncilDecision))
        .order_by(CouncilDecision.created_at, CouncilDecision.id)
    )
    return list((await session.execute(query)).scalars())


async def get_decision(
    session: AsyncSession, viewer: Viewer | None, decision_id: uuid.UUID
) -> CouncilDecision | None:
    condition = visible(viewer, CouncilDecision) if viewer else public_only(CouncilDecision)
    query = select(CouncilDecision).where(CouncilDecision.id == decision_id, condition)
    return (await session.execute(query)).scalar_one_or_none()


async def get_decision_unfiltered(
    session: AsyncSession, decision_id: uuid.UUID, *, lock: bool = False
) -> CouncilDecision | None:
    """For the scheduler, which acts for the organisation and not for a viewer."""
    query = select(CouncilDecision).where(CouncilDecision.id == decision_id)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def versions(session: AsyncSession, decision_id: uuid.UUID) -> list[CouncilDecisionVersion]:
    query = (
        select(CouncilDecisionVersion)
        .where(CouncilDecisionVersion.decision_id == decision_id)
        .order_by(CouncilDecisionVersion.number)
    )
    return list((await session.execute(query)).scalars())


async def latest_versions(
    session: AsyncSession, decision_ids: list[uuid.UUID]
) -> dict[uuid.UUID, CouncilDecisionVersion]:
    if not decision_ids:
        return {}
    query = select(CouncilDecisionVersion).where(
        CouncilDecisionVersion.decision_id.in_(decision_ids)
    )
    latest: dict[uuid.UUID, CouncilDecisionVersion] = {}
    for row in (await session.execute(query)).scalars():
        known = latest.get(row.decision_id)
        if known is None or row.number > known.number:
            latest[row.decision_id] = row
    return latest


async def positions(session: AsyncSession, decision_id: uuid.UUID) -> list[CouncilPosition]:
    query = (
        select(CouncilPosition)
        .where(CouncilPosition.decision_id == decision_id)
        .order_by(CouncilPosition.state)
    )
    return list((await session.execute(query)).scalars())


async def get_position(
    session: AsyncSession, decision_id: uuid.UUID, state: str
) -> CouncilPosition | None:
    query = select(CouncilPosition).where(
        CouncilPosition.decision_id == decision_id, CouncilPosition.state == state
    )
    return (await session.execute(query)).scalar_one_or_none()


async def next_sequence(session: AsyncSession, body_id: uuid.UUID, year: int) -> int:
    query = select(func.max(CouncilDecision.sequence)).where(
        CouncilDecision.body_id == body_id, CouncilDecision.year == year
    )
    return ((await session.execute(query)).scalar_one() or 0) + 1


async def get_body(session: AsyncSession, code: str) -> Body | None:
    return (await session.execute(select(Body).where(Body.code == code))).scalar_one_or_none()


async def body_by_id(session: AsyncSession, body_id: uuid.UUID) -> Body | None:
    return await session.get(Body, body_id)


async def find_session_by_title(session: AsyncSession, title: str) -> CouncilSession | None:
    query = select(CouncilSession).where(CouncilSession.title == title).limit(1)
    return (await session.execute(query)).scalar_one_or_none()


async def find_decision_by_title(
    session: AsyncSession, title: str, session_id: uuid.UUID | None = None
) -> CouncilDecision | None:
    query = select(CouncilDecision).where(CouncilDecision.title == title)
    if session_id is not None:
        query = query.where(CouncilDecision.session_id == session_id)
    return (await session.execute(query.limit(1))).scalar_one_or_none()
