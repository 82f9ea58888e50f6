"""The access rule: the SQL filter and the policy agree, and neither shows what it must not."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from accord.access import EVERYONE, Classification, Viewer, can_change, can_see, visible
from accord.access.rules import WRITING_ROLES
from accord.auth.schemas import ROLES
from accord.clock import utcnow
from accord.db import Database
from accord.events.chain import payload_digest
from accord.models import Event

PARTIES = ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK", "ORG")
DATABASE_EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
POLICY_EXAMPLES = settings(max_examples=300, deadline=None)


@dataclass(frozen=True)
class Record:
    """A record's markings, as the policy sees one in memory."""

    owner: str
    classification: Classification
    releasable_to: list[str]


levels = st.sampled_from(list(Classification))
viewers = st.builds(
    Viewer,
    state=st.sampled_from(PARTIES),
    clearance=levels,
    roles=st.frozensets(st.sampled_from(ROLES)),
)
records = st.builds(
    Record,
    owner=st.sampled_from(PARTIES),
    classification=levels,
    releasable_to=st.lists(st.sampled_from((*PARTIES, EVERYONE)), unique=True, max_size=4),
)


def marked_event(record: Record) -> Event:
    """An event row carrying ``record``'s markings: the events table stands for any record."""
    payload = {"test": "access"}
    return Event(
        id=uuid.uuid4(),
        sealed=False,
        at=utcnow(),
        actor="test",
        state=record.owner,
        kind="test.marked",
        subject="access",
        classification=record.classification,
        releasable_to=record.releasable_to,
        payload=payload,
        payload_hash=payload_digest(payload),
    )


async def visible_through_sql(
    db: Database, stored: list[Record], asking: list[Viewer]
) -> list[set[int]]:
    """For each viewer, the indexes of ``stored`` the SQL filter returns; nothing is kept."""
    events = [marked_event(record) for record in stored]
    index_of = {event.id: index for index, event in enumerate(events)}
    answers = []
    async with db.sessions() as session:
        session.add_all(events)
        await session.flush()
        for viewer in asking:
            query = select(Event.id).where(Event.id.in_(index_of), visible(viewer, Event))
            found = (await session.execute(query)).scalars().all()
            answers.append({index_of[event_id] for event_id in found})
        await session.rollback()
    return answers


def visible_through_policy(stored: list[Record], viewer: Viewer | None) -> set[int]:
    return {index for index, record in enumerate(stored) if can_see(viewer, record)}


# The two faces agree, on each backend


@DATABASE_EXAMPLES
@given(
    stored=st.lists(records, min_size=1, max_size=40),
    asking=st.lists(viewers, min_size=1, max_size=6),
)
async def test_sql_filter_returns_exactly_the_records_the_policy_shows(db, stored, asking):
    from_sql = await visible_through_sql(db, stored, asking)
    for viewer, found in zip(asking, from_sql, strict=True):
        assert found == visible_through_policy(stored, viewer), viewer


@DATABASE_EXAMPLES
@given(stored=st.lists(records, min_size=1, max_size=40), viewer=viewers)
async def test_sql_filter_returns_nothing_above_clearance_or_unreleased(db, stored, viewer):
    (found,) = await visible_through_sql(db, stored, [viewer])
    for index in found:
        record = stored[index]
        assert record.classification <= viewer.clearance
        assert (
            record.owner == viewer.state
            or viewer.state in record.releasable_to
            or EVERYONE in record.releasable_to
        )


async def test_nobody_logged_in_gets_nothing_from_the_sql_filter(db):
    public = Record("KAZ", Classification.PUBLIC, [EVERYONE])
    async with db.sessions() as session:
        event = marked_event(public)
        session.add(event)
        await session.flush()
        query = select(Event.id).where(Event.id == event.id, visible(None, Event))
        assert (await session.execute(query)).first() is None
        await session.rollback()
    assert not can_see(None, public)


# Properties of the policy


@POLICY_EXAMPLES
@given(viewer=viewers, record=records)
def test_nobody_sees_a_record_above_their_clearance(viewer, record):
    if record.classification > viewer.clearance:
        assert not can_see(viewer, record)


