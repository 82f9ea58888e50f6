"""The notification pages, and the mail outbox for administrators."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord.auth.dependencies import Principal, get_session, page_principal, require_page_roles
from accord.jobs import pages as job_pages
from accord.notifications import mail, repository, service
from accord.notifications.messages import render_message
from accord.web.rendering import redirect, render

router = APIRouter(include_in_schema=False)
router.include_router(job_pages.router)
admin_page = require_page_roles("admin")
PAGE_SIZE = 100


def _safe_link(link: str) -> str:
    """Only paths on this site: a stored link never sends a reader elsewhere."""
    return link if link.startswith("/") and not link.startswith("//") else "/notifications"


@router.get("/notifications", response_class=HTMLResponse)
async def notifications_page(
    request: Request,
    unread: bool = Query(False),
    cursor: str | None = Query(None, max_length=200),
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    rows, next_cursor = await repository.list_notifications(
        session, principal.viewer, unread=True if unread else None, cursor=cursor, limit=PAGE_SIZE
    )
    items = [{"row": row, "text": render_message(row.message, row.params or {})} for row in rows]
    return render(
        request,
        "notifications/list.html",
        {"items": items, "unread_only": unread, "next_cursor": next_cursor},
        shown=[row.classification for row in rows],
    )


@router.post("/notifications/read-all")
async def read_all(
    principal: Principal = Depends(page_principal), session: AsyncSession = get_session
) -> Response:
    await service.mark_all_read(session, principal.viewer)
    return redirect("/notifications")


@router.post("/notifications/{notification_id}/read")
async def read_one(
    notification_id: uuid.UUID,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    await service.mark_read(session, principal.viewer, notification_id)
    return redirect("/notifications")


@router.post("/notifications/{notification_id}/open")
async def open_one(
    notification_id: uuid.UUID,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    """Mark read and go to what the notification is about."""
    notification = await service.mark_read(session, principal.viewer, notification_id)
    return redirect(_safe_link(notification.link))


@router.get("/admin/mail", response_class=HTMLResponse)
async def outbox_page(
    request: Request,
    status: str | None = Query(None, max_length=12),
    _admin: Principal = Depends(admin_page),
    session: AsyncSession = get_session,
) -> Response:
    chosen = status if status in mail.STATUSES else None
    messages = await mail.list_outbox(session, status=chosen)
    return render(
        request,
        "notifications/outbox.html",
        {"messages": messages, "status": chosen, "statuses": mail.STATUSES},
    )


@router.post("/admin/mail/{message_id}/retry")
async def retry_mail(
    message_id: uuid.UUID,
    admin: Principal = Depends(admin_page),
    session: AsyncSession = get_session,
) -> Response:
    await mail.retry_now(session, message_id, actor=admin.user.username)
    return redirect("/admin/mail")
