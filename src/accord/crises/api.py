"""The crises API: /api/v1/crises, their escalation, incidents, tasks and timeline."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query
from sqlalchemy.ext.asyncio import AsyncSession

from accord.auth.dependencies import Principal, current_principal, get_session
from accord.crises import escalation, repository, service, tasks
from accord.crises.repository import CrisisFilter
from accord.crises.schemas import (
    CrisisChange,
    CrisisCreate,
    CrisisList,
    CrisisRead,
    Escalation,
    IncidentLinks,
    Level,
    Mode,
    TaskChange,
    TaskCreate,
    TaskList,
    TaskRead,
    TimelineList,
    TimelineRead,
)
from accord.incidents.schemas import StateCode

router = APIRouter(prefix="/api/v1", tags=["crises"])


async def _one(session: AsyncSession, principal: Principal, crisis) -> CrisisRead:
    (read,) = await service.reads(session, principal.viewer, [crisis])
    return read


@router.get("/crises", response_model=CrisisList)
async def list_crises(
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    level: list[Level] = Query(default_factory=list),
    state: list[StateCode] = Query(default_factory=list),
    mode: list[Mode] = Query(default_factory=list),
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=200),
) -> CrisisList:
    filters = CrisisFilter(levels=tuple(level), states=tuple(state), modes=tuple(mode))
    rows, next_cursor = await repository.list_crises(
        session, principal.viewer, filters, cursor=cursor, limit=limit
    )
    return CrisisList(
        items=await service.reads(session, principal.viewer, rows), next_cursor=next_cursor
    )


@router.post("/crises", response_model=CrisisRead, status_code=201)
async def open_crisis(
    body: CrisisCreate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> CrisisRead:
    crisis = await service.open_crisis(session, principal.viewer, body)
    return await _one(session, principal, crisis)


@router.get("/crises/{crisis_id}", response_model=CrisisRead)
async def get_crisis(
    crisis_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> CrisisRead:
    crisis = await service.get_crisis(session, principal.viewer, crisis_id)
    return await _one(session, principal, crisis)


@router.patch("/crises/{crisis_id}", response_model=CrisisRead)
async def change_crisis(
    crisis_id: uuid.UUID,
    body: CrisisChange,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> CrisisRead:
    crisis = await service.change_crisis(session, principal.viewer, crisis_id, body)
    return await _one(session, principal, crisis)


@router.post("/crises/{crisis_id}/escalations", response_model=CrisisRead, status_code=201)
async def escalate_crisis(
    crisis_id: uuid.UUID,
    body: Escalation,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> CrisisRead:
    crisis = await escalation.escalate(session, principal.viewer, crisis_id, body)
    return await _one(session, principal, crisis)


@router.post("/crises/{crisis_id}/incidents", response_model=CrisisRead, status_code=201)
async def link_incidents(
    crisis_id: uuid.UUID,
    body: IncidentLinks,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> CrisisRead:
    crisis = await service.link_incidents(session, principal.viewer, crisis_id, body.incident_ids)
    return await _one(session, principal, crisis)


@router.delete("/crises/{crisis_id}/incidents/{incident_id}", response_model=CrisisRead)
async def unlink_incident(
    crisis_id: uuid.UUID,
    incident_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> CrisisRead:
    crisis = await service.unlink_incident(session, principal.viewer, crisis_id, incident_id)
    return await _one(session, principal, crisis)


@router.delete("/crises/{crisis_id}/incidents", response_model=CrisisRead)
async def unlink_incident_by_query(
    crisis_id: uuid.UUID,
    incident_id: uuid.UUID = Query(...),
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> CrisisRead:
    crisis = await service.unlink_incident(session, principal.viewer, crisis_id, incident_id)
    return await _one(session, principal, crisis)


@router.get("/crises/{crisis_id}/tasks", response_model=TaskList)
async def list_tasks(
    crisis_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> TaskList:
    rows = await tasks.list_tasks(session, principal.viewer, crisis_id)
    return TaskList(items=[tasks.task_read(row) for row in rows], next_cursor=None)


@router.post("/crises/{crisis_id}/tasks", response_model=TaskRead, status_code=201)
async def add_task(
    crisis_id: uuid.UUID,
    body: TaskCreate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> TaskRead:
    return tasks.task_read(await tasks.add_task(session, principal.viewer, crisis_id, body))


@router.patch("/crises/{crisis_id}/tasks/{task_id}", response_model=TaskRead)
async def change_task(
    crisis_id: uuid.UUID,
    task_id: uuid.UUID,
    body: TaskChange,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> TaskRead:
    task = await tasks.change_task(session, principal.viewer, crisis_id, task_id, body)
    return tasks.task_read(task)


@router.get("/crises/{crisis_id}/timeline", response_model=TimelineList)
async def crisis_timeline(
    crisis_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    limit: int = Query(500, ge=1, le=500),
    cursor: str | None = Query(None, max_length=200),
) -> TimelineList:
    crisis = await service.get_crisis(session, principal.viewer, crisis_id)
    rows, next_cursor = await repository.timeline(session, crisis.id, cursor=cursor, limit=limit)
    return TimelineList(
        items=[
            TimelineRead(
                id=e.id,
                at=e.at,
                actor=e.actor,
                kind=e.kind,
                from_level=e.from_level,
                to_level=e.to_level,
                reason=e.reason,
                details=e.details or {},
            )
            for e in rows
        ],
        next_cursor=next_cursor,
    )
