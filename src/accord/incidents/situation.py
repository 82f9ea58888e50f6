"""The situation picture: what happened where over the last day, week and month, and what waits.

Every figure is an SQL aggregate over the incidents the viewer may see (the repository's access
filter); duplicates never count, and exercises and tests are counted apart from real incidents.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, func, literal_column, null, tuple_, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Classification, Viewer, highest
from accord.clock import utcnow
from accord.incidents import repository
from accord.incidents.repository import IncidentFilter
from accord.models import Incident

WINDOWS: dict[str, timedelta] = {
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}
TREND_DAYS = 30
LIST_LIMIT = 10
OUTSIDE = "outside"  # the country key of incidents outside the member states
# Bands of the trend chart, most severe first.
SEVERITY_BANDS: dict[str, tuple[str, ...]] = {
    "high": ("Extreme", "Severe"),
    "moderate": ("Moderate",),
    "low": ("Minor", "Unknown"),
}


@dataclass
class WindowCounts:
    """Counts of real incidents in one window, and of exercises and tests beside them."""

    total: int = 0
    severe: int = 0
    by_area: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_country: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_cell: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    exercise: int = 0
    test: int = 0


@dataclass
class TrendDay:
    day: str
    bands: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.bands.values())


@dataclass
class Situation:
    """The whole picture for one viewer at one moment."""

    at: datetime
    windows: dict[str, WindowCounts]
    trend: list[TrendDay]
    newest: list[Incident]
    unverified: list[Incident]
    unverified_count: int
    classification: Classification


def _base(session: AsyncSession, viewer: Viewer, since: datetime):
    """Visible, non-duplicate incidents that occurred since ``since``."""
    return repository.filtered(
        session, viewer, IncidentFilter(since=since, include_duplicates=False)
    )


def _day_of(session: AsyncSession, column):
    if session.bind.dialect.name == "sqlite":
        # SQLite stores the UTC time as text; its first ten characters are the day.
        return func.substr(column, literal_column("1"), literal_column("10"))
    # Literals, not parameters: PostgreSQL matches GROUP BY expressions textually.
    return func.to_char(
        func.timezone(literal_column("'UTC'"), column), literal_column("'YYYY-MM-DD'")
    )


def _aggregates(session: AsyncSession, viewer: Viewer, now: datetime):
    """One aggregate over the month, grouped two ways: per area, country, mode and severity
    (with a sum per window and the unverified count), and per day, severity and mode (the
    trend). PostgreSQL reads the rows once for both (GROUPING SETS); SQLite twice."""
    base = _base(session, viewer, now - WINDOWS["30d"])
    day = _day_of(session, Incident.occurred_at)
    per_place = (Incident.area, Incident.country, Incident.mode, Incident.severity)
    per_day = (day, Incident.severity, Incident.mode)
    measures = (
        func.max(Incident.classification),
        *(
            func.sum(case((Incident.occurred_at >= now - span, 1), else_=0))
            for span in WINDOWS.values()
        ),
        func.sum(case((Incident.status == "reported", 1), else_=0)),
    )
    if session.bind.dialect.name != "sqlite":
        return base.with_only_columns(*per_place, day, *measures).group_by(
            func.grouping_sets(tuple_(*per_place), tuple_(*per_day))
        )
    places = base.with_only_columns(*per_place, null(), *measures).group_by(*per_place)
    days = base.with_only_columns(
        null(), null(), Incident.mode, Incident.severity, day, *measures
    ).group_by(*per_day)
    return union_all(places, days)


async def _counts(
    session: AsyncSession, viewer: Viewer, now: datetime
) -> tuple[dict[str, WindowCounts], list[TrendDay], int, Classification]:
    windows = {key: WindowCounts() for key in WINDOWS}
    trend = _empty_trend(now)
    unverified = 0
    levels = []
    rows = (await session.execute(_aggregates(session, viewer, now))).all()
    for area, country, mode, severity, day, level, *sums, reported in rows:
        if day is not None:
            if mode == "actual" and day in trend:
                trend[day][_band(severity)] += int(sums[-1] or 0)
            continue
        levels.append(level)
        for key, count in zip(WINDOWS, sums, strict=True):
            _add(windows[key], area, country or OUTSIDE, mode, severity, int(count or 0))
        if mode == "actual":
            unverified += int(reported or 0)
    days = [TrendDay(key, bands) for key, bands in trend.items()]
    return windows, days, unverified, highest(levels)


def _add(counts: WindowCounts, area: str, country: str, mode: str, severity: str, n: int) -> None:
    if mode == "exercise":
        counts.exercise += n
        return
    if mode == "test":
        counts.test += n
        return
    counts.total += n
    counts.by_area[area] += n
    counts.by_country[country] += n
    counts.by_cell[(area, country)] += n
    if severity in SEVERITY_BANDS["high"]:
        counts.severe += n


def _band(severity: str) -> str:
    return next(name for name, members in SEVERITY_BANDS.items() if severity in members)


def _empty_trend(now: datetime) -> dict[str, dict[str, int]]:
    """The last TREND_DAYS UTC days, today included, each with zero in every band."""
    first = now - timedelta(days=TREND_DAYS - 1)
    return {
        (first + timedelta(days=offset)).date().isoformat(): dict.fromkeys(SEVERITY_BANDS, 0)
        for offset in range(TREND_DAYS)
    }


async def _newest(session: AsyncSession, viewer: Viewer, now: datetime) -> list[Incident]:
    # By the time they occurred, which is indexed: this stays instant with millions of rows.
    query = (
        _base(session, viewer, now - WINDOWS["30d"])
        .order_by(Incident.occurred_at.desc(), Incident.id.desc())
        .limit(LIST_LIMIT)
    )
    return list((await session.execute(query)).scalars())


async def _unverified(session: AsyncSession, viewer: Viewer, now: datetime) -> list[Incident]:
    query = (
        _base(session, viewer, now - WINDOWS["30d"])
        .where(Incident.status == "reported", Incident.mode == "actual")
        .order_by(Incident.reported_at, Incident.id)
        .limit(LIST_LIMIT)
    )
    return list((await session.execute(query)).scalars())


async def situation(
    session: AsyncSession, viewer: Viewer, *, now: datetime | None = None
) -> Situation:
    """The picture ``viewer`` may see: counts per window, the trend, newest and unverified."""
    now = now or utcnow()
    windows, trend, unverified_count, counted_level = await _counts(session, viewer, now)
    newest = await _newest(session, viewer, now)
    unverified = await _unverified(session, viewer, now)
    shown = [counted_level, *(row.classification for row in newest + unverified)]
    return Situation(
        at=now,
        windows=windows,
        trend=trend,
        newest=newest,
        unverified=unverified,
        unverified_count=unverified_count,
        classification=highest(shown),
    )


# The picture depends only on the viewer's state and clearance (the access rule) and on the
# changes so far, so one computation serves every user of a state and clearance until the next
# change reaches this process — the live page asks again on each event — or a few seconds pass,
# since the windows slide with the clock.
CACHE_SECONDS = 10


class SharedPictures:
    """The situation pictures of one application, by state and clearance."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, int], tuple[object, datetime, Situation]] = {}

    async def situation(
        self, session: AsyncSession, viewer: Viewer, *, changes_seen: object
    ) -> Situation:
        """:func:`situation`, computed once for all viewers of a state and clearance.

        ``changes_seen`` names the last change this process knows of; another means recompute.
        """
        key = (viewer.state, int(viewer.clearance))
        now = utcnow()
        kept = self._kept.get(key)
        if kept and kept[0] == changes_seen and now - kept[1] < timedelta(seconds=CACHE_SECONDS):
            return kept[2]
        picture = await situation(session, viewer, now=now)
        self._kept[key] = (changes_seen, now, picture)
        return picture
