"""The situation picture: what happened where over the last day, week and month, and what waits.

Every figure is an SQL aggregate over the incidents the viewer may see (the repository's access
filter); duplicates never count, and exercises and tests are counted apart from real incidents.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, func, literal_column
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


async def _window_counts(
    session: AsyncSession, viewer: Viewer, now: datetime
) -> tuple[dict[str, WindowCounts], Classification]:
    within = {
        key: case((Incident.occurred_at >= now - span, 1), else_=0) for key, span in WINDOWS.items()
    }
    longest = max(WINDOWS.values())
    query = (
        _base(session, viewer, now - longest)
        .with_only_columns(
            Incident.area,
            Incident.country,
            Incident.mode,
            Incident.severity,
            func.max(Incident.classification),
            *(func.sum(flag) for flag in within.values()),
        )
        .group_by(Incident.area, Incident.country, Incident.mode, Incident.severity)
    )
    windows = {key: WindowCounts() for key in WINDOWS}
    levels = []
    for area, country, mode, severity, level, *sums in (await session.execute(query)).all():
        levels.append(level)
        for key, count in zip(WINDOWS, sums, strict=True):
            _add(windows[key], area, country or OUTSIDE, mode, severity, int(count or 0))
    return windows, highest(levels)


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


def _day_of(session: AsyncSession, column):
    if session.bind.dialect.name == "sqlite":
        # SQLite stores the UTC time as text; its first ten characters are the day.
        return func.substr(column, literal_column("1"), literal_column("10"))
    # Literals, not parameters: PostgreSQL matches GROUP BY expressions textually.
    return func.to_char(
        func.timezone(literal_column("'UTC'"), column), literal_column("'YYYY-MM-DD'")
    )


async def _trend(session: AsyncSession, viewer: Viewer, now: datetime) -> list[TrendDay]:
    first = (now - timedelta(days=TREND_DAYS - 1)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    day = _day_of(session, Incident.occurred_at)
    query = (
        _base(session, viewer, first)
        .where(Incident.mode == "actual")
        .with_only_columns(day, Incident.severity, func.count())
        .group_by(day, Incident.severity)
    )
    days = {
        (first + timedelta(days=offset)).date().isoformat(): dict.fromkeys(SEVERITY_BANDS, 0)
        for offset in range(TREND_DAYS)
    }
    for key, severity, count in (await session.execute(query)).all():
        band = next(name for name, members in SEVERITY_BANDS.items() if severity in members)
        if key in days:
            days[key][band] += int(count)
    return [TrendDay(key, bands) for key, bands in days.items()]


async def _newest(session: AsyncSession, viewer: Viewer, now: datetime) -> list[Incident]:
    # Bounded by the month on occurred_at so the query stays on its index with millions of rows.
    query = (
        _base(session, viewer, now - WINDOWS["30d"])
        .order_by(Incident.reported_at.desc(), Incident.id.desc())
        .limit(LIST_LIMIT)
    )
    return list((await session.execute(query)).scalars())


async def _unverified(
    session: AsyncSession, viewer: Viewer, now: datetime
) -> tuple[list[Incident], int]:
    waiting = _base(session, viewer, now - WINDOWS["30d"]).where(
        Incident.status == "reported", Incident.mode == "actual"
    )
    oldest = waiting.order_by(Incident.reported_at, Incident.id).limit(LIST_LIMIT)
    count = waiting.with_only_columns(func.count())
    rows = list((await session.execute(oldest)).scalars())
    return rows, int((await session.execute(count)).scalar_one())


async def situation(
    session: AsyncSession, viewer: Viewer, *, now: datetime | None = None
) -> Situation:
    """The picture ``viewer`` may see: counts per window, the trend, newest and unverified."""
    now = now or utcnow()
    windows, counted_level = await _window_counts(session, viewer, now)
    trend = await _trend(session, viewer, now)
    newest = await _newest(session, viewer, now)
    unverified, unverified_count = await _unverified(session, viewer, now)
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
