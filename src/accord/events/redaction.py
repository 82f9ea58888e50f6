"""Redacting an event's payload: the content goes, its hash stays in the chain."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer, can_see
from accord.errors import Conflict, InvalidInput, NotFound
from accord.events import repository
from accord.events.chain import REDACTED_KEY, is_redacted
from accord.events.service import record_event, secretariat_only
from accord.i18n import _
from accord.models import Event


async def redact_event(session: AsyncSession, viewer: Viewer, seq: int, reason: str) -> Event:
    """Replace the payload of event ``seq`` by a redaction marker and log the redaction."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("say why the payload is redacted"), field="reason")
    if len(reason) > 500:
        raise InvalidInput(_("the reason has at most 500 characters"), field="reason")
    event = await repository.get_sealed(session, seq)
    if event is None or not can_see(viewer, event):
        raise NotFound(_("no event number {seq}").format(seq=seq))
    if is_redacted(event.payload):
        raise Conflict(_("event {seq} is redacted already").format(seq=seq))
    event.payload = {REDACTED_KEY: True, "reason": reason}
    record_event(
        session,
        actor=viewer.username,
        kind="event.redacted",
        subject=str(event.id),
        payload={"seq": seq, "id": str(event.id), "kind": event.kind, "reason": reason},
        **secretariat_only(),
    )
    return event
