"""Editing the programme in the browser (the secretariat): a new programme, its chair and motto,
its priorities, and new activities; one activity's page is in ``activity_pages``."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import SECRETARIAT
from accord.auth.dependencies import Principal, get_session, require_page_roles, undo
from accord.clock import utcnow
from accord.errors import AccordError, Conflict, InvalidInput, NotFound
from accord.i18n import _
from accord.incidents.labels import area_names
from accord.members import service as members
from accord.programme import service
from accord.programme.schemas import (
    ACTIVITY_STATUSES,
    ActivityCreate,
    PriorityChange,
    PriorityCreate,
    ProgrammeChange,
    ProgrammeCreate,
)
from accord.web.forms import parse_form
from accord.web.rendering import redirect, render

router = APIRouter(include_in_schema=False)
editor_page = require_page_roles(*service.EDITORS)
SAVED = {
    "created": lambda: _("Programme created."),
    "programme": lambda: _("Chair and motto saved."),
    "priority": lambda: _("Priority saved."),
    "priority_added": lambda: _("Priority added."),
    "activity": lambda: _("Activity saved."),
    "activity_added": lambda: _("Activity added."),
    "linked": lambda: _("Record linked."),
    "unlinked": lambda: _("Link removed."),
}


def activity_status_names() -> dict[str, str]:
    return {
        "planned": _("planned"),
        "in_progress": _("in progress"),
        "done": _("done"),
        "long_term": _("long-term"),
    }


def _year(value: str) -> int:
    if not (value.isdigit() and len(value) == 4):
        raise NotFound(_("no programme for {year}").format(year=value[:10]))
    return int(value)


def _text(form: Any, name: str, limit: int = 500) -> str:
    return str(form.get(name) or "").strip()[:limit]


def _titles(form: Any, prefix: str = "") -> dict[str, str]:
    return {language: _text(form, f"{prefix}{language}_title") for language in ("en", "ru")}


def _optional(form: Any, name: str) -> str | None:
    return _text(form, name, 40) or None


def _message(request: Request) -> str | None:
    saved = request.query_params.get("saved", "")
    return SAVED[saved]() if saved in SAVED else None


async def _common(session: AsyncSession) -> dict[str, Any]:
    names = await members.state_names(session)
    bodies = [(b.code, members.body_name(b)) for b in await members.list_bodies(session)]
    return {
        "state_names": {code: name for code, name in names.items() if code != SECRETARIAT},
        "bodies": bodies,
        "body_names": dict(bodies),
        "area_names": area_names(),
        "status_names": activity_status_names(),
        "statuses": ACTIVITY_STATUSES,
    }


def _status(error: AccordError | None) -> int:
    return error.status if error else 200


# A new programme


@router.get("/programme/new", response_class=HTMLResponse)
async def new_programme(
    request: Request,
    principal: Principal = Depends(editor_page),
    session: AsyncSession = get_session,
) -> Response:
    values = {"year": str(utcnow().year + 1), "state": "", "motto_en": "", "motto_ru": ""}
    return await _new_page(request, session, values)


async def _new_page(
    request: Request,
    session: AsyncSession,
    values: dict[str, str],
    error: AccordError | None = None,
) -> Response:
    context = {
        **await _common(session),
        "values": values,
        "error": error,
        "error_field": (error.field or "") if error else "",
        "chairs": {chair.year: chair.state for chair in await members.chairmanship(session)},
    }
    return render(request, "programme/new.html", context, status_code=_status(error))


@router.post("/programme/new", response_class=HTMLResponse)
async def create_programme(
    request: Request,
    principal: Principal = Depends(editor_page),
    session: AsyncSession = get_session,
) -> Response:
    form = await request.form()
    values = {name: _text(form, name) for name in ("year", "state", "motto_en", "motto_ru")}
    try:
        data = parse_form(
            ProgrammeCreate,
            {
                "year": values["year"],
                "state": values["state"] or None,
                "motto": {"en": values["motto_en"], "ru": values["motto_ru"]},
            },
        )
        programme = await service.create_programme(session, principal.viewer, data)
        year = programme.year
        await session.flush()
    except (InvalidInput, Conflict) as error:
        await undo(session, principal)
        return await _new_page(request, session, values, error)
    return redirect(f"/programme/{year}/edit?saved=created")


# The programme's chair, motto and priorities


async def _edit_page(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    year: int,
    *,
    error: AccordError | None = None,
    form_key: str = "",
    posted: dict[str, str] | None = None,
) -> Response:
    viewer = principal.viewer
    programme = await service.programme_of_year(session, viewer, year)
    read = await service.programme_read(session, viewer, programme)
    context = {
        **await _common(session),
        "programme": read,
        "error": error,
        "error_field": (error.field or "") if error else "",
        "form_key": form_key,
        "posted": posted or {},
        "message": None if error else _message(request),
    }
    return render(request, "programme/edit.html", context, status_code=_status(error))


@router.get("/programme/{year}/edit", response_class=HTMLResponse)
async def edit_programme(
    request: Request,
    year: str,
    principal: Principal = Depends(editor_page),
    session: AsyncSession = get_session,
) -> Response:
    return await _edit_page(request, session, principal, _year(year))


async def _apply(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    year: int,
    form_key: str,
    posted: dict[str, str],
    change,
) -> Response | None:
    """Run ``change()``; on a refusal undo it and answer the edit page with the error."""
    try:
        await change()
        await session.flush()
    except (InvalidInput, Conflict) as error:
        await undo(session, principal)
        return await _edit_page(
            request, session, principal, year, error=error, form_key=form_key, posted=posted
        )
    return None


@router.post("/programme/{year}/edit", response_class=HTMLResponse)
async def change_programme(
    request: Request,
    year: str,
    principal: Principal = Depends(editor_page),
    session: AsyncSession = get_session,
) -> Response:
    programme = await service.programme_of_year(session, principal.viewer, _year(year))
    programme_id, programme_year = programme.id, programme.year
    form = await request.form()
    posted = {name: _text(form, name) for name in ("version", "state", "motto_en", "motto_ru")}

    async def change() -> None:
        data = parse_form(
            ProgrammeChange,
            {
                "version": posted["version"],
                "state": posted["state"] or None,
                "motto": {"en": posted["motto_en"], "ru": posted["motto_ru"]},
            },
        )
        await service.change_programme(session, principal.viewer, programme_id, data)

    refused = await _apply(request, session, principal, programme_year, "programme", posted, change)
    return refused or redirect(f"/programme/{programme_year}/edit?saved=programme")


@router.post("/programme/{year}/priorities", response_class=HTMLResponse)
async def add_priority(
    request: Request,
    year: str,
    principal: Principal = Depends(editor_page),
    session: AsyncSession = get_session,
) -> Response:
    programme = await service.programme_of_year(session, principal.viewer, _year(year))
    programme_id, programme_year = programme.id, programme.year
    form = await request.form()
    posted = {"en_title": _text(form, "en_title"), "ru_title": _text(form, "ru_title")}
    posted["area"] = _text(form, "area", 20)

    async def change() -> None:
        data = parse_form(
            PriorityCreate,
            {"titles": _titles(posted), "area": posted["area"] or None},
        )
        await service.add_priority(session, principal.viewer, programme_id, data)

    refused = await _apply(
        request, session, principal, programme_year, "new-priority", posted, change
    )
    return refused or redirect(f"/programme/{programme_year}/edit?saved=priority_added")


@router.post("/programme/{year}/priorities/{priority_id}", response_class=HTMLResponse)
async def change_priority(
    request: Request,
    year: str,
    priority_id: uuid.UUID,
    principal: Principal = Depends(editor_page),
    session: AsyncSession = get_session,
) -> Response:
    programme = await service.programme_of_year(session, principal.viewer, _year(year))
    programme_id, programme_year = programme.id, programme.year
    form = await request.form()
    posted = {name: _text(form, name) for name in ("version", "en_title", "ru_title")}
    posted["area"] = _text(form, "area", 20)

    async def change() -> None:
        data = parse_form(
            PriorityChange,
            {
                "version": posted["version"],
                "titles": _titles(posted),
                "area": posted["area"] or None,
            },
        )
        await service.change_priority(session, principal.viewer, programme_id, priority_id, data)

    key = f"priority-{priority_id}"
    refused = await _apply(request, session, principal, programme_year, key, posted, change)
    return refused or redirect(f"/programme/{programme_year}/edit?saved=priority#{key}")


ACTIVITY_FIELDS = ("en_title", "ru_title", "owner_body", "starts_on", "ends_on", "status")


def _activity_values(posted: dict[str, str]) -> dict[str, Any]:
    return {
        "titles": _titles(posted),
        "owner_body": posted["owner_body"],
        "starts_on": posted["starts_on"] or None,
        "ends_on": posted["ends_on"] or None,
        "status": posted["status"] or None,
    }


@router.post("/programme/{year}/priorities/{priority_id}/activities", response_class=HTMLResponse)
async def add_activity(
    request: Request,
    year: str,
    priority_id: uuid.UUID,
    principal: Principal = Depends(editor_page),
    session: AsyncSession = get_session,
) -> Response:
    programme = await service.programme_of_year(session, principal.viewer, _year(year))
    programme_id, programme_year = programme.id, programme.year
    form = await request.form()
    posted = {name: _text(form, name) for name in ACTIVITY_FIELDS}

    async def change() -> None:
        values = _activity_values(posted)
        values["status"] = values["status"] or "planned"
        data = parse_form(ActivityCreate, values)
        await service.add_activity(session, principal.viewer, programme_id, priority_id, data)

    key = f"new-activity-{priority_id}"
    refused = await _apply(request, session, principal, programme_year, key, posted, change)
    target = f"/programme/{programme_year}/edit?saved=activity_added#priority-{priority_id}"
    return refused or redirect(target)
