"""What the notifications API gives."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from accord.models.notification import Notification
from accord.notifications.messages import render_message


class NotificationRead(BaseModel):
    id: uuid.UUID
    kind: str
    message: str
    message_id: str
    params: dict[str, Any]
    link: str
    subject: str
    owner: str
    classification: str
    releasable_to: list[str]
    created_at: datetime
    read_at: datetime | None
    read: bool


class NotificationList(BaseModel):
    items: list[NotificationRead]
    next_cursor: str | None


class UnreadCount(BaseModel):
    unread: int


class ReadAll(BaseModel):
    marked: int


def notification_read(notification: Notification) -> NotificationRead:
    """The API form of ``notification``, its message in the caller's language."""
    return NotificationRead(
        id=notification.id,
        kind=notification.kind,
        message=render_message(notification.message, notification.params or {}),
        message_id=notification.message,
        params=notification.params or {},
        link=notification.link,
        subject=notification.subject,
        owner=notification.owner,
        classification=notification.classification.name,
        releasable_to=notification.releasable_to,
        created_at=notification.created_at,
        read_at=notification.read_at,
        read=notification.read_at is not None,
    )
