"""The crisis pages: the list, the form that opens a crisis, and one crisis, live."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Classification
from accord.auth.dependencies import Principal, get_session, page_principal, undo
from accord.crises import escalation, labels, repository, service, tasks
from accord.crises.flows import LEVELS
from accord.crises.page_context import crisis_context
from accord.crises.repository import CrisisFilter
from accord.crises.schemas import CrisisChange, CrisisCreate, Escalation, TaskChange, TaskCreate
from accord.errors import AccordError, Conflict, Forbidden, InvalidInput, NotFound
from accord.i18n import _
from accord.incidents import repository as incidents
from accord.members import service as members
from accord.web.forms import form_values, parse_form
from accord.web.rendering import redirect, render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
MODES = ("actual", "exercise", "test")
SAVED = {
    "opened": lambda: _("Crisis opened."),
    "escalated": lambda: _("The crisis moved to its new level."),
    "roles": lambda: _("Changes saved."),
    "task": lambda: _("Task saved."),
    "incidents": lambda: _("Incidents changed."),
}


def _crisis_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(_("no crisis {id}").format(id=value[:40])) from None


@router.get("/crises", response_class=HTMLResponse)
async def crisis_list(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    params = request.query_params
    chosen = {
        "level": [v for v in params.getlist("level") if v in LEVELS],
        "state": [v for v in params.getlist("state") if len(v) == 3 and v.isupper()],
        "mode": [v for v in params.getlist("mode") if v in MODES],
    }
    filters = CrisisFilter(
        levels=tuple(chosen["level"]), states=tuple(chosen["state"]), modes=tuple(chosen["mode"])
    )
    error = None
    rows, next_cursor = [], None
    try:
        rows, next_cursor = await repository.list_crises(
            session,
            principal.viewer,
            filters,
            cursor=params.get("cursor") or None,
            limit=PAGE_SIZE,
        )
    except InvalidInput as problem:
        error = problem
    query = [(name, value) for name, values in chosen.items() for value in values]
    context = {
        "rows": rows,
        "chosen": chosen,
        "error": error,
        "labels": labels.all_labels(),
        "levels": LEVELS,
        "modes": MODES,
        "states": await members.list_states(session),
        "state_names": await members.state_names(session),
        "may_open": principal.viewer.has_role(*service.OPENING_ROLES),
        "next_url": "/crises?" + urlencode([*query, ("cursor", next_cursor)])
        if next_cursor
        else None,
    }
    return render(
        request,
        "crises/list.html",
        context,
        shown=[row.classification for row in rows],
        status_code=422 if error else 200,
    )


# Opening a crisis


async def _form(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    values: dict[str, Any],
    error: AccordError | None = None,
) -> Response:
    chosen = [i for i in values.get("incident_ids", []) if i]
    candidates = []
    for ident in chosen:
        try:
            found = await incidents.get_visible(session, principal.viewer, uuid.UUID(ident))
        except ValueError:
            found = None
        if found is not None:
            candidates.append(found)
    context = {
        "values": values,
        "error": error,
        "error_field": (error.field or "") if error else "",
        "levels": [level for level in Classification if level <= principal.viewer.clearance],
        "states": await members.list_states(session),
        "labels": labels.all_labels(),
        "candidates": candidates,
    }
    shown = [values.get("classification") or Classification.PUBLIC]
    shown += [row.classification for row in candidates]
    return render(
        request,
        "crises/new.html",
        context,
        shown=shown,
        status_code=error.status if error else 200,
    )


def _require_opener(principal: Principal) -> None:
    if not principal.viewer.has_role(*service.OPENING_ROLES):
        raise Forbidden(_("opening a crisis needs the duty officer or secretariat role"))


@router.get("/crises/new", response_class=HTMLResponse)
async def new_crisis(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    _require_opener(principal)
    classification, releasable = await service.default_markings(session, principal.viewer.state)
    viewer_state = principal.viewer.state
    values = {
        "title": "",
        "summary": "",
        "level": "monitoring",
        "mode": "actual",
        "affected_states": [] if viewer_state == "ORG" else [viewer_state],
        "incident_ids": request.query_params.getlist("incident"),
        "classification": classification.name,
        "releasable_to": releasable,
        "reason": "",
    }
    return await _form(request, session, principal, values)


@router.post("/crises/new", response_class=HTMLResponse)
async def submit_crisis(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    _require_opener(principal)
    values = form_values(
        await request.form(), lists=("affected_states", "releasable_to", "incident_ids")
    )
    try:
        data = parse_form(
            CrisisCreate,
            {
                **values,
                "incident_ids": [i for i in values["incident_ids"] if i],
                "affected_states": values["affected_states"] or None,
                "releasable_to": values["releasable_to"] or None,
            },
        )
        crisis = await service.open_crisis(session, principal.viewer, data)
        await session.flush()
    except InvalidInput as error:
        await undo(session, principal)
        return await _form(request, session, principal, values, error)
    return redirect(f"/crises/{crisis.id}?saved=opened")


# One crisis


@router.get("/crises/{crisis_id}", response_class=HTMLResponse)
async def crisis_page(
    request: Request,
    crisis_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    return await _detail(request, session, principal, _crisis_id(crisis_id))


async def _detail(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    crisis_id: uuid.UUID,
    error: AccordError | None = None,
) -> Response:
    context, shown = await crisis_context(session, principal.viewer, crisis_id)
    saved = request.query_params.get("saved", "")
    context.update(
        error=error,
        error_field=(error.field or "") if error else "",
        message=SAVED[saved]() if saved in SAVED and not error else None,
    )
    return render(
        request,
        "crises/detail.html",
        context,
        shown=shown,
        status_code=error.status if error else 200,
    )


async def _change(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    crisis_id: str,
    saved: str,
    action,
) -> Response:
    ident = _crisis_id(crisis_id)
    values = form_values(await request.form())
    try:
        await action(ident, values)
        await session.flush()
    except (InvalidInput, Conflict) as error:
        await undo(session, principal)
        return await _detail(request, session, principal, ident, error)
    return redirect(f"/crises/{ident}?saved={saved}")


def _blank_to_none(values: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: (None if k in names and v == "" else v) for k, v in values.items()}


@router.post("/crises/{crisis_id}/escalate")
async def escalate(
    request: Request,
    crisis_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    async def action(ident: uuid.UUID, values: dict[str, Any]) -> None:
        step = parse_form(
            Escalation, _blank_to_none(values, "decision_id", "decision_reference", "version")
        )
        await escalation.escalate(session, principal.viewer, ident, step)

    return await _change(request, session, principal, crisis_id, "escalated", action)


@router.post("/crises/{crisis_id}/roles")
async def assign_roles(
    request: Request,
    crisis_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    async def action(ident: uuid.UUID, values: dict[str, Any]) -> None:
        given = {name: (values.get(name) or "").strip() for name in service.ROLE_FIELDS}
        change = parse_form(CrisisChange, {"version": values.get("version") or "", **given})
        await service.change_crisis(session, principal.viewer, ident, change)

    return await _change(request, session, principal, crisis_id, "roles", action)


@router.post("/crises/{crisis_id}/tasks")
async def add_task(
    request: Request,
    crisis_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    async def action(ident: uuid.UUID, values: dict[str, Any]) -> None:
        deadline = values.get("deadline") or None
        if deadline and len(deadline) == 16:
            deadline += ":00+00:00"  # a datetime-local input, in UTC as the form says
        data = parse_form(TaskCreate, {**values, "deadline": deadline})
        await tasks.add_task(session, principal.viewer, ident, data)

    return await _change(request, session, principal, crisis_id, "task", action)


@router.post("/crises/{crisis_id}/tasks/{task_id}/done")
async def finish_task(
    request: Request,
    crisis_id: str,
    task_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    async def action(ident: uuid.UUID, values: dict[str, Any]) -> None:
        try:
            task_ident = uuid.UUID(task_id)
        except ValueError:
            raise NotFound(_("no task {id} in this crisis").format(id=task_id[:40])) from None
        change = TaskChange(done=values.get("done") != "0")
        await tasks.change_task(session, principal.viewer, ident, task_ident, change)

    return await _change(request, session, principal, crisis_id, "task", action)


@router.post("/crises/{crisis_id}/incidents")
async def link_incident(
    request: Request,
    crisis_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    async def action(ident: uuid.UUID, values: dict[str, Any]) -> None:
        given = str(values.get("incident_id") or "").strip().rstrip("/").rsplit("/", 1)[-1]
        try:
            incident_id = uuid.UUID(given)
        except ValueError:
            raise InvalidInput(
                _("incident_ids: give the id of an incident, or a link to it"),
                field="incident_ids.0",
            ) from None
        await service.link_incidents(session, principal.viewer, ident, [incident_id])

    return await _change(request, session, principal, crisis_id, "incidents", action)


@router.post("/crises/{crisis_id}/incidents/{incident_id}/remove")
async def unlink_incident(
    request: Request,
    crisis_id: str,
    incident_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    async def action(ident: uuid.UUID, values: dict[str, Any]) -> None:
        try:
            incident_ident = uuid.UUID(incident_id)
        except ValueError:
            raise NotFound(_("no incident {id}").format(id=incident_id[:40])) from None
        await service.unlink_incident(session, principal.viewer, ident, incident_ident)

    return await _change(request, session, principal, crisis_id, "incidents", action)
