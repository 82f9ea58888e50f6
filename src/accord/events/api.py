"""JSON routes of the event log: the log itself, redaction, and the live stream."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import datetime

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import AwareDatetime, BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from accord.auth.dependencies import Principal, current_principal, get_session, require_roles
from accord.errors import InvalidInput
from accord.events import repository
from accord.events.hub import event_json, sse_message
from accord.events.redaction import redact_event
from accord.events.repository import EventFilter
from accord.i18n import _

router = APIRouter(prefix="/api/v1", tags=["events"])
KEEPALIVE_SECONDS = 15
BACKLOG_LIMIT = 1000


class EventRead(BaseModel):
    seq: int
    id: str
    at: datetime
    actor: str
    state: str
    kind: str
    subject: str
    classification: str
    releasable_to: list[str]
    payload: dict
    hash: str | None


class EventList(BaseModel):
    items: list[EventRead]
    next_cursor: str | None


def parse_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    if not cursor.isdigit():
        raise InvalidInput(_("the cursor is not one this list gave"), field="cursor")
    return int(cursor)


@router.get("/events", response_model=EventList)
async def list_events(
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    actor: str | None = Query(None, max_length=64),
    state: str | None = Query(None, max_length=3),
    kind: list[str] = Query(default_factory=list),
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=20),
) -> EventList:
    filters = EventFilter(actor, state, tuple(kind), since, until)
    events = await repository.list_events(
        session, principal.viewer, filters, before_seq=parse_cursor(cursor), limit=limit + 1
    )
    more = len(events) > limit
    events = events[:limit]
    return EventList(
        items=[EventRead(**event_json(event)) for event in events],
        next_cursor=str(events[-1].seq) if more and events else None,
    )


class Redaction(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


@router.post("/events/{seq}/redact", response_model=EventRead)
async def redact(
    seq: int,
    body: Redaction,
    principal: Principal = Depends(require_roles("admin")),
    session: AsyncSession = get_session,
) -> EventRead:
    event = await redact_event(session, principal.viewer, seq, body.reason)
    return EventRead(**event_json(event))


@router.get("/events/stream", response_class=StreamingResponse)
async def stream(
    request: Request,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    last_event_id: str | None = Header(None, max_length=20),
) -> StreamingResponse:
    """Server-sent events the caller may see; ``Last-Event-ID`` resumes after that number."""
    hub = request.app.state.events.hub
    resume_after = parse_cursor(last_event_id) if last_event_id else None
    subscription = hub.subscribe(principal.viewer)
    backlog: list[str] = []
    last_sent = 0
    if resume_after is not None:
        events = await repository.events_after(
            session, principal.viewer, resume_after, BACKLOG_LIMIT
        )
        backlog = [sse_message(event) for event in events]
        last_sent = events[-1].seq if events else resume_after
    # The session closes when this function returns: the stream holds no connection.
    lifetime = request.app.state.settings.stream_max_seconds

    async def messages() -> AsyncIterator[str]:
        nonlocal last_sent
        deadline = time.monotonic() + lifetime
        try:
            yield "retry: 2000\n: connected\n\n"
            for message in backlog:
                yield message
            while (remaining := deadline - time.monotonic()) > 0:
                try:
                    async with asyncio.timeout(min(KEEPALIVE_SECONDS, remaining)):
                        item = await subscription.queue.get()
                except TimeoutError:
                    if await request.is_disconnected():
                        return
                    yield ": keep-alive\n\n"
                    continue
                if item is None:  # fell too far behind: the client resumes from its last id
                    return
                seq, message = item
                if seq > last_sent:
                    last_sent = seq
                    yield message
        finally:
            hub.unsubscribe(subscription)

    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(messages(), media_type="text/event-stream", headers=headers)
