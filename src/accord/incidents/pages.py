"""HTML routes of the incidents domain: the list, the report form, one incident, the situation.

Also the situation as JSON for the live page, and Leaflet's files from the ``xstatic-leaflet``
package (the map pages of the whole application load them from here).
"""

from __future__ import annotations

import mimetypes
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import xstatic.pkg.leaflet
from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import SECRETARIAT, Classification, can_change
from accord.auth.dependencies import (
    Principal,
    current_principal,
    get_session,
    page_principal,
    undo,
)
from accord.crises.sitrep_cadence import overdue_sitreps
from accord.errors import AccordError, Conflict, Forbidden, InvalidInput, NotFound
from accord.i18n import _, current_language
from accord.incidents import forms, labels, repository, service, situation
from accord.incidents.attachment_service import attachments_context
from accord.incidents.filters import incident_filter
from accord.incidents.outlines import member_outlines
from accord.incidents.repository import IncidentFilter
from accord.incidents.schemas import AREAS, CERTAINTIES, MODES, SEVERITIES, STATUSES, URGENCIES
from accord.incidents.situation_view import situation_view
from accord.members import repository as members_repository
from accord.members import service as members
from accord.models import Incident
from accord.web.rendering import redirect, render

router = APIRouter()
PAGE_SIZE = 50
LIST_FILTERS = ("area", "owner", "country", "severity", "status", "mode")
LEAFLET_DIR = Path(xstatic.pkg.leaflet.BASE_DIR).resolve()
SAVED_MESSAGES = {
    "report": lambda: _("Report stored."),
    "edit": lambda: _("Changes saved."),
    "status": lambda: _("Status changed."),
    "comment": lambda: _("Comment added."),
    "duplicate": lambda: _("Marked as a duplicate: it no longer counts in the situation."),
}


# Leaflet and the member states' outlines, for every map of the application


@router.get("/static/vendor/leaflet/{path:path}", include_in_schema=False)
async def leaflet_file(path: str) -> Response:
    target = (LEAFLET_DIR / path).resolve()
    if not target.is_relative_to(LEAFLET_DIR) or not target.is_file():
        raise NotFound(_("nothing here"))
    media_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    return FileResponse(
        target, media_type=media_type, headers={"Cache-Control": "public, max-age=86400"}
    )


@router.get("/incidents/outlines.geojson", include_in_schema=False)
async def outlines(
    _principal: Principal = Depends(current_principal), session: AsyncSession = get_session
) -> JSONResponse:
    names = await members.state_names(session)
    codes = tuple(sorted(code for code in names if code != SECRETARIAT))
    collection = member_outlines(codes)
    features = [
        {
            **feature,
            "properties": {**feature["properties"], "name": names[feature["properties"]["code"]]},
        }
        for feature in collection["features"]
    ]
    return JSONResponse(
        {"type": "FeatureCollection", "features": features},
        headers={"Cache-Control": "private, max-age=3600"},
    )


# The list


def _day(value: str, name: str, *, end: bool) -> str | None:
    """A date input's day as the ISO instant the filter takes (the end of a day is exclusive)."""
    if not value:
        return None
    if len(value) > 10:
        return value
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            _("{field}: not a date like 2024-05-01").format(field=name), field=name
        ) from None
    return f"{day + timedelta(days=1) if end else day}T00:00:00+00:00"


def _list_query(request: Request) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """What the list form shows, and the same filters as the API takes them."""
    params = request.query_params
    shown: dict[str, Any] = {name: params.getlist(name) for name in LIST_FILTERS}
    shown.update(
        q=(params.get("q") or "")[:200],
        since=(params.get("since") or "")[:40],
        until=(params.get("until") or "")[:40],
        sort="severity" if params.get("sort") == "severity" else "time",
    )
    api = [(name, value) for name in LIST_FILTERS for value in shown[name]]
    if shown["q"]:
        api.append(("q", shown["q"]))
    for name in ("since", "until"):
        instant = _day(shown[name], name, end=name == "until")
        if instant:
            api.append((name, instant))
    return shown, api


def _filter_of(api: list[tuple[str, str]]) -> IncidentFilter:
    values: dict[str, Any] = {name: [] for name in LIST_FILTERS}
    for name, value in api:
        if name in LIST_FILTERS:
            values[name].append(value)
        else:
            values[name] = value
    values.setdefault("q", None)
    values.setdefault("since", None)
    values.setdefault("until", None)
    return incident_filter(**values)


async def _common(session: AsyncSession) -> dict[str, Any]:
    return {
        "labels": labels.all_labels(),
        "state_names": await members.state_names(session),
        "states": await members.list_states(session),
        "codes": {
            "areas": AREAS,
            "severities": SEVERITIES,
            "urgencies": URGENCIES,
            "certainties": CERTAINTIES,
            "statuses": STATUSES,
            "modes": MODES,
        },
    }


