"""The escalation rule per role and state, on both backends; refused moves change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from accord.access import Classification, Viewer
from accord.crises import escalation, service
from accord.crises.schemas import CrisisChange, CrisisCreate, Escalation
from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.incidents import service as incidents
from accord.incidents.schemas import IncidentCreate
from accord.models import Event
from accord.models.crisis import Crisis
from accord.models.crisis_entry import CrisisEntry
from tests.factories import create_user

TJK_DUTY = Viewer("TJK", Classification.CONFIDENTIAL, frozenset({"duty_officer"}), username="t.d")
TJK_ANALYST = Viewer("TJK", Classification.CONFIDENTIAL, frozenset({"analyst"}), username="t.a")
KAZ_DUTY = Viewer("KAZ", Classification.CONFIDENTIAL, frozenset({"duty_officer"}), username="k.d")
ORG_SEC = Viewer("ORG", Classification.SECRET, frozenset({"secretariat"}), username="o.s")
ORG_ANALYST = Viewer("ORG", Classification.SECRET, frozenset({"analyst"}), username="o.a")


def quake(**overrides) -> IncidentCreate:
    values = {
        "area": "emergency",
        "title": "Earthquake near Dushanbe",
        "occurred_at": datetime.now(UTC) - timedelta(hours=1),
        "severity": "Extreme",
        "country": "TJK",
        "location": {"type": "Point", "coordinates": [68.78, 38.56]},
        "classification": "RESTRICTED",
        "releasable_to": ["ALL"],
    }
    values.update(overrides)
    return IncidentCreate.model_validate(values)


async def opened(db, **overrides) -> Crisis:
    async with db.transaction() as session:
        incident = await incidents.report_incident(session, TJK_DUTY, quake())
        values = {"title": "Earthquake in Tajikistan", "incident_ids": [incident.id]}
        values.update(overrides)
        crisis = await service.open_crisis(session, TJK_DUTY, CrisisCreate.model_validate(values))
        return crisis


async def state_of(db, crisis_id) -> tuple[str, int, int]:
    async with db.transaction() as session:
        crisis = await session.get(Crisis, crisis_id)
        entries = await session.scalar(
            select(func.count()).select_from(CrisisEntry).where(CrisisEntry.crisis_id == crisis_id)
        )
        events = await session.scalar(select(func.count()).select_from(Event))
        return crisis.level, entries, events


async def move(db, viewer, crisis_id, level, **extra):
    async with db.transaction() as session:
        step = Escalation(level=level, reason="because", **extra)
        return await escalation.escalate(session, viewer, crisis_id, step)


async def test_the_affected_states_duty_officer_opens_and_asks_for_consultations(db):
    crisis = await opened(db)
    assert crisis.owner == "TJK" and crisis.level == "monitoring"
    assert crisis.affected_states == ["TJK"]
    moved = await move(db, TJK_DUTY, crisis.id, "consultations")
    assert moved.level == "consultations"
    async with db.transaction() as session:
        entry = (
            await session.execute(
                select(CrisisEntry).where(
                    CrisisEntry.crisis_id == crisis.id, CrisisEntry.kind == "escalated"
                )
            )
        ).scalar_one()
        kinds = set((await session.execute(select(Event.kind))).scalars())
    assert (entry.actor, entry.from_level, entry.to_level, entry.reason) == (
        "t.d",
        "monitoring",
        "consultations",
        "because",
    )
    assert {"crisis.opened", "crisis.escalated"} <= kinds


@pytest.mark.parametrize(
    ("viewer", "error"),
    [
        (KAZ_DUTY, Forbidden),  # a duty officer of a state that is not affected
        (TJK_ANALYST, Forbidden),  # the affected state, but not its duty officer
        (ORG_ANALYST, Forbidden),  # the secretariat's analyst is not the secretariat officer
    ],
)
async def test_asking_for_consultations_is_refused_to_others_and_changes_nothing(db, viewer, error):
    crisis = await opened(db, releasable_to=["ALL"])
    before = await state_of(db, crisis.id)
    with pytest.raises(error):
        await move(db, viewer, crisis.id, "consultations")
    assert await state_of(db, crisis.id) == before


async def test_only_the_secretariat_declares_and_not_a_duty_officer(db):
    crisis = await opened(db)
    await move(db, TJK_DUTY, crisis.id, "consultations")
    before = await state_of(db, crisis.id)
    with pytest.raises(Forbidden) as refused:
        await move(db, TJK_DUTY, crisis.id, "declared")
    assert "secretariat" in refused.value.message
    assert await state_of(db, crisis.id) == before
    declared = await move(db, ORG_SEC, crisis.id, "declared")
    assert declared.level == "declared"


async def test_collective_response_needs_a_council_decision_and_stores_its_reference(db):
    crisis = await opened(db)
    await move(db, ORG_SEC, crisis.id, "declared")
    before = await state_of(db, crisis.id)
    with pytest.raises(InvalidInput) as refused:
        await move(db, ORG_SEC, crisis.id, "collective_response")
    assert refused.value.field == "decision_reference"
    assert await state_of(db, crisis.id) == before
    moved = await move(
        db, ORG_SEC, crisis.id, "collective_response", decision_reference="CSC decision 12/2026"
    )
    assert (moved.level, moved.decision_reference) == (
        "collective_response",
        "CSC decision 12/2026",
    )


async def test_an_illegal_move_names_the_current_and_the_asked_for_level(db):
    crisis = await opened(db)
    before = await state_of(db, crisis.id)
    with pytest.raises(Conflict) as refused:
        await move(db, ORG_SEC, crisis.id, "recovery")
    assert "'monitoring'" in refused.value.message and "'recovery'" in refused.value.message
    assert refused.value.field == "level"
    assert await state_of(db, crisis.id) == before


async def test_the_full_escalation_to_closed_by_the_secretariat(db):
    crisis = await opened(db, level="consultations")
    for level, extra in (
        ("declared", {}),
        ("collective_response", {"decision_reference": "CSC 1"}),
        ("recovery", {}),
        ("closed", {}),
    ):
        crisis = await move(db, ORG_SEC, crisis.id, level, **extra)
    assert crisis.level == "closed"
    assert escalation.possible_levels(ORG_SEC, crisis) == []


async def test_possible_levels_follow_role_and_state(db):
    crisis = await opened(db)
    assert escalation.possible_levels(TJK_DUTY, crisis) == ["consultations"]
    assert escalation.possible_levels(KAZ_DUTY, crisis) == []
    assert set(escalation.possible_levels(ORG_SEC, crisis)) == {"declared", "closed"}


async def test_a_confidential_crisis_not_released_to_kazakhstan_is_hidden_from_it(db):
    crisis = await opened(db, classification="CONFIDENTIAL", releasable_to=["TJK", "ORG"])
    kaz_secret = Viewer("KAZ", Classification.SECRET, frozenset({"duty_officer"}), username="k")
    tjk_low = Viewer("TJK", Classification.RESTRICTED, frozenset({"duty_officer"}), username="t")
    async with db.transaction() as session:
        for viewer in (kaz_secret, tjk_low):
            with pytest.raises(NotFound):
                await service.get_crisis(session, viewer, crisis.id)
        assert (await service.get_crisis(session, ORG_SEC, crisis.id)).id == crisis.id
    with pytest.raises(NotFound):
        await move(db, tjk_low, crisis.id, "consultations")


async def test_a_role_holder_must_be_a_user_who_may_see_the_crisis(db):
    crisis = await opened(db, classification="CONFIDENTIAL", releasable_to=["TJK", "ORG"])
    async with db.transaction() as session:
        await create_user(session, username="kaz.person", state="KAZ")
        await create_user(session, username="tjk.person", state="TJK")
    with pytest.raises(InvalidInput) as refused:
        async with db.transaction() as session:
            change = CrisisChange(version=crisis.version, coordinator="kaz.person")
            await service.change_crisis(session, TJK_DUTY, crisis.id, change)
    assert refused.value.field == "coordinator"
    async with db.transaction() as session:
        change = CrisisChange(version=crisis.version, coordinator="tjk.person")
        changed = await service.change_crisis(session, TJK_DUTY, crisis.id, change)
    assert changed.coordinator == "tjk.person"
