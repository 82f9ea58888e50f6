"""Writing events: every change records one, in the transaction that made the change."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import EVERYONE, SECRETARIAT, Classification
from accord.clock import utcnow
from accord.events.chain import payload_digest
from accord.models import Event

EVENTS_WRITTEN = "accord.events_written"


def event_row(
    *,
    actor: str,
    state: str,
    kind: str,
    subject: str | uuid.UUID,
    payload: BaseModel | dict[str, Any],
    classification: Classification = Classification.RESTRICTED,
    releasable_to: Iterable[str] = (),
) -> dict[str, Any]:
    """The columns of a new, unsealed event for a change."""
    body = payload.model_dump(mode="json") if isinstance(payload, BaseModel) else payload
    return {
        "id": uuid.uuid4(),
        "sealed": False,
        "at": utcnow(),
        "actor": actor,
        "state": state,
        "kind": kind,
        "subject": str(subject),
        "classification": Classification.parse(classification),
        "releasable_to": list(releasable_to),
        "payload": body,
        "payload_hash": payload_digest(body),
    }


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
    event = Event(
        **event_row(
            actor=actor,
            state=state,
            kind=kind,
            subject=subject,
            payload=payload,
            classification=classification,
            releasable_to=releasable_to,
        )
    )
    session.add(event)
    session.info[EVENTS_WRITTEN] = True
    return event


async def record_events(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Write events made by ``event_row`` in one statement; they commit with the changes."""
    if rows:
        await session.execute(insert(Event), rows)
        session.info[EVENTS_WRITTEN] = True


def markings_of(record: Any) -> dict[str, Any]:
    """The markings of an event about ``record``: whoever may see the record may see the event."""
    return {
        "state": record.owner,
        "classification": record.classification,
        "releasable_to": record.releasable_to,
    }


def secretariat_only() -> dict[str, Any]:
    """Markings for administrative events: the secretariat's, restricted, released to no state."""
    return {"state": SECRETARIAT, "classification": Classification.RESTRICTED, "releasable_to": []}


def for_everyone(state: str) -> dict[str, Any]:
    """Markings for events about public reference data."""
    return {"state": state, "classification": Classification.PUBLIC, "releasable_to": [EVERYONE]}


READS_NOTED = "accord.secret_reads"


def note_secret_read(session: AsyncSession, viewer: Any, record: Any, kind: str) -> None:
    """Log that ``viewer`` read ``record`` when it is SECRET: who read what, when (once a request).

    The event is the secretariat's, like other administrative events; it names the record, not
    its content.
    """
    if viewer is None or getattr(record, "classification", None) != Classification.SECRET:
        return
    noted = session.info.setdefault(READS_NOTED, set())
    if (kind, record.id) in noted:
        return
    noted.add((kind, record.id))
    record_event(
        session,
        actor=viewer.username,
        kind="record.read",
        subject=record.id,
        payload={"record": kind, "reader_state": viewer.state},
        **secretariat_only(),
    )
