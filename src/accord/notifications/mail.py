"""The mail outbox: e-mail queued with the change that caused it, sent by the job loop after commit.

An e-mail leaves the closed network, so it carries a record's words only when the record is
PUBLIC; otherwise it says that something new is waiting in Accord, and gives the link.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

import aiosmtplib
from sqlalchemy import Row, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Classification
from accord.clock import utcnow
from accord.config import Settings
from accord.db import Database
from accord.errors import NotFound
from accord.events.service import record_event, secretariat_only
from accord.i18n import N_, _, translations
from accord.jobs.service import retry_delay, wake_after_commit
from accord.models import User
from accord.models.mail_message import MailMessage
from accord.notifications.messages import render_message

log = logging.getLogger(__name__)

STATUSES = ("queued", "sent", "failed", "disabled")
# A message being sent is hidden from other senders this long; if its sender dies, it goes again.
SENDING_LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 12
MAX_SUBJECT = 300
GENERIC_SUBJECT = N_("Accord: a new notification")
GENERIC_BODY = N_("There is a new notification for you in Accord.")
PUBLIC_SUBJECT = N_("Accord: {message}")


def _content(row: dict[str, Any], language: str) -> tuple[str, str]:
    """Subject and body of the e-mail for notification ``row`` in ``language``."""
    gettext = translations(language).gettext
    if Classification.parse(row["classification"]) != Classification.PUBLIC:
        return gettext(GENERIC_SUBJECT), gettext(GENERIC_BODY)
    text = render_message(row["message"], row["params"], language)
    subject = gettext(PUBLIC_SUBJECT).format(message=" ".join(text.split()))
    return subject[:MAX_SUBJECT], text


async def queue_for(
    session: AsyncSession, users: Sequence[User], rows: Sequence[dict[str, Any]], *, now: datetime
) -> int:
    """Queue one e-mail per notification whose user has an address; returns how many."""
    messages = []
    for user, row in zip(users, rows, strict=True):
        if not user.email:
            continue
        subject, body = _content(row, user.language or "en")
        messages.append(
            {
                "id": uuid.uuid4(),
                "notification_id": row["id"],
                "to_address": user.email,
                "subject": subject,
                "body": body,
                "link": row["link"],
                "status": "queued",
                "attempts": 0,
                "last_error": "",
                "created_at": now,
                "next_attempt_at": now,
            }
        )
    if messages:
        await session.execute(insert(MailMessage), messages)
        wake_after_commit(session)
    return len(messages)


def compose(row: Row | MailMessage, settings: Settings) -> EmailMessage:
    """The e-mail for outbox ``row``, its link made absolute with the public URL."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Message-ID"] = f"<{row.id}@accord>"
    link = f"{settings.public_url}{row.link}" if row.link.startswith("/") else row.link
    message.set_content(f"{row.body}\n\n{link}\n" if link else f"{row.body}\n")
    return message


def _claim(now: datetime):
    due = (
        select(MailMessage.id)
        .where(MailMessage.status == "queued", MailMessage.next_attempt_at <= now)
        .order_by(MailMessage.next_attempt_at)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    return (
        update(MailMessage)
        .where(MailMessage.id == due, MailMessage.status == "queued")
        .values(next_attempt_at=now + SENDING_LEASE, attempts=MailMessage.attempts + 1)
        .returning(
            MailMessage.id,
            MailMessage.to_address,
            MailMessage.subject,
            MailMessage.body,
            MailMessage.link,
            MailMessage.attempts,
        )
        .execution_options(synchronize_session=False)
    )


async def _deliver(message: EmailMessage, settings: Settings) -> None:
    await aiosmtplib.send(
        message,
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username or None,
        password=settings.smtp_password or None,
        start_tls=settings.smtp_starttls,
        timeout=settings.smtp_timeout_seconds,
    )


async def _settle(db: Database, row: Row, error: Exception | None, now: datetime) -> None:
    async with db.transaction() as session:
        if error is None:
            values: dict[str, Any] = {"status": "sent", "sent_at": now, "last_error": ""}
        else:
            values = {
                "status": "failed" if row.attempts >= MAX_ATTEMPTS else "queued",
                "last_error": f"{type(error).__name__}: {error}"[:2000],
                "next_attempt_at": now + retry_delay(row.attempts),
            }
        await session.execute(
            update(MailMessage)
            .where(MailMessage.id == row.id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        record_event(
            session,
            actor="system",
            kind="mail.sent" if error is None else "mail.failed",
            subject=row.id,
            payload={
                "attempts": row.attempts,
                **({"error": values["last_error"]} if error else {}),
            },
            **secretariat_only(),
        )


async def _any_due(db: Database, now: datetime) -> bool:
    """Whether a message waits to be sent: a read, so that an idle tick takes no write lock."""
    async with db.sessions() as session:
        found = await session.scalar(
            select(MailMessage.id)
            .where(MailMessage.status == "queued", MailMessage.next_attempt_at <= now)
            .limit(1)
        )
    return found is not None


async def _disable_due(db: Database, now: datetime) -> int:
    async with db.transaction() as session:
        result = await session.execute(
            update(MailMessage)
            .where(MailMessage.status == "queued", MailMessage.next_attempt_at <= now)
            .values(status="disabled", last_error=_("no SMTP server is configured"))
            .execution_options(synchronize_session=False)
        )
        return result.rowcount or 0


async def send_due(
    db: Database, settings: Settings, *, now: datetime | None = None, limit: int = 50
) -> int:
    """Send up to ``limit`` due messages of the outbox; returns how many were delivered."""
    moment = now or utcnow()
    if not await _any_due(db, moment):
        return 0
    if not settings.smtp_host:
        await _disable_due(db, moment)
        return 0
    sent = 0
    for _number in range(limit):
        async with db.transaction() as session:
            row = (await session.execute(_claim(moment))).first()
        if row is None:
            break
        try:
            await _deliver(compose(row, settings), settings)
        except (aiosmtplib.SMTPException, OSError) as error:
            log.warning("sending mail %s to %s failed: %s", row.id, row.to_address, error)
            await _settle(db, row, error, moment)
            continue
        await _settle(db, row, None, moment)
        sent += 1
    return sent


async def list_outbox(
    session: AsyncSession, *, status: str | None = None, limit: int = 200
) -> list[MailMessage]:
    """The newest messages of the outbox for administrators, optionally of one status."""
    query = select(MailMessage)
    if status:
        query = query.where(MailMessage.status == status)
    query = query.order_by(MailMessage.created_at.desc(), MailMessage.id.desc()).limit(limit)
    return list((await session.scalars(query)).all())


async def retry_now(session: AsyncSession, message_id: uuid.UUID, *, actor: str) -> MailMessage:
    """Queue a message that is not yet sent for sending at once."""
    message = await session.get(MailMessage, message_id)
    if message is None:
        raise NotFound(_("no such message"))
    if message.status != "sent":
        message.status = "queued"
        message.next_attempt_at = utcnow()
        record_event(
            session,
            actor=actor,
            kind="mail.retry_requested",
            subject=message.id,
            payload={"attempts": message.attempts},
            **secretariat_only(),
        )
        wake_after_commit(session)
    return message
