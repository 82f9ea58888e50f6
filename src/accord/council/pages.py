"""The council pages: sessions, one session, one decision, and the secretariat's forms."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import can_change
from accord.auth.dependencies import Principal, get_session, page_principal
from accord.clock import utcnow
from accord.council import agenda, drafts, repository, service, silence
from accord.council import sessions as sessions_service
from accord.council.outcome import Reason
from accord.council.page_parts import (
    act,
    common_context,
    form_deadline,
    form_version,
    ident_of,
    saved_message,
)
from accord.council.reasons import describe
from accord.council.schemas import (
    ATTENDANCE,
    POSITION_KINDS,
    AgendaItemChange,
    AgendaItemCreate,
    AttendanceSet,
    DecisionCreate,
    DecisionRedraft,
    DecisionWithdraw,
    PositionCreate,
    SessionCreate,
)
from accord.errors import AccordError, InvalidInput
from accord.i18n import _
from accord.members import repository as members_repository
from accord.members import service as members
from accord.web.forms import parse_form
from accord.web.rendering import render

router = APIRouter(include_in_schema=False)
# The council's overview


async def _overview(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    error: AccordError | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    rows = await repository.all_sessions(session, principal.viewer)
    today = utcnow().date()
    upcoming = [
        row
        for row in rows
        if (row.held_on and row.held_on >= today)
        or (row.held_on is None and row.year >= today.year)
    ]
    past = [row for row in rows if row not in upcoming]
    procedures = await silence.due_procedures(session, principal.viewer)
    decisions, _cursor = await repository.list_decisions(session, principal.viewer, limit=50)
    context = {
        **await common_context(session, principal),
        "upcoming": sorted(upcoming, key=lambda r: (r.year, r.quarter or 0, r.held_on or today)),
        "past": sorted(past, key=lambda r: (r.year, r.held_on or today), reverse=True),
        "procedures": procedures,
        "decisions": decisions,
        "states": await members.list_states(session),
        "error": error,
        "values": values or {},
        "message": saved_message(request),
    }
    shown = [r.classification for r in rows] + [d.classification for d in decisions]
    return render(
        request,
        "council/index.html",
        context,
        shown=shown,
        status_code=error.status if error else 200,
    )


@router.get("/council", response_class=HTMLResponse)
async def council_page(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    return await _overview(request, session, principal)


def _session_form(values: dict[str, Any]) -> SessionCreate:
    data = {key: value for key, value in values.items() if value not in ("", None)}
    data["public"] = values.get("public") == "on"
    if data.get("releasable_to"):
        data["releasable_to"] = [code.strip() for code in data["releasable_to"].split(",")]
    return parse_form(SessionCreate, data)


@router.post("/council/sessions")
async def plan_session(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    async def action(values: dict[str, Any]) -> str:
        record = await sessions_service.plan_session(
            session, principal.viewer, _session_form(values)
        )
        return f"/council/sessions/{record.id}?saved=session"

    async def on_error(error: AccordError, values: dict[str, Any]) -> Response:
        return await _overview(request, session, principal, error, values)

    return await act(request, session, principal, action, on_error)


@router.post("/council/decisions")
async def draft_written(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    async def action(values: dict[str, Any]) -> str:
        decision = await service.draft_decision(session, principal.viewer, _draft_form(values))
        return f"/council/decisions/{decision.id}?saved=draft"

    async def on_error(error: AccordError, values: dict[str, Any]) -> Response:
        return await _overview(request, session, principal, error, values)

    return await act(request, session, principal, action, on_error)


def _draft_form(values: dict[str, Any]) -> DecisionCreate:
    texts = {
        language: values[f"text_{language}"]
        for language in ("en", "ru")
        if values.get(f"text_{language}")
    }
    data: dict[str, Any] = {"title": values.get("title", ""), "texts": texts}
    for name in ("session_id", "agenda_item_id", "body", "classification"):
        if values.get(name):
            data[name] = values[name]
    return parse_form(DecisionCreate, data)


# One session


async def _session_page(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    session_id: uuid.UUID,
    error: AccordError | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    record = await sessions_service.get_council_session(session, principal.viewer, session_id)
    decisions = await repository.session_decisions(session, principal.viewer, record.id)
    attendance = {row.state: row for row in await repository.attendance(session, record.id)}
    body = await repository.body_by_id(session, record.body_id)
    context = {
        **await common_context(session, principal),
        "record": record,
        "body": body,
        "agenda": await repository.agenda(session, record.id),
        "attendance": attendance,
        "attendance_codes": ATTENDANCE,
        "states": await members.list_states(session),
        "decisions": decisions,
        "can_change": can_change(principal.viewer, record, sessions_service.SECRETARIAT_ROLES),
        "error": error,
        "values": values or {},
        "message": saved_message(request),
    }
    shown = [record.classification] + [d.classification for d in decisions]
    return render(
        request,
        "council/session.html",
        context,
        shown=shown,
        status_code=error.status if error else 200,
    )


@router.get("/council/sessions/{session_id}", response_class=HTMLResponse)
async def session_page(
    request: Request,
    session_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    return await _session_page(request, session, principal, ident_of(session_id, "session"))


def _session_action(name: str, make: Callable[..., Awaitable[str]]) -> Callable:
    async def route(
        request: Request,
        session_id: str,
        principal: Principal = Depends(page_principal),
        session: AsyncSession = get_session,
    ) -> Response:
        ident = ident_of(session_id, "session")

        async def action(values: dict[str, Any]) -> str:
            return await make(session, principal, ident, values)

        async def on_error(error: AccordError, values: dict[str, Any]) -> Response:
            return await _session_page(request, session, principal, ident, error, values)

        return await act(request, session, principal, action, on_error)

    route.__name__ = f"session_{name}"
    return route


async def _attendance(session, principal, ident, values) -> str:
    data = parse_form(AttendanceSet, values)
    await sessions_service.set_attendance(session, principal.viewer, ident, data)
    return f"/council/sessions/{ident}?saved=attendance"


async def _agenda(session, principal, ident, values) -> str:
    data = parse_form(
        AgendaItemCreate,
        {**values, "procedural": values.get("procedural") == "on"},
    )
    await sessions_service.add_agenda_item(session, principal.viewer, ident, data)
    return f"/council/sessions/{ident}?saved=agenda"


async def _session_draft(session, principal, ident, values) -> str:
    decision = await service.draft_decision(
        session, principal.viewer, _draft_form({**values, "session_id": str(ident)})
    )
    return f"/council/decisions/{decision.id}?saved=draft"


router.post("/council/sessions/{session_id}/attendance")(_session_action("attendance", _attendance))
router.post("/council/sessions/{session_id}/agenda")(_session_action("agenda", _agenda))
router.post("/council/sessions/{session_id}/decisions")(_session_action("draft", _session_draft))


def _item_action(name: str, make: Callable[..., Awaitable[None]]) -> Callable:
    async def route(
        request: Request,
        session_id: str,
        item_id: str,
        principal: Principal = Depends(page_principal),
        session: AsyncSession = get_session,
    ) -> Response:
        ident = ident_of(session_id, "session")
        item = ident_of(item_id, "agenda item")

        async def action(values: dict[str, Any]) -> str:
            await make(session, principal, ident, item, values)
            return f"/council/sessions/{ident}?saved={name}#agenda"

        async def on_error(error: AccordError, values: dict[str, Any]) -> Response:
            return await _session_page(request, session, principal, ident, error, values)

        return await act(request, session, principal, action, on_error)

    route.__name__ = f"session_{name}"
    return route


async def _change_item(session, principal, ident, item, values) -> None:
    data = parse_form(
        AgendaItemChange,
        {
            "version": values.get("version") or 0,
            "title": values.get("title", ""),
            "description": values.get("description", ""),
            "procedural": values.get("procedural") == "on",
        },
    )
    await agenda.change_agenda_item(session, principal.viewer, ident, item, data)


async def _move_item(session, principal, ident, item, values) -> None:
    step = {"up": -1, "down": 1}.get(str(values.get("direction", "")))
    if step is None:
        raise InvalidInput(_("direction: up or down"), field="direction")
    version = form_version(values)
    if version is None:
        raise InvalidInput(_("version: reload the page"), field="version")
    await agenda.move_agenda_item(session, principal.viewer, ident, item, step, version)


router.post("/council/sessions/{session_id}/agenda/{item_id}")(
    _item_action("agenda_changed", _change_item)
)
router.post("/council/sessions/{session_id}/agenda/{item_id}/move")(
    _item_action("agenda_moved", _move_item)
)


# One decision


async def _decision_page(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    decision_id: uuid.UUID,
    error: AccordError | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    decision = await service.get_decision(session, principal.viewer, decision_id)
    names = await members.state_names(session)
    record = None
    if decision.session_id is not None:
        record = await repository.get_session(session, principal.viewer, decision.session_id)
    own_state = await members_repository.get_state(session, principal.viewer.state)
    positions = {row.state: row for row in await repository.positions(session, decision.id)}
    context = {
        **await common_context(session, principal),
        "decision": decision,
        "session_record": record,
        "versions": await repository.versions(session, decision.id),
        "positions": positions,
        "position_codes": POSITION_KINDS,
        "states": await members.list_states(session),
        "reason_text": describe(Reason.from_dict(decision.reason), names)
        if decision.reason
        else None,
        "can_change": can_change(principal.viewer, decision, sessions_service.SECRETARIAT_ROLES),
        "restartable": decision.status in drafts.RESTARTABLE,
        "sessions": await repository.all_sessions(session, principal.viewer)
        if decision.status in drafts.RESTARTABLE
        else [],
        "may_take_position": principal.viewer.has_role("delegate")
        and own_state is not None
        and own_state.status == "member"
        and decision.status in service.TAKING_POSITIONS,
        "error": error,
        "values": values or {},
        "message": saved_message(request),
    }
    return render(
        request,
        "council/decision.html",
        context,
        shown=[decision.classification],
        status_code=error.status if error else 200,
    )


@router.get("/council/decisions/{decision_id}", response_class=HTMLResponse)
async def decision_page(
    request: Request,
    decision_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    return await _decision_page(request, session, principal, ident_of(decision_id, "decision"))


def _decision_action(name: str, make: Callable[..., Awaitable[str]]) -> Callable:
    async def route(
        request: Request,
        decision_id: str,
        principal: Principal = Depends(page_principal),
        session: AsyncSession = get_session,
    ) -> Response:
        ident = ident_of(decision_id, "decision")

        async def action(values: dict[str, Any]) -> str:
            await make(session, principal, ident, values)
            return f"/council/decisions/{ident}?saved={name}"

        async def on_error(error: AccordError, values: dict[str, Any]) -> Response:
            return await _decision_page(request, session, principal, ident, error, values)

        return await act(request, session, principal, action, on_error)

    route.__name__ = f"decision_{name}"
    return route


async def _position(session, principal, ident, values) -> None:
    data = parse_form(
        PositionCreate,
        {
            "position": values.get("position", ""),
            "text": values.get("text", ""),
            "written": values.get("written") == "on",
            "signed_by": values.get("signed_by", ""),
        },
    )
    await service.record_position(session, principal.viewer, ident, data)


async def _open(session, principal, ident, values) -> None:
    await service.open_vote(session, principal.viewer, ident, form_version(values))


async def _close(session, principal, ident, values) -> None:
    await service.close_vote(session, principal.viewer, ident, form_version(values))


async def _withdraw(session, principal, ident, values) -> None:
    data = parse_form(
        DecisionWithdraw,
        {"version": form_version(values), "reason": values.get("reason", "")},
    )
    await drafts.withdraw_decision(session, principal.viewer, ident, data)


async def _silence(session, principal, ident, values) -> None:
    await silence.launch_silence(
        session,
        principal.viewer,
        ident,
        form_deadline(values.get("deadline", "")),
        form_version(values),
    )


for _name, _make in (
    ("position", _position),
    ("open", _open),
    ("close", _close),
    ("silence", _silence),
    ("withdraw", _withdraw),
):
    path = "/council/decisions/{decision_id}/" + ("positions" if _name == "position" else _name)
    router.post(path)(_decision_action(_name, _make))


@router.post("/council/decisions/{decision_id}/redraft")
async def redraft(
    request: Request,
    decision_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    ident = ident_of(decision_id, "decision")

    async def action(values: dict[str, Any]) -> str:
        data = parse_form(DecisionRedraft, {"session_id": values.get("session_id") or None})
        new = await drafts.redraft_decision(session, principal.viewer, ident, data)
        return f"/council/decisions/{new.id}?saved=redraft"

    async def on_error(error: AccordError, values: dict[str, Any]) -> Response:
        return await _decision_page(request, session, principal, ident, error, values)

    return await act(request, session, principal, action, on_error)
