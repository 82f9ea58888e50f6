"""Lapsing: an open request lapses 90 days after it was posted or last renewed.

Pages and the API compute "lapsed" from ``expires_at`` on every read; this job also marks the
moment on the event log and tells the requesting state, even if nobody is looking.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from accord.assistance import flows
from accord.clock import utcnow
from accord.events.service import markings_of, record_event
from accord.jobs import service as jobs
from accord.models.assistance_request import AssistanceRequest

KIND = "accord.assistance.lapse:request_lapsed"


def job_key(request: AssistanceRequest) -> str:
    # One job per expiry: a renewal schedules a new one, and the old one finds nothing to do.
    return f"assistance.lapse:{request.id}:{int(request.expires_at.timestamp())}"


async def schedule_lapse(session: AsyncSession, request: AssistanceRequest) -> None:
    await jobs.schedule(
        session,
        key=job_key(request),
        kind=KIND,
        due_at=request.expires_at,
        payload={"request_id": str(request.id)},
    )


async def request_lapsed(session: AsyncSession, payload: dict[str, Any]) -> None:
    """The job: record the lapse of a request still open and past its expiry (else nothing)."""
    request = await session.get(AssistanceRequest, uuid.UUID(payload["request_id"]))
    if request is None or request.status != "open" or request.expires_at > utcnow():
        return
    record_event(
        session,
        actor="system",
        kind="assistance.request_lapsed",
        subject=request.id,
        payload={"expires_at": request.expires_at.isoformat(), "revision": request.revision},
        **markings_of(request),
    )
    await flows.request_lapsed(session, request)
