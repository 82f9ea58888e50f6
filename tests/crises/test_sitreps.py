"""Situation reports on both backends: drafted from live data, marked by it, issued for good."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from accord import clock
from accord.access import Classification, Viewer
from accord.crises import service as crises
from accord.crises import sitrep_cadence, sitreps
from accord.crises.schemas import CrisisChange, CrisisCreate, Escalation
from accord.crises.sitrep_schemas import CadenceChange, SitrepChange, SitrepCreate
from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.incidents import service as incidents
from accord.incidents.schemas import IncidentCreate
from accord.models import Event
from accord.models.assistance_request import AssistanceRequest
from accord.models.deployment import Deployment
from accord.models.need_line import NeedLine
from accord.models.offer import Offer
from accord.models.sitrep import Sitrep

TJK_DUTY = Viewer("TJK", Classification.CONFIDENTIAL, frozenset({"duty_officer"}), username="t.d")
TJK_ANALYST = Viewer("TJK", Classification.CONFIDENTIAL, frozenset({"analyst"}), username="t.a")
KAZ_ANALYST = Viewer("KAZ", Classification.CONFIDENTIAL, frozenset({"analyst"}), username="k.a")
ARM_ANALYST = Viewer("ARM", Classification.SECRET, frozenset({"analyst"}), username="a.a")
ORG_ANALYST = Viewer("ORG", Classification.SECRET, frozenset({"analyst"}), username="o.a")
ORG_SEC = Viewer("ORG", Classification.SECRET, frozenset({"secretariat"}), username="o.s")
RESTRICTED_ORG = Viewer("ORG", Classification.RESTRICTED, frozenset({"analyst"}), username="o.r")
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    clock.freeze(T0)
    yield
    clock.freeze(None)


def quake() -> IncidentCreate:
    return IncidentCreate.model_validate(
        {
            "area": "emergency",
            "title": "Earthquake near Dushanbe",
            "occurred_at": T0 - timedelta(hours=1),
            "severity": "Extreme",
            "country": "TJK",
            "location": {"type": "Point", "coordinates": [68.78, 38.56]},
            "classification": "RESTRICTED",
            "releasable_to": ["ALL"],
        }
    )


def marked(owner: str, level: Classification, released: list[str]) -> dict:
    return {"owner": owner, "classification": level, "releasable_to": released}


async def scenario(db, *, kaz_marking: dict | None = None) -> uuid.UUID:
    """The earthquake: a crisis, a request for two rescue teams and a field hospital, offers by
    Kazakhstan and Russia, and both accepted as deployments (Kazakhstan's under its marking)."""
    async with db.transaction() as session:
        incident = await incidents.report_incident(session, TJK_DUTY, quake())
        data = CrisisCreate(
            title="Earthquake in Tajikistan",
            incident_ids=[incident.id],
            classification=Classification.RESTRICTED,
            releasable_to=["ALL"],
        )
        crisis = await crises.open_crisis(session, TJK_DUTY, data)
        request = AssistanceRequest(
            crisis_id=crisis.id,
            title="Rescue and medical help",
            contact="tjk.duty",
            status="open",
            expires_at=T0 + timedelta(days=90),
            posted_by="t.d",
            posted_at=T0,
            updated_at=T0,
            **marked("TJK", Classification.RESTRICTED, ["ALL"]),
        )
        session.add(request)
        await session.flush()
        rescue = NeedLine(
            request_id=request.id,
            position=0,
            capability_code="usar_medium",
            quantity=2,
            place="Dushanbe",
            longitude=68.78,
            latitude=38.56,
            needed_by=T0 + timedelta(days=1),
        )
        hospital = NeedLine(
            request_id=request.id,
            position=1,
            capability_code="field_hospital",
            quantity=1,
            place="Dushanbe",
            longitude=68.8,
            latitude=38.5,
            needed_by=T0 + timedelta(days=2),
        )
        session.add_all([rescue, hospital])
        await session.flush()
        kaz = kaz_marking or marked("KAZ", Classification.RESTRICTED, ["ALL"])
        for line, markings, status, position in (
            (rescue, kaz, "en_route", (70.0, 40.0)),
            (hospital, marked("RUS", Classification.RESTRICTED, ["ALL"]), "deployed", None),
        ):
            offer = Offer(
                request_id=request.id,
                need_line_id=line.id,
                capability_code=line.capability_code,
                quantity=1,
                arrival_at=T0 + timedelta(hours=12),
                status="accepted",
                request_revision=1,
                offered_by="x",
                offered_at=T0,
                updated_at=T0,
                **markings,
            )
            session.add(offer)
            await session.flush()
            session.add(
                Deployment(
                    offer_id=offer.id,
                    request_id=request.id,
                    need_line_id=line.id,
                    crisis_id=crisis.id,
                    capability_code=line.capability_code,
                    quantity=1,
                    status=status,
                    longitude=position[0] if position else None,
                    latitude=position[1] if position else None,
                    estimated_arrival=T0 + timedelta(hours=12),
                    updated_by="x",
                    updated_at=T0,
                    **markings,
                )
            )
        return crisis.id


async def draft(db, viewer: Viewer, crisis_id, language="en", **extra) -> Sitrep:
    async with db.transaction() as session:
        data = SitrepCreate(crisis_id=crisis_id, language=language, **extra)
        return await sitreps.draft_sitrep(session, viewer, data)


async def events_count(db) -> int:
    async with db.transaction() as session:
        return await session.scalar(select(func.count()).select_from(Event))


async def test_a_draft_states_conditions_actions_and_needs_from_the_live_data(db):
    crisis_id = await scenario(db)
    sitrep = await draft(db, TJK_ANALYST, crisis_id)
    assert sitrep.number == 1 and sitrep.status == "draft" and sitrep.owner == "TJK"
    assert sitrep.classification == Classification.RESTRICTED
    assert sitrep.releasable_to == ["ALL"]
    assert "Earthquake near Dushanbe" in sitrep.conditions
    assert "Affected states: Tajikistan" in sitrep.conditions
    assert "Deployments: 2." in sitrep.actions and "en route" in sitrep.actions
    assert "requested 2, offered 1, accepted 1, deployed 0; gap 1" in sitrep.needs
    assert "requested 1, offered 1, accepted 1, deployed 1; gap 0" in sitrep.needs
    totals = sitrep.snapshot["totals"]
    assert totals == {
        "incidents": 1,
        "requested": 3,
        "offered": 2,
        "accepted": 2,
        "deployed": 1,
        "gap": 1,
        "deployments": 2,
    }
    second = await draft(db, ORG_ANALYST, crisis_id, language="ru")
    assert second.number == 2
    assert "Затронутые государства: Таджикистан" in second.conditions
    async with db.transaction() as session:
        kinds = (await session.execute(select(Event.kind, Event.actor))).all()
    assert ("sitrep.drafted", "t.a") in kinds and ("sitrep.drafted", "o.a") in kinds


async def test_a_report_is_marked_by_the_most_restricted_record_in_it(db):
    kaz = marked("KAZ", Classification.CONFIDENTIAL, ["TJK", "ORG"])
    crisis_id = await scenario(db, kaz_marking=kaz)
    sitrep = await draft(db, ORG_ANALYST, crisis_id)
    assert sitrep.classification == Classification.CONFIDENTIAL
    assert sorted(sitrep.releasable_to) == ["KAZ", "TJK"]  # the owner, ORG, is implied
    assert sitrep.snapshot["totals"]["deployments"] == 2
    async with db.transaction() as session:
        seen = await sitreps.get_sitrep(session, TJK_ANALYST, sitrep.id)
        assert seen.id == sitrep.id
        for outsider in (ARM_ANALYST, RESTRICTED_ORG):
            with pytest.raises(NotFound):
                await sitreps.get_sitrep(session, outsider, sitrep.id)
            rows, _cursor = await sitreps.list_sitreps(session, outsider)
            assert rows == []
    # A drafter who cannot see the Kazakh deployment writes a report without it, marked lower.
    lower = await draft(db, RESTRICTED_ORG, crisis_id)
    assert lower.classification == Classification.RESTRICTED
    assert lower.snapshot["totals"]["deployments"] == 1
    assert "KAZ" not in str(lower.snapshot["deployments"])


async def test_the_classification_asked_for_is_at_least_the_records_and_within_clearance(db):
    crisis_id = await scenario(db)
    higher = await draft(db, ORG_ANALYST, crisis_id, classification="SECRET")
    assert higher.classification == Classification.SECRET
    before = await events_count(db)
    with pytest.raises(InvalidInput) as lower:
        await draft(db, ORG_ANALYST, crisis_id, classification="PUBLIC")
    assert lower.value.field == "classification"
    with pytest.raises(InvalidInput):
        await draft(db, TJK_ANALYST, crisis_id, classification="SECRET")
    assert await events_count(db) == before


async def test_who_may_draft(db):
    crisis_id = await scenario(db)
    before = await events_count(db)
    for refused in (KAZ_ANALYST, TJK_DUTY, ORG_SEC):
        with pytest.raises(Forbidden):
            await draft(db, refused, crisis_id)
    with pytest.raises(NotFound):
        await draft(db, ARM_ANALYST, uuid.uuid4())
    assert await events_count(db) == before
    # The crisis's coordinator drafts whatever their role.
    async with db.transaction() as session:
        crisis = await crises.get_crisis(session, TJK_DUTY, crisis_id)
        crisis.coordinator = "k.a"
    sitrep = await draft(db, KAZ_ANALYST, crisis_id)
    assert sitrep.owner == "KAZ"


async def test_edit_then_issue_and_the_issued_report_never_changes(db):
    crisis_id = await scenario(db)
    sitrep = await draft(db, TJK_ANALYST, crisis_id)
    async with db.transaction() as session:
        change = SitrepChange(version=sitrep.version, needs="Two teams still missing.")
        edited = await sitreps.change_sitrep(session, ORG_ANALYST, sitrep.id, change)
        version = edited.version
    assert version == sitrep.version + 1
    async with db.transaction() as session:
        with pytest.raises(Conflict):
            await sitreps.change_sitrep(
                session, TJK_ANALYST, sitrep.id, SitrepChange(version=sitrep.version, title="x")
            )
    async with db.transaction() as session:
        with pytest.raises(Forbidden):
            await sitreps.issue_sitrep(session, KAZ_ANALYST, sitrep.id)
    clock.freeze(T0 + timedelta(hours=3))
    async with db.transaction() as session:
        issued = await sitreps.issue_sitrep(session, TJK_ANALYST, sitrep.id, version)
        assert issued.status == "issued" and issued.issued_at == T0 + timedelta(hours=3)
        frozen = (issued.needs, dict(issued.snapshot), issued.version)
    # Later changes to the crisis do not reach the issued report; editing it is refused.
    async with db.transaction() as session:
        crisis = await crises.get_crisis(session, ORG_SEC, crisis_id)
        await crises.change_crisis(
            session, ORG_SEC, crisis_id, CrisisChange(version=crisis.version, title="Renamed")
        )
        await crises.escalate(
            session, ORG_SEC, crisis_id, Escalation(level="declared", reason="scale")
        )
    before = await events_count(db)
    async with db.transaction() as session:
        for attempt in (
            sitreps.change_sitrep(session, TJK_ANALYST, sitrep.id, SitrepChange(version=frozen[2])),
            sitreps.issue_sitrep(session, TJK_ANALYST, sitrep.id),
        ):
            with pytest.raises(Conflict):
                await attempt
    async with db.transaction() as session:
        again = await sitreps.get_sitrep(session, TJK_ANALYST, sitrep.id)
        assert (again.needs, again.snapshot, again.version) == frozen
        assert again.snapshot["crisis"]["title"] == "Earthquake in Tajikistan"
    assert await events_count(db) == before


async def test_a_refreshed_draft_reads_the_live_data_again(db):
    crisis_id = await scenario(db)
    sitrep = await draft(db, TJK_ANALYST, crisis_id)
    async with db.transaction() as session:
        await crises.escalate(
            session, ORG_SEC, crisis_id, Escalation(level="declared", reason="scale")
        )
    async with db.transaction() as session:
        change = SitrepChange(version=sitrep.version, refresh=True)
        fresh = await sitreps.change_sitrep(session, TJK_ANALYST, sitrep.id, change)
        assert fresh.snapshot["crisis"]["level"] == "declared"
        assert "crisis declared" in fresh.conditions


async def test_the_secretariat_sets_the_cadence_and_late_crises_are_overdue(db):
    crisis_id = await scenario(db)
    before = await events_count(db)
    async with db.transaction() as session:
        with pytest.raises(Forbidden):
            await sitrep_cadence.set_cadences(
                session, ORG_ANALYST, CadenceChange.model_validate({"declared": 24})
            )
    assert await events_count(db) == before
    async with db.transaction() as session:
        await sitrep_cadence.set_cadences(
            session, ORG_SEC, CadenceChange.model_validate({"declared": 24, "monitoring": 72})
        )
        assert await sitrep_cadence.cadence_hours(session) == {"monitoring": 72, "declared": 24}
    async with db.transaction() as session:
        await crises.escalate(
            session, ORG_SEC, crisis_id, Escalation(level="declared", reason="scale")
        )

    async def overdue_for(viewer: Viewer) -> list:
        async with db.transaction() as session:
            return [row.crisis_id for row in await sitrep_cadence.overdue_sitreps(session, viewer)]

    clock.freeze(T0 + timedelta(hours=23))
    assert await overdue_for(TJK_ANALYST) == []
    clock.freeze(T0 + timedelta(hours=25))
    assert await overdue_for(TJK_ANALYST) == [crisis_id]
    assert await overdue_for(Viewer("ARM", Classification.PUBLIC, frozenset({"analyst"}))) == []
    sitrep = await draft(db, TJK_ANALYST, crisis_id)
    assert await overdue_for(TJK_ANALYST) == [crisis_id]  # a draft does not count
    async with db.transaction() as session:
        await sitreps.issue_sitrep(session, TJK_ANALYST, sitrep.id)
    assert await overdue_for(TJK_ANALYST) == []
    clock.freeze(T0 + timedelta(hours=50))
    assert await overdue_for(ORG_SEC) == [crisis_id]


def test_cadence_input_is_checked():
    with pytest.raises(ValueError):
        CadenceChange.model_validate({"closed": 24})
    with pytest.raises(ValueError):
        CadenceChange.model_validate({"declared": 0})
    shapes = (
        {"levels": {"declared": 24}},
        {"items": [{"level": "declared", "interval_hours": 24}]},
        {"declared": 24},
    )
    for shape in shapes:
        assert CadenceChange.model_validate(shape).levels == {"declared": 24}
