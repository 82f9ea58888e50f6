"""The programme pages: the chair's programme with progress, the handover report and its PDF."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord import i18n
from accord.auth.dependencies import Principal, get_session, page_principal, undo
from accord.errors import Conflict, InvalidInput, NotFound
from accord.i18n import _
from accord.members import service as members
from accord.programme import activity_pages, editor, report, service
from accord.programme.editor import _year, activity_status_names
from accord.programme.schemas import ACTIVITY_STATUSES, ActivityChange
from accord.web.forms import parse_form
from accord.web.rendering import redirect, render

router = APIRouter(include_in_schema=False)
# First, so that /programme/new is not taken for a year.
router.include_router(editor.router)
router.include_router(activity_pages.router)


async def _programme_page(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    year: int | None,
    error: Exception | None = None,
) -> Response:
    viewer = principal.viewer
    if year is None:
        programme = await service.current_programme(session, viewer)
    else:
        programme = await service.programme_of_year(session, viewer, year)
    read = await service.programme_read(session, viewer, programme) if programme else None
    shown = [
        link.classification
        for priority in (read.priorities if read else [])
        for activity in priority.activities
        for link in activity.links
    ]
    context: dict[str, Any] = {
        "programme": read,
        "years": await service.programme_years(session, viewer),
        "state_names": await members.state_names(session),
        "body_names": {b.code: members.body_name(b) for b in await members.list_bodies(session)},
        "status_names": activity_status_names(),
        "can_edit": viewer.has_role(*service.EDITORS),
        "moves": {
            status: service.ACTIVITY_FLOW.targets(status, viewer.roles)
            for status in ACTIVITY_STATUSES
        },
        "error": error,
        "message": _("Status changed.") if request.query_params.get("saved") else None,
    }
    return render(
        request,
        "programme/programme.html",
        context,
        shown=shown,
        status_code=getattr(error, "status", 200),
    )


@router.get("/programme", response_class=HTMLResponse)
async def current_programme(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    year = request.query_params.get("year", "")
    return await _programme_page(request, session, principal, _year(year) if year else None)


@router.get("/programme/{year}", response_class=HTMLResponse)
async def programme_of_year(
    request: Request,
    year: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    return await _programme_page(request, session, principal, _year(year))


@router.post("/programme/{year}/activities/{activity_id}/status", response_class=HTMLResponse)
async def move_activity(
    request: Request,
    year: str,
    activity_id: uuid.UUID,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    programme = await service.programme_of_year(session, principal.viewer, _year(year))
    programme_id, programme_year = programme.id, programme.year
    form = await request.form()
    try:
        change = parse_form(
            ActivityChange, {"version": form.get("version"), "status": form.get("status")}
        )
        await service.change_activity(session, principal.viewer, programme_id, activity_id, change)
        await session.flush()
    except (InvalidInput, Conflict) as error:
        await undo(session, principal)
        return await _programme_page(request, session, principal, programme_year, error)
    return redirect(f"/programme/{programme_year}?saved=status")


@router.get("/programme/{year}/report", response_class=HTMLResponse)
async def handover_report(
    request: Request,
    year: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    programme = await service.programme_of_year(session, principal.viewer, _year(year))
    found = await report.handover_report(session, principal.viewer, programme)
    shown = [
        link.classification
        for name in report.SECTIONS
        for item in getattr(found, name)
        for link in item.links
    ]
    return render(
        request,
        "programme/report.html",
        {
            "report": found,
            "sections": report.section_titles(),
            "state_names": await members.state_names(session),
        },
        shown=shown,
    )


@router.get("/programme/{year}/report.pdf")
async def handover_report_pdf(
    request: Request,
    year: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    """The report as a PDF; ``?lang=ru`` for Russian (default: the page's language)."""
    language = request.query_params.get("lang") or i18n.current_language()
    if language not in i18n.LANGUAGES:
        raise NotFound(_("no report in that language"))
    i18n.set_language(language)
    programme = await service.programme_of_year(session, principal.viewer, _year(year))
    found = await report.handover_report(session, principal.viewer, programme)
    from accord.programme.report_pdf import report_pdf  # fpdf2 loads only for a PDF

    data = await report_pdf(session, found, language)
    name = f"programme-{programme.year}-report-{language}.pdf"
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )
