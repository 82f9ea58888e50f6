"""The situation report pages: the list, drafting, the editor, the issued view, the cadence."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Classification, Viewer
from accord.auth.dependencies import Principal, get_session, page_principal, undo
from accord.crises import labels as crisis_labels
from accord.crises import sitrep_cadence, sitrep_text, sitreps
from accord.crises.sitrep_schemas import CADENCE_LEVELS, CadenceChange, SitrepChange, SitrepCreate
from accord.errors import AccordError, Conflict, InvalidInput, NotFound
from accord.i18n import _
from accord.members import service as members
from accord.models.crisis import Crisis
from accord.web.forms import form_values, parse_form, validation_message
from accord.web.rendering import environment, redirect, render

router = APIRouter(include_in_schema=False)
SAVED = {
    "draft": lambda: _("Report drafted from the live data. Edit it, then issue it."),
    "edit": lambda: _("Changes saved."),
    "refresh": lambda: _("Report drafted again from the live data."),
    "issue": lambda: _("Report issued. It is kept as issued."),
    "cadence": lambda: _("Cadence saved."),
}


def may_draft(viewer: Viewer | None, crisis: Crisis) -> bool:
    return viewer is not None and crisis.level != "closed" and sitreps.may_write(viewer, crisis)


# The crisis page's partial asks this, with only the crisis in hand; the overdue panel, shown
# on other domains' pages too, names the levels.
environment.globals["may_draft_sitrep"] = may_draft
environment.globals["crisis_level_names"] = crisis_labels.level_names


def _ident(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(_("no situation report {id}").format(id=value[:40])) from None


async def sitrep_panel(session: AsyncSession, viewer: Viewer, crisis: Crisis) -> dict[str, Any]:
    """What the crisis page's report panel shows: the reports seen, and whether one is late."""
    rows, _cursor = await sitreps.list_sitreps(session, viewer, crisis_id=crisis.id, limit=20)
    late = await sitrep_cadence.overdue_sitreps(session, viewer)
    return {
        "sitreps": rows,
        "sitrep_overdue": next((row for row in late if row.crisis_id == crisis.id), None),
    }


async def overdue_panel(session: AsyncSession, viewer: Viewer) -> list[sitrep_cadence.Overdue]:
    """The overdue reports a dashboard shows to ``viewer``."""
    return await sitrep_cadence.overdue_sitreps(session, viewer)


