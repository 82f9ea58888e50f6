"""All SQL of the members domain."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from accord.models import Body, ChairTerm, MemberState, Organisation


async def get_organisation(session: AsyncSession) -> Organisation | None:
    return (await session.execute(select(Organisation).limit(1))).scalar_one_or_none()


async def list_states(session: AsyncSession) -> list[MemberState]:
    query = select(MemberState).order_by(MemberState.code)
    return list((await session.execute(query)).scalars())


async def get_state(session: AsyncSession, code: str) -> MemberState | None:
    query = select(MemberState).where(MemberState.code == code)
    return (await session.execute(query)).scalar_one_or_none()


async def count_states(session: AsyncSession) -> int:
    return (await session.execute(select(func.count()).select_from(MemberState))).scalar_one()


async def list_bodies(session: AsyncSession) -> list[Body]:
    return list((await session.execute(select(Body).order_by(Body.position))).scalars())


async def list_chair_terms(session: AsyncSession) -> list[ChairTerm]:
    return list((await session.execute(select(ChairTerm).order_by(ChairTerm.year))).scalars())
