"""The notifications API: /api/v1/notifications."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query
from sqlalchemy.ext.asyncio import AsyncSession

from accord.auth.dependencies import Principal, current_principal, get_session
from accord.notifications import repository, service
from accord.notifications.schemas import (
    NotificationList,
    NotificationRead,
    ReadAll,
    UnreadCount,
    notification_read,
)

router = APIRouter(prefix="/api/v1", tags=["notifications"])


@router.get("/notifications", response_model=NotificationList)
async def list_notifications(
    unread: bool | None = Query(None),
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=200),
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> NotificationList:
    """The caller's own notifications that they may still see, newest first."""
    rows, next_cursor = await repository.list_notifications(
        session, principal.viewer, unread=unread, cursor=cursor, limit=limit
    )
    return NotificationList(items=[notification_read(row) for row in rows], next_cursor=next_cursor)


@router.get("/notifications/unread-count", response_model=UnreadCount)
async def unread_count(
    principal: Principal = Depends(current_principal), session: AsyncSession = get_session
) -> UnreadCount:
    return UnreadCount(
        unread=await service.unread_count(session, principal.user.id, principal.viewer)
    )


@router.post("/notifications/read-all", response_model=ReadAll)
async def read_all(
    principal: Principal = Depends(current_principal), session: AsyncSession = get_session
) -> ReadAll:
    return ReadAll(marked=await service.mark_all_read(session, principal.viewer))


@router.post("/notifications/{notification_id}/read", response_model=NotificationRead)
async def read_one(
    notification_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> NotificationRead:
    return notification_read(await service.mark_read(session, principal.viewer, notification_id))
