"""The council API: /api/v1/sessions and /api/v1/decisions."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord.auth.dependencies import Principal, current_principal, get_session, resolve_principal
from accord.council import agenda, calendar, drafts, repository, service, silence
from accord.council import sessions as sessions_service
from accord.council.schemas import (
    AgendaItemChange,
    AgendaItemCreate,
    AgendaItemRead,
    AgendaOrder,
    AttendanceRead,
    AttendanceSet,
    DecisionChange,
    DecisionCreate,
    DecisionDetail,
    DecisionList,
    DecisionRead,
    DecisionRedraft,
    DecisionWithdraw,
    PositionCreate,
    PositionRead,
    SessionChange,
    SessionCreate,
    SessionList,
    SessionRead,
    SilenceLaunch,
    VersionOnly,
)

router = APIRouter(prefix="/api/v1", tags=["council"])


def _attendance_read(row) -> AttendanceRead:
    return AttendanceRead(
        state=row.state,
        status=row.status,
        plenipotentiary=row.plenipotentiary,
        credentials=row.credentials,
        recorded_at=row.recorded_at,
        recorded_by=row.recorded_by,
    )


def _item_read(item) -> AgendaItemRead:
    return AgendaItemRead(
        id=item.id,
        position=item.position,
        title=item.title,
        description=item.description,
        procedural=item.procedural,
    )


# Sessions


@router.get("/sessions.ics", response_class=Response)
async def sessions_calendar(
    principal: Principal | None = Depends(resolve_principal),
    session: AsyncSession = get_session,
) -> Response:
    """Sessions as iCalendar; visitors who are not logged in get the public sessions only."""
    viewer = principal.viewer if principal else None
    rows = await repository.all_sessions(session, viewer)
    body = calendar.sessions_calendar(rows, await sessions_service.body_codes(session))
    return Response(body, media_type="text/calendar; charset=utf-8")


@router.get("/sessions", response_model=SessionList)
async def list_sessions(
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=200),
) -> SessionList:
    rows, next_cursor = await repository.list_sessions(
        session, principal.viewer, cursor=cursor, limit=limit
    )
    codes = await sessions_service.body_codes(session)
    return SessionList(
        items=[sessions_service.session_read(row, codes[row.body_id]) for row in rows],
        next_cursor=next_cursor,
    )


@router.post("/sessions", response_model=SessionRead, status_code=201)
async def plan_session(
    body: SessionCreate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> SessionRead:
    record = await sessions_service.plan_session(session, principal.viewer, body)
    return sessions_service.session_read(record, body.body)


@router.get("/sessions/{session_id}", response_model=SessionRead)
async def get_session_record(
    session_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> SessionRead:
    record = await sessions_service.get_council_session(session, principal.viewer, session_id)
    codes = await sessions_service.body_codes(session)
    return sessions_service.session_read(record, codes[record.body_id])


@router.patch("/sessions/{session_id}", response_model=SessionRead)
async def change_session(
    session_id: uuid.UUID,
    body: SessionChange,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> SessionRead:
    record = await sessions_service.change_session(session, principal.viewer, session_id, body)
    codes = await sessions_service.body_codes(session)
    return sessions_service.session_read(record, codes[record.body_id])


@router.get("/sessions/{session_id}/attendance", response_model=list[AttendanceRead])
async def list_attendance(
    session_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> list[AttendanceRead]:
    record = await sessions_service.get_council_session(session, principal.viewer, session_id)
    return [_attendance_read(row) for row in await repository.attendance(session, record.id)]


@router.put("/sessions/{session_id}/attendance", response_model=AttendanceRead)
@router.post("/sessions/{session_id}/attendance", response_model=AttendanceRead)
async def set_attendance(
    session_id: uuid.UUID,
    body: AttendanceSet,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> AttendanceRead:
    row = await sessions_service.set_attendance(session, principal.viewer, session_id, body)
    return _attendance_read(row)


@router.get("/sessions/{session_id}/agenda", response_model=list[AgendaItemRead])
async def list_agenda(
    session_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> list[AgendaItemRead]:
    record = await sessions_service.get_council_session(session, principal.viewer, session_id)
    return [_item_read(item) for item in await repository.agenda(session, record.id)]


@router.post("/sessions/{session_id}/agenda", response_model=AgendaItemRead, status_code=201)
async def add_agenda_item(
    session_id: uuid.UUID,
    body: AgendaItemCreate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> AgendaItemRead:
    item = await sessions_service.add_agenda_item(session, principal.viewer, session_id, body)
    return _item_read(item)


@router.patch("/sessions/{session_id}/agenda/{item_id}", response_model=AgendaItemRead)
async def change_agenda_item(
    session_id: uuid.UUID,
    item_id: uuid.UUID,
    body: AgendaItemChange,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> AgendaItemRead:
    """Change an item; ``version`` is the session's (the agenda is part of the session)."""
    item = await agenda.change_agenda_item(session, principal.viewer, session_id, item_id, body)
    return _item_read(item)


