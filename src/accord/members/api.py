"""JSON routes of the members domain: states, bodies, chairmanship (public reference data)."""

from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from accord.auth.dependencies import get_session
from accord.members import service

router = APIRouter(prefix="/api/v1", tags=["members"])


class StateRead(BaseModel):
    code: str
    name: str
    status: str
    capital: str


class StateList(BaseModel):
    items: list[StateRead]
    next_cursor: str | None = None


class BodyRead(BaseModel):
    code: str
    name: str
    kind: str
    decision_rule: str


class BodyList(BaseModel):
    items: list[BodyRead]
    next_cursor: str | None = None


class ChairRead(BaseModel):
    year: int
    state: str | None
    status: str


class ChairList(BaseModel):
    items: list[ChairRead]
    next_cursor: str | None = None


@router.get("/members", response_model=StateList)
async def list_members(session: AsyncSession = get_session) -> StateList:
    states = await service.list_states(session)
    return StateList(items=[StateRead(**vars(state)) for state in states])


@router.get("/bodies", response_model=BodyList)
async def list_bodies(session: AsyncSession = get_session) -> BodyList:
    return BodyList(
        items=[
            BodyRead(
                code=b.code, name=service.body_name(b), kind=b.kind, decision_rule=b.decision_rule
            )
            for b in await service.list_bodies(session)
        ]
    )


@router.get("/chairmanship", response_model=ChairList)
async def chairmanship(
    session: AsyncSession = get_session, years_ahead: int = Query(6, ge=0, le=50)
) -> ChairList:
    chairs = await service.chairmanship(session, years_ahead)
    return ChairList(items=[ChairRead(year=c.year, state=c.state, status=c.status) for c in chairs])