@router.get("/incidents", response_class=HTMLResponse, include_in_schema=False)
async def incident_list(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    rows: list[Incident] = []
    next_cursor = error = None
    shown: dict[str, Any] = {}
    api: list[tuple[str, str]] = []
    try:
        shown, api = _list_query(request)
        rows, next_cursor = await repository.list_incidents(
            session,
            principal.viewer,
            _filter_of(api),
            sort=shown["sort"],
            cursor=request.query_params.get("cursor") or None,
            limit=PAGE_SIZE,
        )
    except InvalidInput as problem:
        error = problem
    page_query = [(name, value) for name in LIST_FILTERS for value in shown.get(name, [])]
    page_query += [(n, shown[n]) for n in ("q", "since", "until", "sort") if shown.get(n)]
    context = {
        **await _common(session),
        "rows": rows,
        "filters": shown or {name: [] for name in LIST_FILTERS},
        "error": error,
        "export_query": urlencode(api),
        "next_url": "/incidents?" + urlencode([*page_query, ("cursor", next_cursor)])
        if next_cursor
        else None,
        "first_url": "/incidents?" + urlencode(page_query),
        "paged": bool(request.query_params.get("cursor")),
    }
    return render(
        request,
        "incidents_list.html",
        context,
        shown=[row.classification for row in rows],
        status_code=422 if error else 200,
    )


# The report form


def _require_reporter(principal: Principal) -> None:
    if not principal.viewer.has_role(*service.REPORTING_ROLES):
        raise Forbidden(_("reporting incidents needs the duty officer or analyst role"))


def _require_owner(principal: Principal, incident: Incident) -> None:
    if not can_change(principal.viewer, incident, service.REPORTING_ROLES):
        raise Forbidden(_("only the reporting state's duty officers and analysts change this"))


async def _report_form(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    values: dict[str, Any],
    error: AccordError | None = None,
) -> Response:
    levels = [level for level in Classification if level <= principal.viewer.clearance]
    context = {
        **await _common(session),
        "values": values,
        "error": error,
        "error_field": (error.field or "") if error else "",
        "levels": levels,
    }
    return render(
        request,
        "incident_form.html",
        context,
        shown=[values.get("classification") or Classification.PUBLIC],
        status_code=error.status if error else 200,
    )


@router.get("/incidents/new", response_class=HTMLResponse, include_in_schema=False)
async def new_incident(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    _require_reporter(principal)
    state = await members_repository.get_state(session, principal.viewer.state)
    values = forms.report_defaults(principal.viewer, state, current_language())
    return await _report_form(request, session, principal, values)


@router.post("/incidents/new", response_class=HTMLResponse, include_in_schema=False)
async def submit_incident(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    _require_reporter(principal)
    values = forms.submitted(await request.form())
    try:
        data = forms.create_from_form(values)
        incident = await service.report_incident(session, principal.viewer, data)
        await session.flush()
    except InvalidInput as error:
        await undo(session, principal)
        return await _report_form(request, session, principal, values, error)
    return redirect(f"/incidents/{incident.id}?saved=report")


# One incident


def _incident_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(_("no incident {id}").format(id=value[:40])) from None


async def _visible_links(
    session: AsyncSession, principal: Principal, incident: Incident
) -> tuple[Incident | None, list[Incident]]:
    """The original this report duplicates and the reports that duplicate it, as far as seen."""
    original = None
    if incident.duplicate_of is not None:
        original = await repository.get_visible(session, principal.viewer, incident.duplicate_of)
    query = repository.filtered(session, principal.viewer, IncidentFilter()).where(
        Incident.duplicate_of == incident.id
    )
    return original, list((await session.execute(query.order_by(Incident.reported_at))).scalars())


def _timeline_entries(entries: list, duplicates: list[Incident]) -> list:
    # A duplicate the viewer may not see is not hinted at, not even by its id on the timeline.
    seen = {str(row.id) for row in duplicates}
    return [
        entry
        for entry in entries
        if entry.kind != "duplicate_found" or entry.changes.get("duplicate") in seen
    ]


async def _detail(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    incident_id: uuid.UUID,
    *,
    error: AccordError | None = None,
    attempted: dict[str, Any] | None = None,
) -> Response:
    incident = await service.get_incident(session, principal.viewer, incident_id)
    original, duplicates = await _visible_links(session, principal, incident)
    entries = _timeline_entries(await repository.timeline(session, incident.id), duplicates)
    changeable = can_change(principal.viewer, incident, service.REPORTING_ROLES)
    saved = request.query_params.get("saved", "")
    conflict = isinstance(error, Conflict)
    context = {
        **await _common(session),
        "incident": incident,
        "original": original,
        "duplicates": duplicates,
        "timeline": entries,
        "can_change": changeable,
        "moves": [s for s in STATUSES if changeable and s in service.STATUS_MOVES[incident.status]],
        "values": forms.edit_values_or(attempted, incident, conflict),
        "current": forms.edit_values(incident),
        "attempted": attempted if conflict else None,
        "conflict": conflict,
        "error": error,
        "error_field": (error.field or "") if error else "",
        "message": SAVED_MESSAGES[saved]() if saved in SAVED_MESSAGES and not error else None,
        "levels": [level for level in Classification if level <= principal.viewer.clearance],
        **await attachments_context(
            session,
            principal.viewer,
            incident,
            max_upload_bytes=request.app.state.settings.max_upload_bytes,
        ),
    }
    shown = [incident.classification] + [row.classification for row in duplicates]
    if original is not None:
        shown.append(original.classification)
    return render(
        request,
        "incident_detail.html",
        context,
        shown=shown,
        status_code=error.status if error else 200,
    )


@router.get("/incidents/{incident_id}", response_class=HTMLResponse, include_in_schema=False)
async def incident_detail(
    request: Request,
    incident_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    return await _detail(request, session, principal, _incident_id(incident_id))


async def _change(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    incident_id: str,
    saved: str,
    action,
) -> Response:
    """Run a change from a form on the detail page; refused changes show on the page again."""
    ident = _incident_id(incident_id)
    values = forms.submitted(await request.form())
    try:
        await action(ident, values)
        await session.flush()
    except (InvalidInput, Conflict) as error:
        await undo(session, principal)
        return await _detail(request, session, principal, ident, error=error, attempted=values)
    return redirect(f"/incidents/{ident}?saved={saved}")


@router.post("/incidents/{incident_id}/edit", include_in_schema=False)
async def edit_incident(
    request: Request,
    incident_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    async def action(ident: uuid.UUID, values: dict[str, Any]) -> None:
        incident = await service.get_incident(session, principal.viewer, ident)
        _require_owner(principal, incident)
        change = forms.change_from_form(values, incident)
        await service.change_incident(session, principal.viewer, ident, change)

    return await _change(request, session, principal, incident_id, "edit", action)


@router.post("/incidents/{incident_id}/status", include_in_schema=False)
async def move_incident(
    request: Request,
    incident_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    async def action(ident: uuid.UUID, values: dict[str, Any]) -> None:
        change = forms.status_change(values["version"], values["status"])
        await service.change_incident(session, principal.viewer, ident, change)

    return await _change(request, session, principal, incident_id, "status", action)


@router.post("/incidents/{incident_id}/comments", include_in_schema=False)
async def comment_incident(
    request: Request,
    incident_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    async def action(ident: uuid.UUID, values: dict[str, Any]) -> None:
        if not values["comment"]:
            raise InvalidInput(_("comment: write something first"), field="comment")
        await service.comment_on(session, principal.viewer, ident, values["comment"][:5000])

    return await _change(request, session, principal, incident_id, "comment", action)


@router.post("/incidents/{incident_id}/duplicate", include_in_schema=False)
async def duplicate_incident(
    request: Request,
    incident_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    async def action(ident: uuid.UUID, values: dict[str, Any]) -> None:
        form = await request.form()
        given = str(form.get("duplicate_of") or "").strip()
        incident = await service.get_incident(session, principal.viewer, ident)
        _require_owner(principal, incident)
        original = _original_id(given)
        version = forms.form_version(values)
        try:
            await service.link_duplicate(session, principal.viewer, ident, original, version)
        except NotFound:
            raise InvalidInput(
                _("duplicate_of: no incident {id} that you can see").format(id=original),
                field="duplicate_of",
            ) from None

    return await _change(request, session, principal, incident_id, "duplicate", action)


def _original_id(given: str) -> uuid.UUID:
    # Accept the id alone or a pasted link to the incident's page.
    try:
        return uuid.UUID(given.rstrip("/").rsplit("/", 1)[-1])
    except ValueError:
        raise InvalidInput(
            _("duplicate_of: give the id of the original incident"), field="duplicate_of"
        ) from None


# The situation


@router.get("/situation", response_class=HTMLResponse, include_in_schema=False)
async def situation_page(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    window = request.query_params.get("window", "24h")
    if window not in situation.WINDOWS:
        window = "24h"
    picture = await request.app.state.situations.situation(
        session, principal.viewer, changes_seen=request.app.state.events.changes_seen
    )
    view = situation_view(picture, await members.list_states(session))
    overdue = await overdue_sitreps(session, principal.viewer)
    return render(
        request,
        "situation.html",
        {"view": view, "window": window, "labels": labels.all_labels(), "overdue": overdue},
        shown=[picture.classification, *(row.classification for row in overdue)],
    )


@router.get("/api/v1/situation", tags=["incidents"])
async def situation_json(
    request: Request,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> dict[str, Any]:
    """The situation picture the caller may see: counts per window, trend, newest, unverified."""
    picture = await request.app.state.situations.situation(
        session, principal.viewer, changes_seen=request.app.state.events.changes_seen
    )
    return situation_view(picture, await members.list_states(session))
