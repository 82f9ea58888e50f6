"""How often reports are due per escalation level, and which crises are late with theirs.

A crisis is overdue when its level has a cadence and no report was issued within that many
hours of the later of its last issued report and the moment it reached its level (escalating
starts the clock again, so a crisis just declared has the whole interval for its first report).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Classification, Viewer, visible
from accord.clock import utcnow
from accord.crises.sitrep_schemas import CADENCE_LEVELS, CadenceChange
from accord.errors import Forbidden
from accord.events.service import record_event, secretariat_only
from accord.i18n import _
from accord.models.crisis import Crisis
from accord.models.sitrep import Sitrep
from accord.models.sitrep_cadence import SitrepCadence

SETTING_ROLES = frozenset({"secretariat"})


async def list_cadences(session: AsyncSession) -> list[SitrepCadence]:
    rows = (await session.execute(select(SitrepCadence))).scalars()
    order = {level: index for index, level in enumerate(CADENCE_LEVELS)}
    return sorted(rows, key=lambda row: order.get(row.level, len(order)))


async def cadence_hours(session: AsyncSession) -> dict[str, int]:
    return {row.level: row.interval_hours for row in await list_cadences(session)}


async def set_cadences(
    session: AsyncSession, viewer: Viewer, change: CadenceChange
) -> list[SitrepCadence]:
    """Replace the table of hours per level (secretariat staff only)."""
    if not viewer.has_role(*SETTING_ROLES) or viewer.state != "ORG":
        raise Forbidden(_("the secretariat sets how often situation reports are due"))
    before = await cadence_hours(session)
    wanted = {level: hours for level, hours in change.levels.items() if hours is not None}
    if wanted == before:
        return await list_cadences(session)
    now = utcnow()
    await session.execute(delete(SitrepCadence))
    for level, hours in wanted.items():
        session.add(
            SitrepCadence(
                level=level, interval_hours=hours, updated_by=viewer.username, updated_at=now
            )
        )
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind="sitrep.cadence_set",
        subject="sitrep-cadence",
        payload={"before": before, "after": wanted},
        **secretariat_only(),
    )
    return await list_cadences(session)


@dataclass(frozen=True)
class Overdue:
    """A crisis whose next report is late."""

    crisis_id: uuid.UUID
    title: str
    level: str
    mode: str
    interval_hours: int
    last_issued_at: datetime | None
    due_at: datetime
    classification: Classification

    def overdue_hours(self, now: datetime) -> float:
        return round((now - self.due_at).total_seconds() / 3600, 1)


def due_at(level_since: datetime, last_issued: datetime | None, hours: int) -> datetime:
    start = max(level_since, last_issued) if last_issued is not None else level_since
    return start + timedelta(hours=hours)


async def overdue_sitreps(session: AsyncSession, viewer: Viewer) -> list[Overdue]:
    """The crises ``viewer`` may see whose report is overdue, most overdue first."""
    hours = await cadence_hours(session)
    if not hours:
        return []
    last = (
        select(Sitrep.crisis_id, func.max(Sitrep.issued_at).label("last_issued"))
        .where(Sitrep.status == "issued")
        .group_by(Sitrep.crisis_id)
        .subquery()
    )
    query = (
        select(Crisis, last.c.last_issued)
        .outerjoin(last, last.c.crisis_id == Crisis.id)
        .where(visible(viewer, Crisis), Crisis.level.in_(list(hours)))
    )
    now = utcnow()
    late = []
    for crisis, last_issued in (await session.execute(query)).all():
        if last_issued is not None and last_issued.tzinfo is None:
            last_issued = last_issued.replace(tzinfo=now.tzinfo)
        due = due_at(crisis.level_changed_at, last_issued, hours[crisis.level])
        if due < now:
            late.append(
                Overdue(
                    crisis_id=crisis.id,
                    title=crisis.title,
                    level=crisis.level,
                    mode=crisis.mode,
                    interval_hours=hours[crisis.level],
                    last_issued_at=last_issued,
                    due_at=due,
                    classification=Classification.parse(crisis.classification),
                )
            )
    return sorted(late, key=lambda row: (row.due_at, str(row.crisis_id)))


async def is_overdue(session: AsyncSession, viewer: Viewer, crisis_id: uuid.UUID) -> bool:
    return any(row.crisis_id == crisis_id for row in await overdue_sitreps(session, viewer))