@POLICY_EXAMPLES
@given(viewer=viewers, record=records)
def test_nobody_sees_a_record_neither_owned_by_nor_released_to_their_state(viewer, record):
    released = viewer.state in record.releasable_to or EVERYONE in record.releasable_to
    if record.owner != viewer.state and not released:
        assert not can_see(viewer, record)


@POLICY_EXAMPLES
@given(viewer=viewers, record=records)
def test_a_cleared_viewer_of_the_owner_state_always_sees_the_record(viewer, record):
    if record.owner == viewer.state and record.classification <= viewer.clearance:
        assert can_see(viewer, record)


@POLICY_EXAMPLES
@given(viewer=viewers, record=records)
def test_only_the_owner_state_in_a_writing_role_changes_a_record(viewer, record):
    allowed = can_change(viewer, record)
    if allowed:
        assert record.owner == viewer.state
        assert viewer.roles & WRITING_ROLES
        assert can_see(viewer, record)
    else:
        assert (
            record.owner != viewer.state
            or not viewer.roles & WRITING_ROLES
            or record.classification > viewer.clearance
        )


@POLICY_EXAMPLES
@given(viewer=viewers, record=records, roles=st.frozensets(st.sampled_from(ROLES), min_size=1))
def test_changing_needs_one_of_the_roles_the_caller_names(viewer, record, roles):
    if can_change(viewer, record, roles):
        assert viewer.roles & roles
    elif viewer.roles & roles and record.owner == viewer.state:
        assert record.classification > viewer.clearance


# The cases the design describes


BLR_CONFIDENTIAL = Record("BLR", Classification.CONFIDENTIAL, ["BLR", "KAZ"])


def viewer(state: str, clearance: Classification, *roles: str) -> Viewer:
    return Viewer(state=state, clearance=clearance, roles=frozenset(roles or ("analyst",)))


KAZ_CONFIDENTIAL = viewer("KAZ", Classification.CONFIDENTIAL)
ARM_ANALYST = viewer("ARM", Classification.SECRET)
KAZ_RESTRICTED = viewer("KAZ", Classification.RESTRICTED)
BLR_DUTY = viewer("BLR", Classification.CONFIDENTIAL, "duty_officer")
ORG_SECRETARIAT = viewer("ORG", Classification.SECRET, "secretariat")


def test_a_state_on_the_releasability_list_with_clearance_sees_the_record():
    assert can_see(KAZ_CONFIDENTIAL, BLR_CONFIDENTIAL)


def test_a_state_off_the_releasability_list_does_not_see_the_record():
    assert not can_see(ARM_ANALYST, BLR_CONFIDENTIAL)
    assert not can_see(ORG_SECRETARIAT, BLR_CONFIDENTIAL)


def test_a_listed_state_without_enough_clearance_does_not_see_the_record():
    assert not can_see(KAZ_RESTRICTED, BLR_CONFIDENTIAL)


def test_the_secretariat_sees_records_released_to_all():
    for_all = Record("KGZ", Classification.CONFIDENTIAL, [EVERYONE])
    assert can_see(ORG_SECRETARIAT, for_all)
    assert can_see(ARM_ANALYST, for_all)


def test_a_reader_of_another_state_may_see_but_not_change():
    assert can_see(KAZ_CONFIDENTIAL, BLR_CONFIDENTIAL)
    assert not can_change(KAZ_CONFIDENTIAL, BLR_CONFIDENTIAL)
    assert can_change(BLR_DUTY, BLR_CONFIDENTIAL)
    assert not can_change(
        viewer("BLR", Classification.CONFIDENTIAL, "analyst"),
        BLR_CONFIDENTIAL,
        frozenset({"duty_officer"}),
    )
    assert not can_change(Viewer("BLR", Classification.SECRET), BLR_CONFIDENTIAL)


async def test_the_design_cases_hold_in_sql_on_each_backend(db):
    for_all = Record("KGZ", Classification.CONFIDENTIAL, [EVERYONE])
    asking = [KAZ_CONFIDENTIAL, ARM_ANALYST, KAZ_RESTRICTED, ORG_SECRETARIAT]
    seen = await visible_through_sql(db, [BLR_CONFIDENTIAL, for_all], asking)
    assert seen == [{0, 1}, {1}, set(), {1}]
