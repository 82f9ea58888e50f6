"""The situation picture's counts, on SQLite and PostgreSQL, through the access rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from accord import clock
from accord.access import Classification, Viewer
from accord.incidents import service
from accord.incidents.schemas import IncidentChange, IncidentCreate
from accord.incidents.situation import OUTSIDE, situation
from tests.factories import add_user, login

NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
BLR_DUTY = Viewer("BLR", Classification.SECRET, frozenset({"duty_officer"}), username="blr.duty")
KAZ_DUTY = Viewer("KAZ", Classification.SECRET, frozenset({"duty_officer"}), username="kaz.duty")
KAZ_ANALYST = Viewer("KAZ", Classification.CONFIDENTIAL, frozenset({"analyst"}))
KAZ_LOW = Viewer("KAZ", Classification.RESTRICTED, frozenset({"analyst"}))
ARM_ANALYST = Viewer("ARM", Classification.SECRET, frozenset({"analyst"}))


@pytest.fixture(autouse=True)
def frozen_clock():
    clock.freeze(NOW)
    yield
    clock.freeze(None)


def data(**overrides) -> IncidentCreate:
    values = {
        "area": "drugs",
        "title": "Heroin seizure at the border crossing",
        "occurred_at": NOW - timedelta(hours=2),
        "severity": "Severe",
        "country": "BLR",
        "classification": "RESTRICTED",
        "releasable_to": ["ALL"],
    }
    values.update(overrides)
    return IncidentCreate.model_validate(values)


async def report(db, viewer: Viewer = BLR_DUTY, **overrides):
    async with db.transaction() as session:
        incident = await service.report_incident(session, viewer, data(**overrides))
    return incident


async def picture(db, viewer: Viewer):
    async with db.transaction() as session:
        return await situation(session, viewer)


async def test_counts_fall_into_the_last_day_week_and_month(db):
    for hours in (2, 3 * 24, 20 * 24, 40 * 24):
        await report(db, occurred_at=NOW - timedelta(hours=hours))
    counts = (await picture(db, KAZ_ANALYST)).windows
    assert (counts["24h"].total, counts["7d"].total, counts["30d"].total) == (1, 2, 3)
    assert counts["30d"].by_area == {"drugs": 3}
    assert counts["30d"].by_country == {"BLR": 3}
    assert counts["30d"].severe == 3


async def test_counts_are_per_area_and_per_state_with_a_column_for_outside_the_members(db):
    await report(db, area="cyber", country="KAZ")
    await report(db, area="cyber", country=None, severity="Minor")
    await report(db, area="migration", country="KAZ", severity="Moderate")
    counts = (await picture(db, KAZ_ANALYST)).windows["24h"]
    assert counts.by_cell == {("cyber", "KAZ"): 1, ("cyber", OUTSIDE): 1, ("migration", "KAZ"): 1}
    assert counts.by_area == {"cyber": 2, "migration": 1}
    assert counts.by_country == {"KAZ": 2, OUTSIDE: 1}
    assert counts.severe == 1


async def test_a_confidential_belarus_record_counts_only_for_those_it_is_released_to(db):
    await report(db, classification="CONFIDENTIAL", releasable_to=["BLR", "KAZ"])
    await report(db, area="emergency", title="Flood in Gomel")
    seen = await picture(db, KAZ_ANALYST)
    assert seen.windows["24h"].total == 2
    assert seen.windows["24h"].by_area == {"drugs": 1, "emergency": 1}
    assert seen.classification == Classification.CONFIDENTIAL
    assert {row.title for row in seen.newest + seen.unverified} >= {"Flood in Gomel"}
    for viewer in (ARM_ANALYST, KAZ_LOW):
        hidden = await picture(db, viewer)
        assert hidden.windows["24h"].total == 1, viewer
        assert hidden.windows["30d"].by_area == {"emergency": 1}, viewer
        assert sum(day.total for day in hidden.trend) == 1, viewer
        assert hidden.unverified_count == 1, viewer
        shown = [row.title for row in hidden.newest + hidden.unverified]
        assert "Heroin seizure at the border crossing" not in shown, viewer
        assert hidden.classification == Classification.RESTRICTED, viewer


async def test_a_duplicate_stops_counting(db):
    original = await report(db)
    duplicate = await report(db, viewer=KAZ_DUTY, title="Heroin found in a lorry")
    before = await picture(db, KAZ_ANALYST)
    assert before.windows["24h"].total == 2
    async with db.transaction() as session:
        await service.link_duplicate(session, KAZ_DUTY, duplicate.id, original.id, 1)
    after = await picture(db, KAZ_ANALYST)
    assert after.windows["24h"].total == 1
    assert after.unverified_count == 1
    assert sum(day.total for day in after.trend) == 1
    assert [row.id for row in after.newest] == [original.id]


async def test_exercises_and_tests_are_counted_apart_and_never_as_real(db):
    await report(db)
    await report(db, mode="exercise", title="Exercise: dirty bomb in Minsk", severity="Extreme")
    await report(db, mode="test", title="Test alert")
    counts = (await picture(db, KAZ_ANALYST)).windows["24h"]
    assert (counts.total, counts.exercise, counts.test) == (1, 1, 1)
    assert counts.by_area == {"drugs": 1}
    assert counts.severe == 1
    seen = await picture(db, KAZ_ANALYST)
    assert sum(day.total for day in seen.trend) == 1
    assert seen.unverified_count == 1
    assert {row.mode for row in seen.newest} == {"actual", "exercise", "test"}


async def test_the_trend_has_one_bucket_per_utc_day_for_thirty_days(db):
    await report(db, occurred_at=NOW - timedelta(hours=1), severity="Extreme")
    await report(db, occurred_at=NOW - timedelta(hours=1), severity="Minor")
    await report(db, occurred_at=NOW - timedelta(days=29), severity="Moderate")
    await report(db, occurred_at=NOW - timedelta(days=31))
    trend = (await picture(db, KAZ_ANALYST)).trend
    assert len(trend) == 30
    assert trend[-1].day == "2025-03-14"
    assert trend[-1].bands == {"high": 1, "moderate": 0, "low": 1}
    assert trend[0].day == "2025-02-13"
    assert trend[0].bands == {"high": 0, "moderate": 1, "low": 0}
    assert sum(day.total for day in trend) == 3


async def test_unverified_reports_are_listed_oldest_first_with_their_count(db):
    early = NOW - timedelta(hours=6)
    clock.freeze(NOW - timedelta(hours=5))
    oldest = await report(db, title="Waiting five hours", occurred_at=early)
    clock.freeze(NOW - timedelta(hours=1))
    await report(db, title="Waiting one hour", occurred_at=early)
    verified = await report(db, title="Already verified", occurred_at=early)
    async with db.transaction() as session:
        await service.change_incident(
            session, BLR_DUTY, verified.id, IncidentChange(version=1, status="verified")
        )
    clock.freeze(NOW)
    seen = await picture(db, KAZ_ANALYST)
    assert seen.unverified_count == 2
    assert [row.title for row in seen.unverified] == ["Waiting five hours", "Waiting one hour"]
    assert seen.unverified[0].id == oldest.id


async def test_the_newest_ten_reports_are_listed_latest_first(db):
    for hours in range(12):
        await report(
            db, title=f"Report {hours:02d} hours ago", occurred_at=NOW - timedelta(hours=hours)
        )
    newest = (await picture(db, KAZ_ANALYST)).newest
    assert [row.title for row in newest] == [f"Report {hours:02d} hours ago" for hours in range(10)]


async def test_the_situation_api_answers_401_when_not_logged_in(client):
    answer = await client.get("/api/v1/situation")
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "not_authenticated"


async def test_the_situation_api_hides_what_the_caller_may_not_see(client):
    db = client.app.state.db
    await add_user(db, username="kaz.analyst", state="KAZ", clearance="CONFIDENTIAL")
    await add_user(db, username="arm.analyst", state="ARM", clearance="SECRET")
    await add_user(db, username="kaz.low", state="KAZ", clearance="RESTRICTED")
    await report(db, classification="CONFIDENTIAL", releasable_to=["BLR", "KAZ"])
    await login(client, "kaz.analyst")
    seen = (await client.get("/api/v1/situation")).json()
    assert seen["windows"]["24h"]["total"] == 1
    assert seen["windows"]["24h"]["cells"] == {"drugs": {"BLR": 1}}
    assert seen["classification"] == "CONFIDENTIAL"
    assert seen["newest"][0]["title"] == "Heroin seizure at the border crossing"
    for username in ("arm.analyst", "kaz.low"):
        client.cookies.clear()
        await login(client, username)
        answer = await client.get("/api/v1/situation")
        assert answer.status_code == 200
        hidden = answer.json()
        assert hidden["windows"]["30d"]["total"] == 0, username
        assert hidden["trend"]["total"] == 0, username
        assert hidden["unverified_count"] == 0, username
        assert "Heroin" not in answer.text, username
        assert hidden["classification"] == "PUBLIC", username


async def test_the_shared_picture_counts_a_report_made_the_moment_before(client):
    db = client.app.state.db
    await add_user(db, username="kaz.duty", state="KAZ", roles=["duty_officer"])
    await add_user(db, username="kaz.second", state="KAZ", clearance="CONFIDENTIAL")
    csrf = await login(client, "kaz.duty")
    before = (await client.get("/api/v1/situation")).json()["windows"]["24h"]["total"]

    reported = await client.post(
        "/api/v1/incidents",
        json={
            "area": "emergency",
            "title": "Mudflow blocks a mountain road",
            "occurred_at": (NOW - timedelta(hours=1)).isoformat(),
            "severity": "Severe",
            "urgency": "Immediate",
            "certainty": "Observed",
            "location": None,
            "country": "KAZ",
            "classification": "RESTRICTED",
            "releasable_to": ["ALL"],
        },
        headers={"X-CSRF-Token": csrf},
    )
    assert reported.status_code == 201, reported.text

    client.cookies.clear()
    await login(client, "kaz.second")  # same state and clearance: the same shared picture
    after = (await client.get("/api/v1/situation")).json()["windows"]["24h"]["total"]
    assert after == before + 1
