"""Reads of SECRET records are logged: who read what, when — and nothing for lesser records."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from accord.access import Classification, Viewer
from accord.incidents import service
from accord.incidents.schemas import IncidentCreate
from accord.models import Event
from tests.factories import add_user, login
from tests.incidents.test_api import report

OWNER = Viewer("KAZ", Classification.SECRET, frozenset({"duty_officer"}), username="kaz.duty")
READER = Viewer("KAZ", Classification.SECRET, frozenset({"analyst"}), username="kaz.analyst")


async def read_events(db) -> list[Event]:
    async with db.sessions() as session:
        query = select(Event).where(Event.kind == "record.read").order_by(Event.at)
        return list((await session.scalars(query)).all())


async def stored(db, classification: str) -> uuid.UUID:
    async with db.transaction() as session:
        incident = await service.report_incident(
            session,
            OWNER,
            IncidentCreate(**report(classification=classification, releasable_to=["KAZ"])),
        )
        return incident.id


async def test_reading_a_secret_incident_logs_who_read_it_once_per_request(db):
    incident_id = await stored(db, "SECRET")

    async with db.transaction() as session:
        await service.get_incident(session, READER, incident_id)
        await service.get_incident(session, READER, incident_id)

    (event,) = await read_events(db)
    assert (event.actor, event.subject) == ("kaz.analyst", str(incident_id))
    assert event.payload == {"record": "incident", "reader_state": "KAZ"}
    assert event.releasable_to == []  # the secretariat's audit trail, not the states'


async def test_reading_a_confidential_incident_logs_nothing(db):
    incident_id = await stored(db, "CONFIDENTIAL")

    async with db.transaction() as session:
        await service.get_incident(session, READER, incident_id)

    assert await read_events(db) == []


async def test_a_secret_incident_read_through_the_api_is_logged(client):
    db = client.app.state.db
    incident_id = await stored(db, "SECRET")
    await add_user(db, username="kaz.reader", state="KAZ", roles=["analyst"], clearance="SECRET")
    await login(client, "kaz.reader")

    answer = await client.get(f"/api/v1/incidents/{incident_id}")

    assert answer.status_code == 200, answer.text
    assert [(event.actor, event.subject) for event in await read_events(db)] == [
        ("kaz.reader", str(incident_id))
    ]
