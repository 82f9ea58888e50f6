"""The requester's edit page: change need lines (quantity, place, needed-by), add lines."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import can_change
from accord.assistance import catalogue, repository, service
from accord.assistance.page_parts import common, parse_id, refused
from accord.assistance.revision_form import EditForm, blank_form, change_from_form, posted_form
from accord.assistance.workflows import DUTY
from accord.auth.dependencies import Principal, get_session, page_principal
from accord.errors import AccordError, Conflict, Forbidden, InvalidInput
from accord.i18n import _
from accord.models.assistance_request import AssistanceRequest
from accord.web.rendering import redirect, render

router = APIRouter(include_in_schema=False)


async def _editable(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID
) -> AssistanceRequest:
    record = await service.get_request(session, principal.viewer, request_id)
    if not can_change(principal.viewer, record, DUTY):
        raise Forbidden(_("only the requesting state's duty officers change this request"))
    return record


async def _edit_page(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    record: AssistanceRequest,
    shown: EditForm,
    error: AccordError | None = None,
) -> Response:
    error_field = (error.field or "") if error else ""
    context = {
        **await common(session, principal),
        "record": record,
        "form": shown,
        "catalogue": await catalogue.list_capability_types(session),
        "error": error,
        "error_field": error_field,
        "error_input": shown.invalid(error_field),
    }
    status = error.status if error else 200
    return render(
        request,
        "assistance/request_edit.html",
        context,
        shown=[record.classification],
        status_code=status,
    )


@router.get("/assistance/requests/{request_id}/edit", response_class=HTMLResponse)
async def edit_request(
    request: Request,
    request_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    record = await _editable(session, principal, parse_id(request_id, _("request")))
    lines = (await repository.need_lines_of(session, [record.id])).get(record.id, [])
    return await _edit_page(request, session, principal, record, blank_form(record, lines))


@router.post("/assistance/requests/{request_id}/edit", response_class=HTMLResponse)
async def submit_edit(
    request: Request,
    request_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    """A new revision of the request; those who offered are told what changed."""
    ident = parse_id(request_id, _("request"))
    record = await _editable(session, principal, ident)
    lines = (await repository.need_lines_of(session, [record.id])).get(record.id, [])
    shown = posted_form(await request.form(), lines)
    try:
        before = record.revision
        change = change_from_form(shown, lines)
        changed, _lines = await service.change_request(session, principal.viewer, ident, change)
        await session.flush()
    except (InvalidInput, Conflict) as error:
        await refused(session, principal)
        record = await _editable(session, principal, ident)
        return await _edit_page(request, session, principal, record, shown, error)
    saved = "revised" if changed.revision != before else "unchanged"
    return redirect(f"/assistance/requests/{ident}?saved={saved}")
