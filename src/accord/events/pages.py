"""HTML routes of the event log: the administrator's log page and redaction."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord.auth.dependencies import Principal, get_session, require_page_roles
from accord.errors import AccordError, InvalidInput
from accord.events import repository
from accord.events.api import parse_cursor
from accord.events.redaction import redact_event
from accord.events.repository import EventFilter
from accord.i18n import _
from accord.web.rendering import render

router = APIRouter(include_in_schema=False)
admin_page = require_page_roles("admin")
PAGE_SIZE = 50


def _local_time(value: str | None, field: str) -> datetime | None:
    """A ``datetime-local`` field's value, read as UTC."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        raise InvalidInput(
            _("{field}: not a date and time").format(field=field), field=field
        ) from None


@router.get("/admin/events", response_class=HTMLResponse)
async def events_page(
    request: Request,
    principal: Principal = Depends(admin_page),
    session: AsyncSession = get_session,
    actor: str | None = Query(None, max_length=64),
    state: str | None = Query(None, max_length=3),
    kind: str | None = Query(None, max_length=64),
    since: str | None = Query(None, max_length=32),
    until: str | None = Query(None, max_length=32),
    cursor: str | None = Query(None, max_length=20),
) -> Response:
    error = None
    events = []
    filters_view = {
        "actor": actor,
        "state": state,
        "kind": kind,
        "since_text": since or "",
        "until_text": until or "",
    }
    try:
        filters = EventFilter(
            actor or None,
            (state or "").upper() or None,
            (kind,) if kind else (),
            _local_time(since, "since"),
            _local_time(until, "until"),
        )
        events = await repository.list_events(
            session, principal.viewer, filters, before_seq=parse_cursor(cursor), limit=PAGE_SIZE + 1
        )
    except AccordError as failure:
        error = failure.message
    more = len(events) > PAGE_SIZE
    events = events[:PAGE_SIZE]
    next_cursor = str(events[-1].seq) if more and events else None
    query = {
        k: v
        for k, v in {
            "actor": actor,
            "state": state,
            "kind": kind,
            "since": since,
            "until": until,
            "cursor": next_cursor,
        }.items()
        if v
    }
    return render(
        request,
        "admin_events.html",
        {
            "events": events,
            "filters": filters_view,
            "error": error,
            "next_cursor": next_cursor,
            "next_link": "/admin/events?" + urlencode(query),
        },
        shown=[event.classification for event in events],
    )


@router.post("/admin/events/{seq}/redact")
async def redact_submit(
    seq: int,
    request: Request,
    principal: Principal = Depends(admin_page),
    session: AsyncSession = get_session,
) -> Response:
    form = await request.form()
    await redact_event(session, principal.viewer, seq, str(form.get("reason") or ""))
    return RedirectResponse("/admin/events", status_code=303)
