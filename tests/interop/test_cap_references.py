"""Alerts waiting for an earlier alert are found by their indexed references, old ones included."""

from __future__ import annotations

import asyncio

from alembic import command
from sqlalchemy import func, select

from accord.auth.service import viewer_of
from accord.interop.cap import service
from accord.migrate import alembic_config
from accord.models import CapReference, Incident
from tests.factories import add_user
from tests.interop.cap_samples import alert, hours_ago

BEFORE_REFERENCES = "f101bd82a7d7"  # the revision before cap_references


async def take(db, viewer, xml: bytes) -> service.ImportResult:
    async with db.transaction() as session:
        return await service.import_alert(session, viewer, xml)


async def references(db) -> int:
    async with db.transaction() as session:
        return (await session.execute(select(func.count()).select_from(CapReference))).scalar_one()


async def test_a_waiting_reference_is_kept_until_its_alert_arrives_then_dropped(db):
    viewer = viewer_of(await add_user(db, username="kaz.duty", roles=["duty_officer"]))
    sent = hours_ago(5)
    reference = f"warnings@example.org,FLOOD-1,{sent}"
    await take(db, viewer, alert(identifier="FLOOD-2", msg_type="Update", references=reference))
    assert await references(db) == 1

    await take(db, viewer, alert(identifier="FLOOD-1", sent=sent))

    assert await references(db) == 0


async def test_updates_stored_before_the_references_table_still_wait_for_their_alert(
    db, database_url
):
    viewer = viewer_of(await add_user(db, username="kaz.duty", roles=["duty_officer"]))
    sent = hours_ago(5)
    reference = f"warnings@example.org,FLOOD-1,{sent}"
    first = await take(
        db, viewer, alert(identifier="FLOOD-2", msg_type="Update", references=reference)
    )
    await db.dispose()
    config = alembic_config(database_url)
    await asyncio.to_thread(command.downgrade, config, BEFORE_REFERENCES)
    await asyncio.to_thread(command.upgrade, config, "head")

    late = await take(db, viewer, alert(identifier="FLOOD-1", sent=sent))

    assert (late.created, late.updated) == (False, True)
    assert late.incident.id == first.incident.id
    async with db.transaction() as session:
        assert (await session.execute(select(func.count()).select_from(Incident))).scalar_one() == 1
