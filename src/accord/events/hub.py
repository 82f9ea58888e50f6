"""The live stream in one process: sealed events go to each subscriber who may see them."""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field

from sqlalchemy import select

from accord.access import Viewer, can_see
from accord.db import Database
from accord.models import Event

log = logging.getLogger(__name__)
QUEUE_LIMIT = 1000


def event_json(event: Event) -> dict:
    """An event as clients see it on the stream and in the API."""
    return {
        "seq": event.seq,
        "id": str(event.id),
        "at": event.at.isoformat(),
        "actor": event.actor,
        "state": event.state,
        "kind": event.kind,
        "subject": event.subject,
        "classification": event.classification.name,
        "releasable_to": event.releasable_to,
        "payload": event.payload,
        "hash": event.hash,
    }


def sse_message(event: Event) -> str:
    data = json.dumps(event_json(event), ensure_ascii=False, separators=(",", ":"))
    return f"id: {event.seq}\nevent: {event.kind}\ndata: {data}\n\n"


@dataclass(eq=False)
class Subscription:
    """One connected client: who it is, and the messages waiting for it."""

    viewer: Viewer
    queue: asyncio.Queue[tuple[int, str] | None] = field(
        default_factory=lambda: asyncio.Queue(QUEUE_LIMIT)
    )


class Hub:
    """Subscribers of this process and the highest sequence number delivered to them."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.subscribers: set[Subscription] = set()
        self.delivered = 0
        self._lock = asyncio.Lock()

    def subscribe(self, viewer: Viewer) -> Subscription:
        subscription = Subscription(viewer)
        self.subscribers.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self.subscribers.discard(subscription)

    async def deliver_through(self, last_seq: int) -> None:
        """Deliver every sealed event up to ``last_seq`` not delivered yet, in order."""
        async with self._lock:
            if last_seq <= self.delivered:
                return
            if self.subscribers:
                async with self.db.sessions() as session:
                    events = (
                        (
                            await session.execute(
                                select(Event)
                                .where(Event.seq > self.delivered, Event.seq <= last_seq)
                                .order_by(Event.seq)
                            )
                        )
                        .scalars()
                        .all()
                    )
                for event in events:
                    self._fan_out(event)
            self.delivered = last_seq

    def _fan_out(self, event: Event) -> None:
        message: str | None = None
        for subscription in list(self.subscribers):
            if not can_see(subscription.viewer, event):
                continue
            message = message or sse_message(event)
            try:
                subscription.queue.put_nowait((event.seq, message))
            except asyncio.QueueFull:
                # A client this far behind reconnects and resumes with Last-Event-ID.
                self.unsubscribe(subscription)
                subscription.queue = asyncio.Queue(1)
                subscription.queue.put_nowait(None)
