"""All SQL of the staffing domain; every read goes through the access filter."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer, visible
from accord.models.staffing_distribution import StaffingDistribution
from accord.models.staffing_post import StaffingPost
from accord.models.staffing_term import StaffingTerm


async def list_terms(session: AsyncSession, viewer: Viewer) -> list[StaffingTerm]:
    query = select(StaffingTerm).where(visible(viewer, StaffingTerm))
    return list((await session.execute(query.order_by(StaffingTerm.start_year.desc()))).scalars())


async def get_term(
    session: AsyncSession, viewer: Viewer, term_id: uuid.UUID
) -> StaffingTerm | None:
    query = select(StaffingTerm).where(StaffingTerm.id == term_id, visible(viewer, StaffingTerm))
    return (await session.execute(query)).scalar_one_or_none()


async def term_of_year(session: AsyncSession, start_year: int) -> StaffingTerm | None:
    query = select(StaffingTerm).where(StaffingTerm.start_year == start_year)
    return (await session.execute(query)).scalar_one_or_none()


async def list_posts(
    session: AsyncSession,
    viewer: Viewer,
    *,
    term_id: uuid.UUID | None = None,
    cursor: uuid.UUID | None = None,
    limit: int | None = None,
) -> list[StaffingPost]:
    """Posts in a stable order: reserved first, then by body, title and id."""
    query = select(StaffingPost).where(visible(viewer, StaffingPost))
    if term_id is not None:
        query = query.where(StaffingPost.term_id == term_id)
    if cursor is not None:
        query = query.where(StaffingPost.id > cursor)
        query = query.order_by(StaffingPost.id)
    elif limit is not None:
        query = query.order_by(StaffingPost.id)
    else:
        query = query.order_by(
            StaffingPost.reserved.desc(), StaffingPost.body, StaffingPost.title, StaffingPost.id
        )
    if limit is not None:
        query = query.limit(limit)
    return list((await session.execute(query)).scalars())


async def get_post(
    session: AsyncSession, viewer: Viewer, post_id: uuid.UUID
) -> StaffingPost | None:
    query = select(StaffingPost).where(StaffingPost.id == post_id, visible(viewer, StaffingPost))
    return (await session.execute(query)).scalar_one_or_none()


async def all_posts_of(session: AsyncSession, term_id: uuid.UUID) -> list[StaffingPost]:
    query = select(StaffingPost).where(StaffingPost.term_id == term_id)
    return list((await session.execute(query)).scalars())


async def latest_distribution(
    session: AsyncSession, term_id: uuid.UUID
) -> StaffingDistribution | None:
    """The adopted distribution of the term, or else the newest computed one."""
    query = (
        select(StaffingDistribution)
        .where(StaffingDistribution.term_id == term_id)
        .order_by(
            StaffingDistribution.adopted_at.is_(None),
            StaffingDistribution.computed_at.desc(),
            StaffingDistribution.id,
        )
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()
