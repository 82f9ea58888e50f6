"""JSON routes of the incidents domain."""

from __future__ import annotations

import json
import uuid

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from accord.auth.dependencies import Principal, current_principal, get_session
from accord.errors import MalformedInput, TooLarge
from accord.i18n import _
from accord.incidents import ingest, repository, service
from accord.incidents.filters import incident_filter
from accord.incidents.repository import IncidentFilter
from accord.incidents.schemas import (
    Comment,
    DuplicateLink,
    IncidentChange,
    IncidentCreate,
    IncidentList,
    IncidentRead,
    TimelineEntry,
)
from accord.incidents.service import incident_read

router = APIRouter(prefix="/api/v1", tags=["incidents"])


@router.get("/incidents", response_model=IncidentList)
async def list_incidents(
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    filters: IncidentFilter = Depends(incident_filter),
    sort: str = Query("time", pattern="^(time|severity)$"),
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=200),
) -> IncidentList:
    rows, next_cursor = await repository.list_incidents(
        session, principal.viewer, filters, sort=sort, cursor=cursor, limit=limit
    )
    return IncidentList(items=[incident_read(row) for row in rows], next_cursor=next_cursor)


@router.post("/incidents", response_model=IncidentRead, status_code=201)
async def report_incident(
    body: IncidentCreate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> IncidentRead:
    incident = await service.report_incident(session, principal.viewer, body)
    return incident_read(incident)


MAX_BATCH_BYTES = 20 * 1024 * 1024


@router.post("/incidents/batch", status_code=200)
async def ingest_batch(
    request: Request,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    idempotency_key: str | None = Header(None, max_length=200),
) -> JSONResponse:
    """Up to 1,000 reports; each valid one is stored, each invalid one reported by index."""
    raw = await request.body()
    if len(raw) > MAX_BATCH_BYTES:
        raise TooLarge(_("the batch body exceeds 20 MB"))
    digest = ingest.request_digest(raw)
    user_id = principal.user.id
    if idempotency_key:
        stored = await ingest.replay(session, user_id, idempotency_key, digest)
        if stored is not None:
            return JSONResponse(
                stored.body, status_code=stored.status_code, headers={"Idempotent-Replayed": "true"}
            )
    try:
        body = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise MalformedInput(
            _("the body is not valid JSON: {reason}").format(reason=error)
        ) from None
    answer = await ingest.ingest(session, principal.viewer, ingest.batch_items(body))
    if idempotency_key:
        ingest.remember(session, user_id, idempotency_key, digest, ingest.StoredAnswer(200, answer))
    return JSONResponse(answer)


@router.get("/incidents/{incident_id}", response_model=IncidentRead)
async def get_incident(
    incident_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> IncidentRead:
    return incident_read(await service.get_incident(session, principal.viewer, incident_id))


@router.patch("/incidents/{incident_id}", response_model=IncidentRead)
async def change_incident(
    incident_id: uuid.UUID,
    body: IncidentChange,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> IncidentRead:
    incident = await service.change_incident(session, principal.viewer, incident_id, body)
    return incident_read(incident)


@router.get("/incidents/{incident_id}/timeline", response_model=list[TimelineEntry])
async def incident_timeline(
    incident_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> list[TimelineEntry]:
    incident = await service.get_incident(session, principal.viewer, incident_id)
    return [
        TimelineEntry(at=e.at, actor=e.actor, kind=e.kind, changes=e.changes, comment=e.comment)
        for e in await repository.timeline(session, incident.id)
    ]


@router.post("/incidents/{incident_id}/comments", response_model=TimelineEntry, status_code=201)
async def comment_on_incident(
    incident_id: uuid.UUID,
    body: Comment,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> TimelineEntry:
    entry = await service.comment_on(session, principal.viewer, incident_id, body.comment)
    return TimelineEntry(
        at=entry.at, actor=entry.actor, kind=entry.kind, changes={}, comment=entry.comment
    )


@router.post("/incidents/{incident_id}/duplicate", response_model=IncidentRead)
async def mark_duplicate(
    incident_id: uuid.UUID,
    body: DuplicateLink,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> IncidentRead:
    incident = await service.link_duplicate(
        session, principal.viewer, incident_id, body.duplicate_of, body.version
    )
    return incident_read(incident)
