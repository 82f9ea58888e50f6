"""All SQL of the budget domain; every read goes through the access filter."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer, visible
from accord.models.budget_payment import BudgetPayment
from accord.models.budget_scale import BudgetScale
from accord.models.budget_year import BudgetYear


async def list_scales(
    session: AsyncSession, viewer: Viewer, *, year: int | None = None
) -> list[BudgetScale]:
    query = select(BudgetScale).where(visible(viewer, BudgetScale))
    if year is not None:
        query = query.where(BudgetScale.year == year)
    query = query.order_by(BudgetScale.year.desc(), BudgetScale.version.desc())
    return list((await session.execute(query)).scalars())


async def get_scale(
    session: AsyncSession, viewer: Viewer | None, scale_id: uuid.UUID
) -> BudgetScale | None:
    query = select(BudgetScale).where(BudgetScale.id == scale_id)
    if viewer is not None:
        query = query.where(visible(viewer, BudgetScale))
    return (await session.execute(query)).scalar_one_or_none()


async def current_scale(session: AsyncSession, year: int) -> BudgetScale | None:
    """The newest version of ``year``'s scale, whoever asks (for computations)."""
    query = (
        select(BudgetScale)
        .where(BudgetScale.year == year)
        .order_by(BudgetScale.version.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def last_scale_version(session: AsyncSession, year: int) -> int:
    query = select(func.max(BudgetScale.version)).where(BudgetScale.year == year)
    return (await session.execute(query)).scalar_one() or 0


async def list_budgets(
    session: AsyncSession, viewer: Viewer, *, year: int | None = None
) -> list[BudgetYear]:
    query = select(BudgetYear).where(visible(viewer, BudgetYear))
    if year is not None:
        query = query.where(BudgetYear.year == year)
    return list((await session.execute(query.order_by(BudgetYear.year.desc()))).scalars())


async def get_budget(session: AsyncSession, year: int) -> BudgetYear | None:
    query = select(BudgetYear).where(BudgetYear.year == year)
    return (await session.execute(query)).scalar_one_or_none()


async def scales_by_id(session: AsyncSession, ids: set[uuid.UUID]) -> dict[uuid.UUID, BudgetScale]:
    if not ids:
        return {}
    query = select(BudgetScale).where(BudgetScale.id.in_(ids))
    return {scale.id: scale for scale in (await session.execute(query)).scalars()}


async def list_payments(
    session: AsyncSession,
    viewer: Viewer,
    *,
    year: int | None = None,
    states: tuple[str, ...] = (),
    cursor: uuid.UUID | None = None,
    limit: int | None = None,
) -> list[BudgetPayment]:
    query = select(BudgetPayment).where(visible(viewer, BudgetPayment))
    if year is not None:
        query = query.where(BudgetPayment.year == year)
    if states:
        query = query.where(BudgetPayment.state.in_(states))
    if cursor is not None:
        query = query.where(BudgetPayment.id > cursor)
    query = query.order_by(BudgetPayment.id)
    if limit is not None:
        query = query.limit(limit)
    return list((await session.execute(query)).scalars())
