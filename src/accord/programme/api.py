"""The programme API: /api/v1/programmes, its priorities and activities."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query
from sqlalchemy.ext.asyncio import AsyncSession

from accord.auth.dependencies import Principal, current_principal, get_session, require_roles
from accord.programme import handover, report, repository, service
from accord.programme.schemas import (
    ActivityChange,
    ActivityCreate,
    PriorityChange,
    PriorityCreate,
    ProgrammeChange,
    ProgrammeCreate,
    ProgrammeList,
    ProgrammeRead,
)

router = APIRouter(prefix="/api/v1", tags=["programmes"])
editor = require_roles("secretariat")


async def _read(session: AsyncSession, principal: Principal, programme_id: uuid.UUID):
    programme = await service.get_programme(session, principal.viewer, programme_id)
    return await service.programme_read(session, principal.viewer, programme)


@router.get("/programmes", response_model=ProgrammeList)
async def list_programmes(
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=20),
) -> ProgrammeList:
    rows, next_cursor = await repository.list_programmes(
        session, principal.viewer, cursor=cursor, limit=limit
    )
    items = [await service.programme_read(session, principal.viewer, row) for row in rows]
    return ProgrammeList(items=items, next_cursor=next_cursor)


@router.post("/programmes", response_model=ProgrammeRead, status_code=201)
async def create_programme(
    body: ProgrammeCreate,
    principal: Principal = Depends(editor),
    session: AsyncSession = get_session,
) -> ProgrammeRead:
    programme = await service.create_programme(session, principal.viewer, body)
    return await service.programme_read(session, principal.viewer, programme)


@router.get("/programmes/{programme_id}", response_model=ProgrammeRead)
async def get_programme(
    programme_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> ProgrammeRead:
    return await _read(session, principal, programme_id)


@router.patch("/programmes/{programme_id}", response_model=ProgrammeRead)
async def change_programme(
    programme_id: uuid.UUID,
    body: ProgrammeChange,
    principal: Principal = Depends(editor),
    session: AsyncSession = get_session,
) -> ProgrammeRead:
    await service.change_programme(session, principal.viewer, programme_id, body)
    return await _read(session, principal, programme_id)


@router.post("/programmes/{programme_id}/priorities", response_model=ProgrammeRead, status_code=201)
async def add_priority(
    programme_id: uuid.UUID,
    body: PriorityCreate,
    principal: Principal = Depends(editor),
    session: AsyncSession = get_session,
) -> ProgrammeRead:
    await service.add_priority(session, principal.viewer, programme_id, body)
    return await _read(session, principal, programme_id)


@router.patch("/programmes/{programme_id}/priorities/{priority_id}", response_model=ProgrammeRead)
async def change_priority(
    programme_id: uuid.UUID,
    priority_id: uuid.UUID,
    body: PriorityChange,
    principal: Principal = Depends(editor),
    session: AsyncSession = get_session,
) -> ProgrammeRead:
    await service.change_priority(session, principal.viewer, programme_id, priority_id, body)
    return await _read(session, principal, programme_id)


@router.post(
    "/programmes/{programme_id}/priorities/{priority_id}/activities",
    response_model=ProgrammeRead,
    status_code=201,
)
async def add_activity(
    programme_id: uuid.UUID,
    priority_id: uuid.UUID,
    body: ActivityCreate,
    principal: Principal = Depends(editor),
    session: AsyncSession = get_session,
) -> ProgrammeRead:
    await service.add_activity(session, principal.viewer, programme_id, priority_id, body)
    return await _read(session, principal, programme_id)


@router.patch("/programmes/{programme_id}/activities/{activity_id}", response_model=ProgrammeRead)
async def change_activity(
    programme_id: uuid.UUID,
    activity_id: uuid.UUID,
    body: ActivityChange,
    principal: Principal = Depends(editor),
    session: AsyncSession = get_session,
) -> ProgrammeRead:
    await service.change_activity(session, principal.viewer, programme_id, activity_id, body)
    return await _read(session, principal, programme_id)


@router.post("/programmes/{programme_id}/carry-over", response_model=ProgrammeRead)
async def carry_over(
    programme_id: uuid.UUID,
    principal: Principal = Depends(editor),
    session: AsyncSession = get_session,
) -> ProgrammeRead:
    """Copy the unfinished activities into next year's programme (once each)."""
    programme = await service.get_programme(session, principal.viewer, programme_id)
    await handover.carry_over(session, principal.viewer, programme_id)
    following = await service.programme_of_year(session, principal.viewer, programme.year + 1)
    return await service.programme_read(session, principal.viewer, following)


@router.get("/programmes/{programme_id}/report", response_model=report.HandoverReport)
async def handover_report(
    programme_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> report.HandoverReport:
    """The outgoing chair's report: completed, in progress, long-term and carried over."""
    programme = await service.get_programme(session, principal.viewer, programme_id)
    return await report.handover_report(session, principal.viewer, programme)
