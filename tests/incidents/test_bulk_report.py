"""Many reports at once: each by the single report's rules, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from accord.access import Classification, Viewer
from accord.errors import Forbidden, InvalidInput
from accord.events.audit import verify_log
from accord.events.keys import load_or_create_key
from accord.events.runtime import seal_and_announce
from accord.incidents import service
from accord.incidents.schemas import IncidentChange, IncidentCreate
from accord.models import Event, Incident, IncidentUpdate

KAZ_DUTY = Viewer("KAZ", Classification.CONFIDENTIAL, frozenset({"duty_officer"}), username="k.d")
KAZ_DELEGATE = Viewer("KAZ", Classification.SECRET, frozenset({"delegate"}), username="k.del")
FLOOD_AREA = {
    "type": "Polygon",
    "coordinates": [[[71.0, 51.0], [71.5, 51.0], [71.5, 51.25], [71.0, 51.0]]],
}


def report(**overrides) -> IncidentCreate:
    values = {
        "area": "emergency",
        "title": "Flooding on the Ishim",
        "occurred_at": datetime.now(UTC) - timedelta(hours=1),
        "severity": "Severe",
        "country": "KAZ",
    }
    values.update(overrides)
    return IncidentCreate.model_validate(values)


async def count(db, model, *conditions) -> int:
    async with db.transaction() as session:
        query = select(func.count()).select_from(model).where(*conditions)
        return (await session.execute(query)).scalar_one()


async def test_each_valid_report_is_stored_with_its_timeline_entry_and_event_and_the_rest_refused(
    db, settings
):
    items = [
        report(title="Dam overtopped", location=FLOOD_AREA),
        report(title="Outside the states", country="USA"),
        report(title="Too secret", classification="SECRET"),
        report(),
    ]
    async with db.transaction() as session:
        outcomes = await service.report_incidents(session, KAZ_DUTY, items)
        reads = {o.id: service.incident_read(o) for o in outcomes if isinstance(o, Incident)}

    assert [type(outcome) for outcome in outcomes] == [
        Incident,
        InvalidInput,
        InvalidInput,
        Incident,
    ]
    assert (outcomes[1].field, outcomes[2].field) == ("country", "classification")
    assert await count(db, Incident) == 2
    assert await count(db, Incident, Incident.title.in_(["Outside the states", "Too secret"])) == 0
    async with db.transaction() as session:
        stored = (await session.execute(select(Incident).order_by(Incident.title))).scalars()
        assert [(i.title, i.owner, i.version) for i in stored] == [
            ("Dam overtopped", "KAZ", 1),
            ("Flooding on the Ishim", "KAZ", 1),
        ]
        entries = (await session.execute(select(IncidentUpdate))).scalars().all()
        events = (await session.execute(select(Event))).scalars().all()
    assert sorted((e.incident_id, e.kind, e.actor) for e in entries) == sorted(
        (incident_id, "reported", "k.d") for incident_id in reads
    )
    reported = {e.subject: e for e in events if e.kind == "incident.reported"}
    assert set(reported) == {str(incident_id) for incident_id in reads}
    for incident_id, read in reads.items():
        event = reported[str(incident_id)]
        assert event.payload == read.model_dump(mode="json")
        assert (event.state, event.classification) == ("KAZ", Classification.RESTRICTED)

    await seal_and_announce(db, settings)
    audit = await verify_log(db, load_or_create_key(settings.checkpoint_key_path).public_key())
    assert audit.problem is None


async def test_a_bulk_report_by_someone_who_may_not_report_is_refused_and_stores_nothing(db):
    with pytest.raises(Forbidden):
        async with db.transaction() as session:
            await service.report_incidents(session, KAZ_DELEGATE, [report(), report()])

    assert await count(db, Incident) == 0
    assert await count(db, Event, Event.kind == "incident.reported") == 0


async def test_incidents_reported_together_may_be_changed_in_the_same_transaction(db):
    async with db.transaction() as session:
        first, second = await service.report_incidents(session, KAZ_DUTY, [report(), report()])
        changed = await service.change_incident(
            session, KAZ_DUTY, second.id, IncidentChange(version=1, status="verified")
        )

    assert changed.version == 2
    async with db.transaction() as session:
        assert (await session.get(Incident, first.id)).status == "reported"
        assert (await session.get(Incident, second.id)).status == "verified"