@router.get("/sitreps", response_class=HTMLResponse)
async def sitrep_list(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    crisis_id = request.query_params.get("crisis_id") or None
    try:
        chosen = uuid.UUID(crisis_id) if crisis_id else None
    except ValueError:
        chosen = None
    rows, next_cursor = await sitreps.list_sitreps(
        session,
        principal.viewer,
        crisis_id=chosen,
        cursor=request.query_params.get("cursor") or None,
        limit=50,
    )
    context = {
        "rows": rows,
        "next_cursor": next_cursor,
        "crisis_id": chosen,
        "overdue": await overdue_panel(session, principal.viewer),
        "levels": crisis_labels.level_names(),
    }
    shown = [row.classification for row in [*rows, *context["overdue"]]]
    return render(request, "sitreps/list.html", context, shown=shown)


@router.post("/sitreps/new")
async def new_sitrep(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    values = form_values(await request.form())
    values = {key: value for key, value in values.items() if value not in ("", None)}
    data = parse_form(SitrepCreate, values)
    sitrep = await sitreps.draft_sitrep(session, principal.viewer, data)
    return redirect(f"/sitreps/{sitrep.id}?saved=draft")


async def _detail(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    sitrep_id: uuid.UUID,
    *,
    error: AccordError | None = None,
    attempted: dict[str, Any] | None = None,
) -> Response:
    sitrep = await sitreps.get_sitrep(session, principal.viewer, sitrep_id)
    saved = request.query_params.get("saved", "")
    with sitrep_text.language(sitrep.language):
        sections = sitrep_text.section_names()
    context = {
        "sitrep": sitrep,
        "crisis": sitrep.snapshot.get("crisis", {}),
        "totals": sitrep.snapshot.get("totals", {}),
        "needs": sitrep.snapshot.get("needs", []),
        "may_change": await sitreps.may_change(session, principal.viewer, sitrep),
        "values": attempted or {name: getattr(sitrep, name) for name in sitreps.TEXTS},
        "sections": sections,
        "levels": crisis_labels.level_names(),
        "state_names": await members.state_names(session),
        "error": error,
        "error_field": (error.field or "") if error else "",
        "message": SAVED[saved]() if saved in SAVED and not error else None,
    }
    return render(
        request,
        "sitreps/detail.html",
        context,
        shown=[sitrep.classification],
        status_code=error.status if error else 200,
    )


@router.get("/sitreps/cadence", response_class=HTMLResponse)
async def cadence_page(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    return await _cadence(request, session, principal)


async def _cadence(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    error: AccordError | None = None,
    attempted: dict[str, Any] | None = None,
) -> Response:
    hours = await sitrep_cadence.cadence_hours(session)
    saved = request.query_params.get("saved", "")
    context = {
        "levels": [(level, crisis_labels.level_names()[level]) for level in CADENCE_LEVELS],
        "values": attempted or {level: hours.get(level, "") for level in CADENCE_LEVELS},
        "may_set": principal.viewer.has_role(*sitrep_cadence.SETTING_ROLES)
        and principal.viewer.state == "ORG",
        "error": error,
        "error_field": (error.field or "") if error else "",
        "message": SAVED[saved]() if saved in SAVED and not error else None,
    }
    return render(
        request,
        "sitreps/cadence.html",
        context,
        shown=[Classification.PUBLIC],
        status_code=error.status if error else 200,
    )


def _cadence_change(values: dict[str, Any]) -> CadenceChange:
    levels: dict[str, int | None] = {}
    for level in CADENCE_LEVELS:
        given = str(values.get(level) or "").strip()
        if not given:
            continue
        if not given.isdigit():
            raise InvalidInput(
                _("{field}: give a whole number of hours").format(field=level), field=level
            )
        levels[level] = int(given)
    try:
        return CadenceChange(levels=levels)
    except ValidationError as error:
        raise validation_message(error) from None


@router.post("/sitreps/cadence")
async def save_cadence(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    values = form_values(await request.form())
    try:
        await sitrep_cadence.set_cadences(session, principal.viewer, _cadence_change(values))
        await session.flush()
    except InvalidInput as error:
        await undo(session, principal)
        return await _cadence(request, session, principal, error, values)
    return redirect("/sitreps/cadence?saved=cadence")


@router.get("/sitreps/{sitrep_id}", response_class=HTMLResponse)
async def sitrep_detail(
    request: Request,
    sitrep_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    return await _detail(request, session, principal, _ident(sitrep_id))


async def _change(
    request: Request, session: AsyncSession, principal: Principal, sitrep_id: str, action
) -> Response:
    ident = _ident(sitrep_id)
    values = form_values(await request.form())
    try:
        saved = await action(ident, values)
        await session.flush()
    except (InvalidInput, Conflict) as error:
        await undo(session, principal)
        return await _detail(request, session, principal, ident, error=error, attempted=values)
    return redirect(f"/sitreps/{ident}?saved={saved}")


def _version(values: dict[str, Any]) -> int:
    given = str(values.get("version") or "")
    if not given.isdigit():
        raise InvalidInput(_("version: reload the page and try again"), field="version")
    return int(given)


@router.post("/sitreps/{sitrep_id}/edit")
async def edit_sitrep(
    request: Request,
    sitrep_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    async def action(ident: uuid.UUID, values: dict[str, Any]) -> str:
        refresh = values.get("refresh") == "1"
        texts = {} if refresh else {name: values.get(name) for name in sitreps.TEXTS}
        change = parse_form(
            SitrepChange,
            {"version": _version(values), "refresh": refresh, **texts},
        )
        await sitreps.change_sitrep(session, principal.viewer, ident, change)
        return "refresh" if refresh else "edit"

    return await _change(request, session, principal, sitrep_id, action)


@router.post("/sitreps/{sitrep_id}/issue")
async def issue_sitrep(
    request: Request,
    sitrep_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    async def action(ident: uuid.UUID, values: dict[str, Any]) -> str:
        await sitreps.issue_sitrep(session, principal.viewer, ident, _version(values))
        return "issue"

    return await _change(request, session, principal, sitrep_id, action)
