"""Importing CAP alerts as incidents, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from accord.access import Classification, Viewer
from accord.auth.service import viewer_of
from accord.errors import AccordError, Conflict, Forbidden, InvalidInput
from accord.incidents import repository
from accord.interop.cap import service
from accord.models import CapAlert, Event, Incident, IncidentUpdate
from tests.factories import add_user
from tests.interop.cap_samples import (
    BILLION_LAUGHS,
    BLR_CONFIDENTIAL,
    OLD_VERSIONS,
    REAL,
    VALID_REAL,
    XXE,
    alert,
    cap_time,
    hours_ago,
    info_block,
)


async def importer(db, username="kaz.duty", state="KAZ", **overrides) -> Viewer:
    user = await add_user(db, username=username, state=state, roles=["duty_officer"], **overrides)
    return viewer_of(user)


async def take(db, viewer, xml: bytes, **options) -> service.ImportResult:
    async with db.transaction() as session:
        return await service.import_alert(session, viewer, xml, **options)


async def count(db, model, *conditions) -> int:
    async with db.transaction() as session:
        query = select(func.count()).select_from(model).where(*conditions)
        return (await session.execute(query)).scalar_one()


async def incident(db, incident_id) -> Incident:
    async with db.transaction() as session:
        return await session.get(Incident, incident_id)


async def timeline(db, incident_id) -> list[IncidentUpdate]:
    async with db.transaction() as session:
        return await repository.timeline(session, incident_id)


async def nothing_stored(db) -> bool:
    return await count(db, CapAlert) == 0 and await count(db, Incident) == 0


async def test_every_valid_real_alert_imports_and_every_invalid_one_is_refused(db):
    viewer = await importer(db)
    async with db.transaction() as session:
        documents = [(path.name, path.read_bytes()) for path in sorted(REAL.glob("*.xml"))]
        outcomes = await service.import_alerts(session, viewer, documents)
    refused = {outcome.name: outcome.error for outcome in outcomes if outcome.error}
    assert set(refused) == {"fiji_sambro-demo-water-shortage-en-hi-invalid.xml"}
    assert "reference" in refused["fiji_sambro-demo-water-shortage-en-hi-invalid.xml"].message
    assert await count(db, CapAlert) == len(VALID_REAL)
    async with db.transaction() as session:
        originals = (await session.execute(select(CapAlert.xml))).scalars().all()
    assert any("Usulután" in xml for xml in originals)


async def test_each_real_alert_on_its_own_becomes_an_incident_of_the_importers_state(db):
    viewer = await importer(db)
    for path in VALID_REAL:
        result = await take(db, viewer, path.read_bytes())
        assert result.created, path.name
        assert result.incident.owner == "KAZ"
        assert result.incident.country is None
    assert await count(db, Incident) == len(VALID_REAL)


async def test_owner_and_default_markings_come_from_the_importers_state(db):
    viewer = await importer(db)
    result = await take(db, viewer, alert())
    async with db.transaction() as session:
        from accord.members import repository as members

        kaz = await members.get_state(session, "KAZ")
    stored = await incident(db, result.incident.id)
    assert stored.owner == "KAZ" and stored.reported_by == "kaz.duty"
    assert stored.classification == kaz.default_classification
    assert stored.releasable_to == sorted(kaz.default_releasable_to)


async def test_profile_parameters_override_the_default_markings(db):
    viewer = await importer(db, "blr.duty", "BLR")
    result = await take(db, viewer, alert(infos=[info_block(params=BLR_CONFIDENTIAL)]))
    stored = await incident(db, result.incident.id)
    assert stored.classification == Classification.CONFIDENTIAL
    assert stored.releasable_to == ["BLR", "KAZ"]


async def test_a_classification_above_the_importers_clearance_is_refused(db):
    viewer = await importer(db, clearance="RESTRICTED")
    with pytest.raises(InvalidInput) as raised:
        await take(db, viewer, alert(infos=[info_block(params={"classification": "SECRET"})]))
    assert raised.value.field == "info.parameter.classification"
    assert await nothing_stored(db)


async def test_an_unknown_state_in_releasable_to_is_refused(db):
    viewer = await importer(db)
    with pytest.raises(InvalidInput) as raised:
        await take(db, viewer, alert(infos=[info_block(params={"releasable_to": "KAZ,USA"})]))
    assert raised.value.field.startswith("info.parameter.releasable_to")
    assert await nothing_stored(db)


async def test_only_reporting_roles_import(db):
    user = await add_user(db, username="press", state="ORG", roles=["press"])
    with pytest.raises(Forbidden):
        await take(db, viewer_of(user), alert())
    assert await nothing_stored(db)


@pytest.mark.parametrize(
    ("document", "field"),
    [
        (XXE, "DOCTYPE"),
        (BILLION_LAUGHS, "DOCTYPE"),
        (alert(sent="2024-05-01T08:00:00Z"), "sent"),
        (alert(namespace="urn:oasis:names:tc:emergency:cap:1.1"), "alert"),
        ((REAL / "fiji_sambro-demo-water-shortage-en-hi-invalid.xml").read_bytes(), "reference"),
    ],
    ids=["xxe", "billion-laughs", "sent-z", "cap-1.1", "invalid-real"],
)
async def test_bad_documents_are_refused_naming_the_field_and_nothing_is_stored(
    db, document, field
):
    viewer = await importer(db)
    events_before = await count(db, Event)
    with pytest.raises(AccordError) as raised:
        await take(db, viewer, document)
    assert raised.value.field == field
    assert await nothing_stored(db)
    assert await count(db, Event) == events_before


async def test_old_cap_versions_are_refused(db):
    viewer = await importer(db)
    for path in sorted(OLD_VERSIONS.glob("*.xml")):
        with pytest.raises(InvalidInput, match=r"CAP 1\.[01]"):
            await take(db, viewer, path.read_bytes())
    assert await nothing_stored(db)


async def test_the_same_alert_twice_creates_nothing_new(db):
    viewer = await importer(db)
    document = alert(sent=hours_ago(2))
    first = await take(db, viewer, document)
    events = await count(db, Event)
    second = await take(db, viewer, document)
    assert (first.created, second.created, second.updated) == (True, False, False)
    assert second.incident.id == first.incident.id
    assert await count(db, Incident) == 1 and await count(db, CapAlert) == 1
    assert await count(db, Event) == events


async def test_the_same_alert_twice_in_one_batch_is_stored_once(db):
    viewer = await importer(db)
    document = alert(sent=hours_ago(2))
    async with db.transaction() as session:
        outcomes = await service.import_alerts(session, viewer, [("a", document), ("b", document)])
    assert [outcome.outcome for outcome in outcomes] == ["created", "already_imported"]
    assert await count(db, Incident) == 1


async def test_an_alert_another_state_already_imported_is_a_conflict_that_shows_nothing(db):
    kaz = await importer(db)
    arm = await importer(db, "arm.duty", "ARM")
    document = alert(infos=[info_block(params={"releasable_to": "KAZ"})])
    await take(db, kaz, document)
    with pytest.raises(Conflict) as raised:
        await take(db, arm, document)
    assert "another state" in raised.value.message
    assert await count(db, Incident) == 1


async def test_an_update_changes_the_incident_of_the_alert_it_references(db):
    viewer = await importer(db)
    sent = hours_ago(3)
    original = await take(db, viewer, alert(identifier="FLOOD-1", sent=sent))
    update = alert(
        identifier="FLOOD-2",
        msg_type="Update",
        references=f"warnings@example.org,FLOOD-1,{sent}",
        infos=[info_block(headline="The flood spreads to the town", severity="Extreme")],
    )
    result = await take(db, viewer, update)
    assert (result.created, result.updated) == (False, True)
    assert result.incident.id == original.incident.id
    stored = await incident(db, original.incident.id)
    assert stored.title == "The flood spreads to the town"
    assert stored.severity == "Extreme" and stored.severity_rank == 4
    assert stored.version == 2
    assert await count(db, Incident) == 1 and await count(db, CapAlert) == 2
    entries = await timeline(db, stored.id)
    assert entries[-1].kind == "updated" and "FLOOD-2" in entries[-1].comment
    assert await count(db, Event, Event.kind == "incident.updated") == 1


async def test_a_cancel_closes_the_incident_with_a_timeline_entry(db):
    viewer = await importer(db)
    sent = hours_ago(3)
    original = await take(db, viewer, alert(identifier="FLOOD-1", sent=sent))
    cancel = alert(
        identifier="FLOOD-9",
        msg_type="Cancel",
        references=f"warnings@example.org,FLOOD-1,{sent}",
        infos=[],
    )
    result = await take(db, viewer, cancel)
    assert (result.created, result.updated, result.incident.id) == (
        False,
        True,
        original.incident.id,
    )
    stored = await incident(db, original.incident.id)
    assert stored.status == "closed"
    entries = await timeline(db, stored.id)
    assert entries[-1].kind == "status_changed" and "FLOOD-9" in entries[-1].comment


async def test_an_update_of_another_states_alert_becomes_an_incident_of_its_own(db):
    kaz = await importer(db)
    arm = await importer(db, "arm.duty", "ARM")
    sent = hours_ago(3)
    original = await take(db, kaz, alert(identifier="FLOOD-1", sent=sent))
    update = alert(
        identifier="FLOOD-2",
        msg_type="Update",
        references=f"warnings@example.org,FLOOD-1,{sent}",
    )
    result = await take(db, arm, update)
    assert result.created and result.incident.owner == "ARM"
    assert (await incident(db, original.incident.id)).version == 1


async def test_an_update_of_an_unknown_alert_is_stored_with_the_unresolved_reference_then_linked(
    db,
):
    viewer = await importer(db)
    sent = hours_ago(5)
    reference = f"warnings@example.org,FLOOD-1,{sent}"
    update = alert(identifier="FLOOD-2", msg_type="Update", references=reference)
    first = await take(db, viewer, update)
    assert first.created
    assert first.alert.unresolved_references == [
        ["warnings@example.org", "FLOOD-1", datetime.fromisoformat(sent).isoformat()]
    ]
    late = await take(db, viewer, alert(identifier="FLOOD-1", sent=sent))
    assert (late.created, late.updated) == (False, True)
    assert late.incident.id == first.incident.id
    async with db.transaction() as session:
        stored = (await session.execute(select(CapAlert).order_by(CapAlert.sent))).scalars().all()
    assert [cap.identifier for cap in stored] == ["FLOOD-1", "FLOOD-2"]
    assert {cap.incident_id for cap in stored} == {first.incident.id}
    assert stored[1].unresolved_references == []
    assert "FLOOD-1" in (await timeline(db, first.incident.id))[-1].comment
    assert await count(db, Incident) == 1


async def test_two_incidents_waiting_for_one_alert_are_linked_as_duplicates(db):
    viewer = await importer(db)
    sent = hours_ago(5)
    reference = f"warnings@example.org,FLOOD-1,{sent}"
    older = await take(
        db,
        viewer,
        alert(identifier="FLOOD-2", sent=hours_ago(4), msg_type="Update", references=reference),
    )
    newer = await take(
        db,
        viewer,
        alert(identifier="FLOOD-3", sent=hours_ago(3), msg_type="Update", references=reference),
    )
    await take(db, viewer, alert(identifier="FLOOD-1", sent=sent))
    assert (await incident(db, older.incident.id)).duplicate_of == newer.incident.id


async def test_a_cancel_of_an_unknown_alert_is_stored_closed(db):
    viewer = await importer(db)
    result = await take(db, viewer, (REAL / "us_ipaws-nevada-dps-cancel.xml").read_bytes())
    assert result.created and result.incident.status == "closed"
    assert len(result.alert.unresolved_references) == 1


@pytest.mark.parametrize(("status", "mode"), [("Exercise", "exercise"), ("Test", "test")])
async def test_exercise_and_test_alerts_are_never_stored_as_actual(db, status, mode):
    viewer = await importer(db)
    result = await take(db, viewer, alert(status=status))
    assert (await incident(db, result.incident.id)).mode == mode


async def test_real_exercise_and_test_alerts_keep_their_mode(db):
    viewer = await importer(db)
    exercise = await take(db, viewer, (REAL / "myanmar_dmh-flood-exercise.xml").read_bytes())
    test = await take(db, viewer, (REAL / "philippines_pagasa-flood-test-en-tl.xml").read_bytes())
    assert (exercise.incident.mode, test.incident.mode) == ("exercise", "test")


async def test_a_multi_language_alert_keeps_its_languages(db):
    viewer = await importer(db)
    result = await take(db, viewer, (REAL / "canada_ec-2011-update-en-fr.xml").read_bytes())
    stored = await incident(db, result.incident.id)
    assert stored.language == "en-CA"
    assert set(stored.translations) == {"fr-CA"}
    assert stored.translations["fr-CA"]["title"]


async def test_the_importers_language_becomes_the_main_one(db):
    viewer = await importer(db)
    data = (REAL / "norway_met-gale-no-en.xml").read_bytes()
    result = await take(db, viewer, data, language="en")
    stored = await incident(db, result.incident.id)
    assert stored.language == "en-GB" and set(stored.translations) == {"no"}


async def test_a_forecast_onset_in_the_future_is_kept_in_the_description(db):
    viewer = await importer(db)
    onset = cap_time(datetime.now(UTC) + timedelta(days=2))
    sent = hours_ago(1)
    document = alert(sent=sent, infos=[info_block(urgency="Expected", onset=onset)])
    result = await take(db, viewer, document)
    stored = await incident(db, result.incident.id)
    assert stored.occurred_at == datetime.fromisoformat(sent)
    assert f"Onset: {onset}" in stored.description


async def test_a_past_onset_is_when_it_occurred(db):
    viewer = await importer(db)
    onset = hours_ago(6)
    result = await take(db, viewer, alert(infos=[info_block(onset=onset)]))
    assert (await incident(db, result.incident.id)).occurred_at == datetime.fromisoformat(onset)


async def test_an_alert_sent_in_the_future_is_refused(db):
    viewer = await importer(db)
    later = cap_time(datetime.now(UTC) + timedelta(hours=2))
    with pytest.raises(InvalidInput) as raised:
        await take(db, viewer, alert(sent=later))
    assert raised.value.field == "sent"
    assert await nothing_stored(db)


async def test_a_geocoded_alert_in_a_member_state_gets_its_country(db):
    from tests.interop.cap_samples import area_block

    viewer = await importer(db)
    inside = area_block("Almaty", geocodes={"ISO3166-1": "KZ"})
    outside = area_block("Paris", geocodes={"ISO3166-1": "FR"})
    first = await take(db, viewer, alert(identifier="A", infos=[info_block(area=inside)]))
    second = await take(db, viewer, alert(identifier="B", infos=[info_block(area=outside)]))
    assert (first.incident.country, second.incident.country) == ("KAZ", None)


async def test_an_exported_alert_imports_back_with_its_markings(db):
    blr = await importer(db, "blr.duty", "BLR")
    created = await take(db, blr, alert(infos=[info_block(params=BLR_CONFIDENTIAL)]))
    async with db.transaction() as session:
        exported = await service.export_alert(session, blr, created.incident.id)
    kaz = await importer(db, "kaz.analyst", "KAZ", clearance="CONFIDENTIAL")
    again = await take(db, kaz, exported)
    assert again.created and again.incident.owner == "KAZ"
    assert again.incident.classification == Classification.CONFIDENTIAL
    assert again.incident.releasable_to == ["BLR", "KAZ"]


async def test_an_update_before_its_alert_in_one_batch_still_applies_to_it(db):
    viewer = await importer(db)
    sent = hours_ago(3)
    update = alert(
        identifier="FLOOD-2",
        sent=hours_ago(2),
        msg_type="Update",
        references=f"warnings@example.org,FLOOD-1,{sent}",
        infos=[info_block(headline="Later word")],
    )
    original = alert(identifier="FLOOD-1", sent=sent)
    async with db.transaction() as session:
        outcomes = await service.import_alerts(
            session, viewer, [("update", update), ("original", original)]
        )
    assert [outcome.name for outcome in outcomes] == ["update", "original"]
    assert [outcome.outcome for outcome in outcomes] == ["updated", "created"]
    assert outcomes[0].result.incident.id == outcomes[1].result.incident.id
    assert (await incident(db, outcomes[1].result.incident.id)).title == "Later word"
    assert await count(db, Incident) == 1
