"""The situation reports API: /api/v1/sitreps."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord.auth.dependencies import Principal, current_principal, get_session, require_roles
from accord.clock import utcnow
from accord.crises import sitrep_cadence, sitreps
from accord.crises.sitrep_schemas import (
    CadenceChange,
    CadenceRead,
    CadenceTable,
    OverdueList,
    OverdueRead,
    SitrepChange,
    SitrepCreate,
    SitrepIssue,
    SitrepList,
    SitrepRead,
)
from accord.crises.sitreps import sitrep_read

router = APIRouter(prefix="/api/v1", tags=["sitreps"])


@router.get("/sitreps", response_model=SitrepList)
async def list_sitreps(
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    crisis_id: uuid.UUID | None = None,
    status: Literal["draft", "issued"] | None = None,
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=200),
) -> SitrepList:
    rows, next_cursor = await sitreps.list_sitreps(
        session, principal.viewer, crisis_id=crisis_id, status=status, cursor=cursor, limit=limit
    )
    return SitrepList(items=[sitrep_read(row) for row in rows], next_cursor=next_cursor)


@router.post("/sitreps", response_model=SitrepRead, status_code=201)
async def draft_sitrep(
    body: SitrepCreate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> SitrepRead:
    return sitrep_read(await sitreps.draft_sitrep(session, principal.viewer, body))


async def _table(session: AsyncSession) -> CadenceTable:
    rows = await sitrep_cadence.list_cadences(session)
    levels: dict[str, int | None] = dict.fromkeys(sitrep_cadence.CADENCE_LEVELS)
    levels.update({row.level: row.interval_hours for row in rows})
    return CadenceTable(
        levels=levels,
        items=[
            CadenceRead(
                level=row.level,
                interval_hours=row.interval_hours,
                updated_by=row.updated_by,
                updated_at=row.updated_at,
            )
            for row in rows
        ],
    )


@router.get("/sitreps/cadence", response_model=CadenceTable)
async def get_cadence(
    _principal: Principal = Depends(current_principal), session: AsyncSession = get_session
) -> CadenceTable:
    return await _table(session)


@router.put("/sitreps/cadence", response_model=CadenceTable)
async def set_cadence(
    body: CadenceChange,
    principal: Principal = Depends(require_roles("secretariat")),
    session: AsyncSession = get_session,
) -> CadenceTable:
    await sitrep_cadence.set_cadences(session, principal.viewer, body)
    return await _table(session)


@router.get("/sitreps/overdue", response_model=OverdueList)
async def overdue(
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=20, pattern=r"^\d+$"),
) -> OverdueList:
    rows = await sitrep_cadence.overdue_sitreps(session, principal.viewer)
    start = int(cursor or 0)
    now = utcnow()
    page = rows[start : start + limit]
    return OverdueList(
        items=[
            OverdueRead(
                crisis_id=row.crisis_id,
                title=row.title,
                level=row.level,
                mode=row.mode,
                interval_hours=row.interval_hours,
                last_issued_at=row.last_issued_at,
                due_at=row.due_at,
                overdue_hours=row.overdue_hours(now),
                classification=row.classification.name,
            )
            for row in page
        ],
        next_cursor=str(start + limit) if start + limit < len(rows) else None,
    )


async def _pdf(
    session: AsyncSession, principal: Principal, sitrep_id: uuid.UUID, lang: str | None
) -> Response:
    # fpdf2 and matplotlib load on the first PDF, not in every serving process.
    from accord.crises.sitrep_pdf import pdf_filename, render_pdf

    sitrep = await sitreps.get_sitrep(session, principal.viewer, sitrep_id)
    body = await render_pdf(session, sitrep, lang or sitrep.language)
    return Response(
        body,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{pdf_filename(sitrep, lang)}"',
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/sitreps/{sitrep_id}.pdf", response_class=Response)
async def sitrep_pdf(
    sitrep_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    lang: Literal["en", "ru"] | None = None,
) -> Response:
    """The report as PDF, headings in ``lang`` (the report's own language by default)."""
    return await _pdf(session, principal, sitrep_id, lang)


@router.get("/sitreps/{sitrep_id}/pdf", response_class=Response)
async def sitrep_pdf_path(
    sitrep_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    lang: Literal["en", "ru"] | None = None,
) -> Response:
    return await _pdf(session, principal, sitrep_id, lang)


@router.get("/sitreps/{sitrep_id}", response_model=SitrepRead)
async def get_sitrep(
    sitrep_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> SitrepRead:
    return sitrep_read(await sitreps.get_sitrep(session, principal.viewer, sitrep_id))


@router.patch("/sitreps/{sitrep_id}", response_model=SitrepRead)
async def change_sitrep(
    sitrep_id: uuid.UUID,
    body: SitrepChange,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> SitrepRead:
    return sitrep_read(await sitreps.change_sitrep(session, principal.viewer, sitrep_id, body))


@router.post("/sitreps/{sitrep_id}/issue", response_model=SitrepRead)
async def issue_sitrep(
    sitrep_id: uuid.UUID,
    body: SitrepIssue | None = None,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> SitrepRead:
    version = body.version if body else None
    return sitrep_read(await sitreps.issue_sitrep(session, principal.viewer, sitrep_id, version))
