"""All SQL of the notifications domain: a reader's notifications, filtered by the access rule."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer, visible
from accord.models.notification import Notification
from accord.paging import keyset_page


def of_reader(viewer: Viewer) -> Select:
    """The notifications of ``viewer``'s user that they may still see."""
    return select(Notification).where(
        Notification.user_id == viewer.user_id, visible(viewer, Notification)
    )


async def list_notifications(
    session: AsyncSession,
    viewer: Viewer,
    *,
    unread: bool | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[Notification], str | None]:
    """One page of the reader's notifications, newest first, and the next page's cursor."""
    query = of_reader(viewer)
    if unread is not None:
        query = query.where(
            Notification.read_at.is_(None) if unread else Notification.read_at.is_not(None)
        )
    return await keyset_page(
        session, query, Notification.created_at, Notification.id, cursor, limit
    )


async def count_unread(session: AsyncSession, viewer: Viewer) -> int:
    query = of_reader(viewer).where(Notification.read_at.is_(None))
    return await session.scalar(select(func.count()).select_from(query.subquery())) or 0


async def get_for_reader(
    session: AsyncSession, viewer: Viewer, notification_id: uuid.UUID
) -> Notification | None:
    return await session.scalar(of_reader(viewer).where(Notification.id == notification_id))


async def mark_all_read(session: AsyncSession, viewer: Viewer, at: datetime) -> int:
    shown = (
        of_reader(viewer).where(Notification.read_at.is_(None)).with_only_columns(Notification.id)
    )
    result = await session.execute(
        update(Notification)
        .where(Notification.id.in_(shown))
        .values(read_at=at)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


async def remark(session: AsyncSession, subject: str, markings: dict[str, Any]) -> int:
    result = await session.execute(
        update(Notification)
        .where(Notification.subject == subject)
        .values(**markings)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