@router.put("/sessions/{session_id}/agenda/order", response_model=list[AgendaItemRead])
async def reorder_agenda(
    session_id: uuid.UUID,
    body: AgendaOrder,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> list[AgendaItemRead]:
    """Put every item of the agenda in the given order; ``version`` is the session's."""
    items = await agenda.reorder_agenda(session, principal.viewer, session_id, body)
    return [_item_read(item) for item in items]


# Decisions


@router.get("/decisions", response_model=DecisionList)
async def list_decisions(
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    session_id: uuid.UUID | None = Query(None),
    status: list[str] = Query([]),
    title: str | None = Query(None, max_length=300),
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=200),
) -> DecisionList:
    rows, next_cursor = await repository.list_decisions(
        session,
        principal.viewer,
        session_id=session_id,
        statuses=tuple(status),
        title=title,
        cursor=cursor,
        limit=limit,
    )
    items = [await service.decision_read(session, row) for row in rows]
    return DecisionList(items=items, next_cursor=next_cursor)


@router.post("/decisions", response_model=DecisionDetail, status_code=201)
async def draft_decision(
    body: DecisionCreate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> DecisionRead:
    decision = await service.draft_decision(session, principal.viewer, body)
    return await service.decision_read(session, decision, detail=True)


@router.get("/decisions/{decision_id}", response_model=DecisionDetail)
async def get_decision(
    decision_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> DecisionRead:
    decision = await service.get_decision(session, principal.viewer, decision_id)
    return await service.decision_read(session, decision, detail=True)


@router.patch("/decisions/{decision_id}", response_model=DecisionDetail)
async def change_decision(
    decision_id: uuid.UUID,
    body: DecisionChange,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> DecisionRead:
    decision = await service.change_decision(session, principal.viewer, decision_id, body)
    return await service.decision_read(session, decision, detail=True)


@router.post("/decisions/{decision_id}/open", response_model=DecisionDetail)
async def open_vote(
    decision_id: uuid.UUID,
    body: VersionOnly | None = None,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> DecisionRead:
    version = body.version if body else None
    decision = await service.open_vote(session, principal.viewer, decision_id, version)
    return await service.decision_read(session, decision, detail=True)


@router.post("/decisions/{decision_id}/close", response_model=DecisionDetail)
async def close_vote(
    decision_id: uuid.UUID,
    body: VersionOnly | None = None,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> DecisionRead:
    version = body.version if body else None
    decision = await service.close_vote(session, principal.viewer, decision_id, version)
    return await service.decision_read(session, decision, detail=True)


@router.post("/decisions/{decision_id}/silence", response_model=DecisionDetail)
async def launch_silence(
    decision_id: uuid.UUID,
    body: SilenceLaunch,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> DecisionRead:
    decision = await silence.launch_silence(
        session, principal.viewer, decision_id, body.deadline, body.version
    )
    return await service.decision_read(session, decision, detail=True)


@router.post("/decisions/{decision_id}/positions", response_model=PositionRead, status_code=201)
async def record_position(
    decision_id: uuid.UUID,
    body: PositionCreate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> PositionRead:
    row = await service.record_position(session, principal.viewer, decision_id, body)
    return service.position_read(row)


@router.get("/decisions/{decision_id}/positions", response_model=list[PositionRead])
async def list_positions(
    decision_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> list[PositionRead]:
    decision = await service.get_decision(session, principal.viewer, decision_id)
    return [service.position_read(row) for row in await repository.positions(session, decision.id)]


@router.post("/decisions/{decision_id}/accession", response_model=DecisionDetail)
async def accede(
    decision_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> DecisionRead:
    decision = await service.accede(session, principal.viewer, decision_id)
    return await service.decision_read(session, decision, detail=True)


@router.post("/decisions/{decision_id}/withdraw", response_model=DecisionDetail)
async def withdraw_decision(
    decision_id: uuid.UUID,
    body: DecisionWithdraw | None = None,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> DecisionRead:
    decision = await drafts.withdraw_decision(
        session, principal.viewer, decision_id, body or DecisionWithdraw()
    )
    return await service.decision_read(session, decision, detail=True)


@router.post("/decisions/{decision_id}/redraft", response_model=DecisionDetail, status_code=201)
async def redraft_decision(
    decision_id: uuid.UUID,
    body: DecisionRedraft | None = None,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> DecisionRead:
    """A new draft from one not adopted or withdrawn: at a session, or for a new written
    procedure."""
    decision = await drafts.redraft_decision(
        session, principal.viewer, decision_id, body or DecisionRedraft()
    )
    return await service.decision_read(session, decision, detail=True)
