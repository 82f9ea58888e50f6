"""Writing events: every change records one, in the transaction that made the change."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import EVERYONE, SECRETARIAT, Classification
from accord.clock import utcnow
from accord.events.chain import payload_digest
from accord.models import Event

EVENTS_WRITTEN = "accord.events_written"


def record_event(
    session: AsyncSession,
    *,
    actor: str,
    state: str,
    kind: str,
    subject: str | uuid.UUID,
    payload: BaseModel | dict[str, Any],
    classification: Classification = Classification.RESTRICTED,
    releasable_to: Iterable[str] = (),
) -> Event:
    """Add an event for a change to ``session``; it commits with the change, or not at all."""
    body = payload.model_dump(mode="json") if isinstance(payload, BaseModel) else payload
    event = Event(
        id=uuid.uuid4(),
        sealed=False,
        at=utcnow(),
        actor=actor,
        state=state,
        kind=kind,
        subject=str(subject),
        classification=Classification.parse(classification),
        releasable_to=list(releasable_to),
        payload=body,
        payload_hash=payload_digest(body),
    )
    session.add(event)
    session.info[EVENTS_WRITTEN] = True
    return event


def secretariat_only() -> dict[str, Any]:
    """Markings for administrative events: the secretariat's, restricted, released to no state."""
    return {"state": SECRETARIAT, "classification": Classification.RESTRICTED, "releasable_to": []}


def for_everyone(state: str) -> dict[str, Any]:
    """Markings for events about public reference data."""
    return {"state": state, "classification": Classification.PUBLIC, "releasable_to": [EVERYONE]}
