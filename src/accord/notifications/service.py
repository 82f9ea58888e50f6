"""Notifying the users who may see a record, in the app and by e-mail, and reading what arrived."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Classification, Viewer, can_see
from accord.access.rules import Marked
from accord.auth.service import viewer_of
from accord.clock import utcnow
from accord.errors import NotFound
from accord.events.service import record_event, secretariat_only
from accord.i18n import _
from accord.models import User
from accord.models.notification import Notification
from accord.notifications import mail, repository


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters as JSON values: ids, times and other objects as their text."""
    plain: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, datetime | date):
            plain[name] = value.isoformat()
        elif value is None or isinstance(value, str | int | float | bool):
            plain[name] = value
        else:
            plain[name] = str(value)
    return plain


async def _recipients(
    session: AsyncSession,
    record: Marked,
    roles: Iterable[str] | None,
    states: Iterable[str] | None,
    exclude_users: Iterable[uuid.UUID],
) -> list[User]:
    query = select(User).where(User.disabled.is_(False))
    if states is not None:
        query = query.where(User.state.in_(list(states)))
    wanted = None if roles is None else frozenset(roles)
    excluded = set(exclude_users)
    chosen = []
    for user in (await session.scalars(query.order_by(User.username))).all():
        viewer = viewer_of(user)
        if user.id in excluded or (wanted is not None and not viewer.has_role(*wanted)):
            continue
        if can_see(viewer, record):
            chosen.append(user)
    return chosen


async def notify_viewers(
    session: AsyncSession,
    record: Marked,
    *,
    kind: str,
    message: str,
    params: dict,
    link: str,
    roles: Iterable[str] | None = None,
    states: Iterable[str] | None = None,
    exclude_users: Iterable[uuid.UUID] = (),
) -> int:
    """Notify the active users who may see ``record`` (only ``roles``/``states``); e-mail them."""
    users = await _recipients(session, record, roles, states, exclude_users)
    now = utcnow()
    subject = str(getattr(record, "id", "") or "")
    values = _plain(params)
    markings = {
        "owner": record.owner,
        "classification": Classification.parse(record.classification),
        "releasable_to": list(record.releasable_to or []),
    }
    rows = [
        {
            "id": uuid.uuid4(),
            "user_id": user.id,
            "kind": kind,
            "message": message,
            "params": values,
            "link": link,
            "subject": subject,
            "created_at": now,
            **markings,
        }
        for user in users
    ]
    if rows:
        await session.execute(insert(Notification), rows)
        await mail.queue_for(session, users, rows, now=now)
    record_event(
        session,
        actor="system",
        kind="notification.sent",
        subject=subject or kind,
        payload={"kind": kind, "count": len(rows), "link": link},
        **secretariat_only(),
    )
    return len(rows)


async def unread_count(
    session: AsyncSession, user_id: uuid.UUID, viewer: Viewer | None = None
) -> int:
    """How many notifications ``user_id`` has not read and may still see."""
    if viewer is None:
        user = await session.get(User, user_id)
        if user is None:
            return 0
        viewer = viewer_of(user)
    return await repository.count_unread(session, viewer)


async def get_notification(
    session: AsyncSession, viewer: Viewer, notification_id: uuid.UUID
) -> Notification:
    """One of the reader's own notifications that they may still see, or NotFound."""
    found = await repository.get_for_reader(session, viewer, notification_id)
    if found is None:
        raise NotFound(_("no such notification"))
    return found


async def mark_read(
    session: AsyncSession, viewer: Viewer, notification_id: uuid.UUID
) -> Notification:
    """Mark one notification read (again is harmless)."""
    notification = await get_notification(session, viewer, notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
        record_event(
            session,
            actor=viewer.username,
            kind="notification.read",
            subject=notification.id,
            payload={"count": 1},
            **secretariat_only(),
        )
    return notification


async def mark_all_read(session: AsyncSession, viewer: Viewer) -> int:
    """Mark every unread notification of the reader read; returns how many."""
    count = await repository.mark_all_read(session, viewer, utcnow())
    if count:
        record_event(
            session,
            actor=viewer.username,
            kind="notification.read",
            subject=str(viewer.user_id),
            payload={"count": count},
            **secretariat_only(),
        )
    return count


async def remark(session: AsyncSession, record: Marked, *, actor: str) -> int:
    """Carry ``record``'s new markings over to the notifications about it (after reclassifying)."""
    markings = {
        "owner": record.owner,
        "classification": Classification.parse(record.classification),
        "releasable_to": list(record.releasable_to or []),
    }
    subject = str(getattr(record, "id", ""))
    count = await repository.remark(session, subject, markings)
    if count:
        record_event(
            session,
            actor=actor,
            kind="notification.remarked",
            subject=subject,
            payload={"count": count, "classification": markings["classification"].name},
            **secretariat_only(),
        )
    return count
