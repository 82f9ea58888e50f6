"""The outbox sent to a real SMTP server: delivery, retries while it is down, and no secrets."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import select

from accord.access import Classification
from accord.app import create_app
from accord.config import Settings
from accord.db import Database
from accord.jobs.service import retry_delay
from accord.models import Event
from accord.models.mail_message import MailMessage
from accord.notifications import mail
from tests.factories import add_user
from tests.mail import SmtpServer
from tests.notifications.test_service import SECRET_TITLE, Record, _notify

# Later than the real clock, which stamps the messages queued: every message is due by then.
NOW = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
PUBLIC_URL = "https://accord.example.org"


def _settings(database_url: str, data_dir: Path, smtp: SmtpServer | None, **extra) -> Settings:
    values = {"database_url": database_url, "data_dir": data_dir, "public_url": PUBLIC_URL}
    return Settings(**values, **(smtp.settings if smtp else {}), **extra)


async def _outbox(db: Database) -> list[MailMessage]:
    async with db.sessions() as session:
        return list((await session.scalars(select(MailMessage))).all())


async def test_queued_mail_is_delivered_with_an_absolute_link(
    db: Database, database_url: str, data_dir: Path, smtp_server: SmtpServer
) -> None:
    await add_user(db, state="KAZ", email="kaz.duty@example.org")
    record = Record("KAZ", Classification.PUBLIC, ["ALL"])
    await _notify(db, record, states=["KAZ"])
    settings = _settings(database_url, data_dir, smtp_server)

    assert await mail.send_due(db, settings, now=NOW) >= 1
    received = await smtp_server.wait_for(1)
    message = next(m for m in received if m["To"] == "kaz.duty@example.org")
    assert message["From"] == settings.mail_from
    assert SECRET_TITLE in message["Subject"]
    assert f"{PUBLIC_URL}/assistance/{record.id}" in message.get_content()
    sent = [m for m in await _outbox(db) if m.to_address == "kaz.duty@example.org"]
    assert [(m.status, m.attempts, m.sent_at) for m in sent] == [("sent", 1, NOW)]
    assert await mail.send_due(db, settings, now=NOW) == 0


async def test_a_classified_records_title_never_reaches_the_mail(
    db: Database, database_url: str, data_dir: Path, smtp_server: SmtpServer
) -> None:
    await add_user(db, state="ARM", clearance="SECRET", email="arm.duty@example.org")
    record = Record("KAZ", Classification.CONFIDENTIAL, ["ARM"])
    await _notify(db, record, states=["ARM"])
    await mail.send_due(db, _settings(database_url, data_dir, smtp_server), now=NOW)

    received = await smtp_server.wait_for(1)
    assert len(received) == 1
    raw = received[0].as_bytes()
    assert b"Chlorine" not in raw and b"Tengiz" not in raw
    assert "There is a new notification for you in Accord." in received[0].get_content()
    assert f"{PUBLIC_URL}/assistance/{record.id}" in received[0].get_content()


async def test_mail_waits_while_the_smtp_server_is_down_and_goes_when_it_is_up(
    db: Database, database_url: str, data_dir: Path
) -> None:
    await add_user(db, state="BLR", email="blr.duty@example.org")
    await _notify(db, Record("BLR", Classification.RESTRICTED, []), states=["BLR"])
    down = SmtpServer()
    settings = _settings(database_url, data_dir, down)

    assert await mail.send_due(db, settings, now=NOW) == 0
    [waiting] = await _outbox(db)
    assert (waiting.status, waiting.attempts) == ("queued", 1)
    assert waiting.last_error
    assert waiting.next_attempt_at == NOW + retry_delay(1)

    down.start()
    try:
        # Not before its time, then delivered.
        assert await mail.send_due(db, settings, now=NOW) == 0
        assert await mail.send_due(db, settings, now=waiting.next_attempt_at) == 1
        [message] = await down.wait_for(1)
        assert message["To"] == "blr.duty@example.org"
    finally:
        down.stop()
    [delivered] = await _outbox(db)
    assert (delivered.status, delivered.attempts) == ("sent", 2)
    async with db.sessions() as session:
        kinds = (
            await session.scalars(
                select(Event.kind)
                .where(Event.kind.in_(["mail.failed", "mail.sent"]))
                .order_by(Event.at)
            )
        ).all()
    assert sorted(kinds) == ["mail.failed", "mail.sent"]


async def test_without_an_smtp_server_mail_is_kept_as_disabled_and_can_be_retried(
    db: Database, database_url: str, data_dir: Path, smtp_server: SmtpServer
) -> None:
    await add_user(db, state="KGZ", email="kgz.duty@example.org")
    await _notify(db, Record("KGZ", Classification.RESTRICTED, []), states=["KGZ"])

    assert await mail.send_due(db, _settings(database_url, data_dir, None), now=NOW) == 0
    [kept] = await _outbox(db)
    assert kept.status == "disabled"

    async with db.transaction() as session:
        await mail.retry_now(session, kept.id, actor="admin")
    assert await mail.send_due(db, _settings(database_url, data_dir, smtp_server)) == 1
    assert [m.status for m in await _outbox(db)] == ["sent"]


async def test_the_running_app_sends_mail_after_the_commit(
    sqlite_url: str, data_dir: Path, smtp_server: SmtpServer
) -> None:
    settings = _settings(sqlite_url, data_dir, smtp_server, job_interval_seconds=30)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        db: Database = app.state.db
        await add_user(db, state="TJK", email=f"tjk-{uuid.uuid4().hex[:4]}@example.org")
        # The loop sleeps 30 s between rounds; the commit itself wakes it.
        await _notify(db, Record("TJK", Classification.RESTRICTED, []), states=["TJK"])
        received = await smtp_server.wait_for(1)
        assert len(received) == 1
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as client:
            assert (await client.get("/healthz")).status_code == 200
