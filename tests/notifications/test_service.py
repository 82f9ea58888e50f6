"""Who is notified of a record, what they are shown later, and what the e-mail may carry."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select, update

from accord.access import Classification
from accord.db import Database
from accord.i18n import N_
from accord.models import Event, User
from accord.models.mail_message import MailMessage
from accord.models.notification import Notification
from accord.notifications import service
from accord.notifications.messages import render_message
from tests.factories import add_user

MESSAGE = N_("New request for assistance: {title}")
SECRET_TITLE = "Chlorine leak at the Tengiz terminal"


@dataclass
class Record:
    owner: str
    classification: Classification
    releasable_to: list[str]
    id: uuid.UUID = field(default_factory=uuid.uuid4)


async def _people(db: Database) -> dict[str, User]:
    spec = {
        "kaz-analyst": ("KAZ", ["analyst"], "CONFIDENTIAL", "kaz.analyst@example.org"),
        "kaz-low": ("KAZ", ["analyst"], "RESTRICTED", "kaz.low@example.org"),
        "arm-duty": ("ARM", ["duty_officer"], "SECRET", "arm.duty@example.org"),
        "arm-quiet": ("ARM", ["delegate"], "CONFIDENTIAL", None),
        "blr-analyst": ("BLR", ["analyst"], "SECRET", "blr.analyst@example.org"),
        "org-officer": ("ORG", ["secretariat"], "SECRET", "org.officer@example.org"),
    }
    people = {}
    for name, (state, roles, clearance, email) in spec.items():
        people[name] = await add_user(
            db,
            username=f"{name}-{uuid.uuid4().hex[:6]}",
            state=state,
            roles=roles,
            clearance=clearance,
            email=email,
        )
    return people


async def _notify(db: Database, record: Record, **options) -> int:
    async with db.transaction() as session:
        return await service.notify_viewers(
            session,
            record,
            kind="assistance.requested",
            message=MESSAGE,
            params={"title": SECRET_TITLE},
            link=f"/assistance/{record.id}",
            **options,
        )


async def _recipients(db: Database, record: Record) -> set[uuid.UUID]:
    async with db.sessions() as session:
        rows = await session.scalars(
            select(Notification.user_id).where(Notification.subject == str(record.id))
        )
        return set(rows)


async def test_only_those_who_may_see_the_record_are_notified(db: Database) -> None:
    people = await _people(db)
    async with db.transaction() as session:
        await session.execute(
            update(User).where(User.id == people["kaz-low"].id).values(disabled=False)
        )
    disabled = await add_user(db, state="KAZ", clearance="SECRET", email="gone@example.org")
    async with db.transaction() as session:
        await session.execute(update(User).where(User.id == disabled.id).values(disabled=True))
    record = Record("KAZ", Classification.CONFIDENTIAL, ["ARM"])

    count = await _notify(db, record)

    expected = {people[name].id for name in ("kaz-analyst", "arm-duty", "arm-quiet")}
    assert await _recipients(db, record) == expected
    assert count == 3
    async with db.sessions() as session:
        events = (
            await session.scalars(select(Event).where(Event.kind == "notification.sent"))
        ).all()
    assert [event.payload["count"] for event in events] == [3]
    assert events[0].releasable_to == [] and events[0].state == "ORG"


async def test_roles_states_and_exclusions_narrow_the_recipients(db: Database) -> None:
    people = await _people(db)
    everyone = Record("ORG", Classification.RESTRICTED, ["ALL"])

    assert await _notify(db, everyone, roles=["duty_officer"]) == 1
    assert await _recipients(db, everyone) == {people["arm-duty"].id}

    by_state = Record("ORG", Classification.RESTRICTED, ["ALL"])
    await _notify(db, by_state, states=["KAZ", "ORG"], exclude_users=[people["kaz-low"].id])
    assert await _recipients(db, by_state) == {
        people["kaz-analyst"].id,
        people["org-officer"].id,
    }


async def test_a_notification_is_shown_only_while_its_reader_may_see_it(db: Database) -> None:
    people = await _people(db)
    record = Record("KAZ", Classification.CONFIDENTIAL, [])
    await _notify(db, record, states=["KAZ"])
    reader = people["kaz-analyst"]
    async with db.sessions() as session:
        assert await service.unread_count(session, reader.id) == 1
    async with db.transaction() as session:
        await session.execute(
            update(User).where(User.id == reader.id).values(clearance=Classification.RESTRICTED)
        )
    async with db.sessions() as session:
        assert await service.unread_count(session, reader.id) == 0

    # Reclassifying the record carries over to what was sent about it.
    async with db.transaction() as session:
        await session.execute(
            update(User).where(User.id == reader.id).values(clearance=Classification.SECRET)
        )
        record.classification = Classification.SECRET
        record.releasable_to = ["ALL"]
        assert await service.remark(session, record, actor="test") == 1
    async with db.sessions() as session:
        assert await service.unread_count(session, reader.id) == 1
        assert await service.unread_count(session, people["kaz-low"].id) == 0


async def test_marking_read(db: Database) -> None:
    people = await _people(db)
    reader = people["org-officer"]
    for _ in range(3):
        await _notify(db, Record("ORG", Classification.RESTRICTED, []), states=["ORG"])
    async with db.transaction() as session:
        viewer = service.viewer_of(await session.get(User, reader.id))
        first = (await service.repository.list_notifications(session, viewer))[0][0]
        await service.mark_read(session, viewer, first.id)
        await service.mark_read(session, viewer, first.id)
    async with db.transaction() as session:
        assert await service.unread_count(session, reader.id) == 2
        assert await service.mark_all_read(session, viewer) == 2
    async with db.sessions() as session:
        assert await service.unread_count(session, reader.id) == 0
        kinds = (
            await session.scalars(select(Event.payload).where(Event.kind == "notification.read"))
        ).all()
    assert sorted(payload["count"] for payload in kinds) == [1, 2]


async def test_mail_is_queued_without_the_content_of_a_classified_record(db: Database) -> None:
    people = await _people(db)
    async with db.transaction() as session:
        await session.execute(
            update(User).where(User.id == people["arm-duty"].id).values(language="ru")
        )
    classified = Record("KAZ", Classification.CONFIDENTIAL, ["ARM"])
    public = Record("KAZ", Classification.PUBLIC, ["ALL"])
    await _notify(db, classified)
    await _notify(db, public, states=["KAZ"])

    async with db.sessions() as session:
        outbox = (await session.scalars(select(MailMessage))).all()
    by_link = {}
    for message in outbox:
        by_link.setdefault(message.link, []).append(message)
    secret_mail = by_link[f"/assistance/{classified.id}"]
    # arm-quiet has no address: no e-mail for them.
    assert sorted(m.to_address for m in secret_mail) == [
        "arm.duty@example.org",
        "kaz.analyst@example.org",
    ]
    for message in secret_mail:
        assert SECRET_TITLE not in message.subject + message.body
        assert "Chlorine" not in message.subject + message.body
        assert message.status == "queued"
    russian = next(m for m in secret_mail if m.to_address.startswith("arm"))
    assert "Accord" in russian.body and "уведомление" in russian.body

    public_mail = by_link[f"/assistance/{public.id}"]
    assert {m.to_address for m in public_mail} == {
        "kaz.analyst@example.org",
        "kaz.low@example.org",
    }
    assert all(SECRET_TITLE in m.subject and SECRET_TITLE in m.body for m in public_mail)


def test_messages_are_rendered_in_the_readers_language() -> None:
    params = {"title": "Flood"}
    assert render_message(MESSAGE, params, "en") == "New request for assistance: Flood"
    assert render_message(MESSAGE, params, "ru") == "Новый запрос о помощи: Flood"
    assert render_message(MESSAGE, {}, "en") == MESSAGE
