"""One activity's page for the secretariat: its titles, body, dates and status, and the links to
what advanced it (sessions, decisions, crises, incidents and exercises the editor can see)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord.auth.dependencies import Principal, get_session, undo
from accord.errors import AccordError, Conflict, InvalidInput, NotFound
from accord.i18n import _
from accord.programme import activity_links, choices, service
from accord.programme.editor import (
    ACTIVITY_FIELDS,
    _activity_values,
    _common,
    _message,
    _status,
    _text,
    _year,
    editor_page,
)
from accord.programme.schemas import ActivityChange, LinkRef
from accord.web.forms import parse_form
from accord.web.rendering import redirect, render

router = APIRouter(include_in_schema=False)


async def _activity_page(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    year: int,
    activity_id: uuid.UUID,
    *,
    error: AccordError | None = None,
    posted: dict[str, str] | None = None,
) -> Response:
    viewer = principal.viewer
    programme = await service.programme_of_year(session, viewer, year)
    read = await service.programme_read(session, viewer, programme)
    found = [
        (priority, activity)
        for priority in read.priorities
        for activity in priority.activities
        if activity.id == activity_id
    ]
    if not found:
        raise NotFound(_("no activity {id} in this programme").format(id=activity_id))
    priority, activity = found[0]
    linked = {f"{link.kind}:{link.id}" for link in activity.links}
    groups = [
        (kind, [option for option in options if option[0] not in linked])
        for kind, options in await choices.linkable_records(session, viewer, priority.area)
    ]
    offered = {value for _kind, options in groups for value, _label in options}
    values = {
        "en_title": activity.titles.get("en", ""),
        "ru_title": activity.titles.get("ru", ""),
        "owner_body": activity.owner_body,
        "starts_on": str(activity.starts_on or ""),
        "ends_on": str(activity.ends_on or ""),
        "status": activity.status,
        "link": "",
        **(posted or {}),
    }
    context = {
        **await _common(session),
        "programme": read,
        "priority": priority,
        "activity": activity,
        "values": values,
        "moves": [activity.status, *service.ACTIVITY_FLOW.targets(activity.status, viewer.roles)],
        "groups": [(kind, options) for kind, options in groups if options],
        "link_other": "" if values["link"] in offered else values["link"],
        "kind_names": choices.kind_names(),
        "error": error,
        "error_field": (error.field or "") if error else "",
        "message": None if error else _message(request),
    }
    shown = [link.classification for link in activity.links]
    return render(
        request, "programme/activity.html", context, shown=shown, status_code=_status(error)
    )


@router.get("/programme/{year}/activities/{activity_id}", response_class=HTMLResponse)
async def activity_page(
    request: Request,
    year: str,
    activity_id: uuid.UUID,
    principal: Principal = Depends(editor_page),
    session: AsyncSession = get_session,
) -> Response:
    return await _activity_page(request, session, principal, _year(year), activity_id)


async def _activity_change(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    year: str,
    activity_id: uuid.UUID,
    saved: str,
    change,
    posted: dict[str, str],
) -> Response:
    programme = await service.programme_of_year(session, principal.viewer, _year(year))
    programme_id, programme_year = programme.id, programme.year
    try:
        await change(programme_id)
        await session.flush()
    except (InvalidInput, Conflict) as error:
        await undo(session, principal)
        return await _activity_page(
            request, session, principal, programme_year, activity_id, error=error, posted=posted
        )
    return redirect(f"/programme/{programme_year}/activities/{activity_id}?saved={saved}")


@router.post("/programme/{year}/activities/{activity_id}", response_class=HTMLResponse)
async def change_activity(
    request: Request,
    year: str,
    activity_id: uuid.UUID,
    principal: Principal = Depends(editor_page),
    session: AsyncSession = get_session,
) -> Response:
    form = await request.form()
    posted = {name: _text(form, name) for name in (*ACTIVITY_FIELDS, "version")}
    posted["link"] = ""

    async def change(programme_id: uuid.UUID) -> None:
        data = parse_form(
            ActivityChange, {"version": posted["version"], **_activity_values(posted)}
        )
        await service.change_activity(session, principal.viewer, programme_id, activity_id, data)

    return await _activity_change(
        request, session, principal, year, activity_id, "activity", change, posted
    )


def _link_ref(value: str) -> LinkRef:
    kind, _sep, ident = value.strip().partition(":")
    try:
        return parse_form(LinkRef, {"kind": kind.strip(), "id": ident.strip()})
    except InvalidInput:
        raise InvalidInput(
            _("link: choose a record, or write one as kind:id, e.g. decision:…"), field="link"
        ) from None


def _version(value: Any) -> int:
    text = str(value or "")
    if not text.isdigit():
        raise InvalidInput(_("version: reload the page and try again"), field="version")
    return int(text)


@router.post("/programme/{year}/activities/{activity_id}/links", response_class=HTMLResponse)
async def add_link(
    request: Request,
    year: str,
    activity_id: uuid.UUID,
    principal: Principal = Depends(editor_page),
    session: AsyncSession = get_session,
) -> Response:
    form = await request.form()
    value = _text(form, "link_other", 200) or _text(form, "link", 200)

    async def change(programme_id: uuid.UUID) -> None:
        await activity_links.link_activity(
            session,
            principal.viewer,
            programme_id,
            activity_id,
            _link_ref(value),
            _version(form.get("version")),
        )

    return await _activity_change(
        request, session, principal, year, activity_id, "linked", change, {"link": value}
    )


@router.post("/programme/{year}/activities/{activity_id}/links/remove", response_class=HTMLResponse)
async def remove_link(
    request: Request,
    year: str,
    activity_id: uuid.UUID,
    principal: Principal = Depends(editor_page),
    session: AsyncSession = get_session,
) -> Response:
    form = await request.form()

    async def change(programme_id: uuid.UUID) -> None:
        await activity_links.unlink_activity(
            session,
            principal.viewer,
            programme_id,
            activity_id,
            _link_ref(_text(form, "link", 200)),
            _version(form.get("version")),
        )

    return await _activity_change(
        request, session, principal, year, activity_id, "unlinked", change, {}
    )
