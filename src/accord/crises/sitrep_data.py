"""The figures a situation report is drafted from, read from the live data the drafter may see.

Everything here only reads. The snapshot is plain JSON so that an issued report keeps it as it
was; ``Included`` collects the markings of every record that went into it, from which the
report's own marking is derived (the highest level, the narrowest audience).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Classification, Viewer, visible
from accord.assistance.fulfilment import crisis_assistance, crisis_assistance_records
from accord.clock import utcnow
from accord.models import Incident
from accord.models.crisis import Crisis
from accord.models.crisis_entry import CrisisEntry
from accord.models.crisis_incident import CrisisIncident
from accord.models.crisis_task import CrisisTask


@dataclass
class Included:
    """The markings of the records a report is drawn from."""

    markings: list[tuple[Classification, str, list[str]]] = field(default_factory=list)

    def add(self, record: Any) -> None:
        self.markings.append(
            (
                Classification.parse(record.classification),
                record.owner,
                list(record.releasable_to or []),
            )
        )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def crisis_part(crisis: Crisis) -> dict[str, Any]:
    return {
        "id": str(crisis.id),
        "title": crisis.title,
        "level": crisis.level,
        "mode": crisis.mode,
        "affected_states": list(crisis.affected_states or []),
        "coordinator": crisis.coordinator,
        "owner": crisis.owner,
        "opened_at": _iso(crisis.opened_at),
        "level_changed_at": _iso(crisis.level_changed_at),
        "decision_reference": crisis.decision_reference or "",
    }


async def incidents_part(
    session: AsyncSession, viewer: Viewer, crisis_id: uuid.UUID, included: Included
) -> list[dict[str, Any]]:
    query = (
        select(Incident)
        .join(CrisisIncident, CrisisIncident.incident_id == Incident.id)
        .where(CrisisIncident.crisis_id == crisis_id, visible(viewer, Incident))
        .order_by(Incident.occurred_at, Incident.id)
    )
    rows = []
    for incident in (await session.execute(query)).scalars():
        included.add(incident)
        rows.append(
            {
                "id": str(incident.id),
                "title": incident.title,
                "area": incident.area,
                "severity": incident.severity,
                "status": incident.status,
                "mode": incident.mode,
                "country": incident.country,
                "occurred_at": _iso(incident.occurred_at),
                "longitude": incident.longitude,
                "latitude": incident.latitude,
            }
        )
    return rows


async def assistance_part(
    session: AsyncSession, viewer: Viewer, crisis_id: uuid.UUID, included: Included
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The need lines with how far each is met, and the deployments, as the viewer sees them:
    the assistance domain's own picture of the crisis, with the markings of what it counts."""
    picture = await crisis_assistance(session, viewer, crisis_id)
    for record in await crisis_assistance_records(session, viewer, crisis_id):
        included.add(record)
    needs = [
        {
            "need_line_id": str(line.id),
            "request_id": str(line.request_id),
            "capability": line.capability,
            "place": line.place,
            "needed_by": _iso(line.needed_by),
            "longitude": line.longitude,
            "latitude": line.latitude,
            "requested": line.requested,
            "offered": line.offered,
            "accepted": line.accepted,
            "deployed": line.deployed,
            "gap": line.gap,
        }
        for line in picture.need_lines
    ]
    deployments = [
        {
            "id": str(deployment.id),
            "need_line_id": str(deployment.need_line_id),
            "capability": deployment.capability,
            "quantity": deployment.quantity,
            "status": deployment.status,
            "owner": deployment.owner,
            "longitude": deployment.longitude,
            "latitude": deployment.latitude,
            "estimated_arrival": _iso(deployment.eta),
        }
        for deployment in sorted(
            picture.deployments, key=lambda row: (row.owner, row.capability, str(row.id))
        )
    ]
    return needs, deployments


async def escalations_part(session: AsyncSession, crisis_id: uuid.UUID) -> list[dict[str, Any]]:
    query = (
        select(CrisisEntry)
        .where(CrisisEntry.crisis_id == crisis_id, CrisisEntry.to_level.is_not(None))
        .order_by(CrisisEntry.at, CrisisEntry.id)
    )
    return [
        {
            "at": _iso(entry.at),
            "from": entry.from_level,
            "to": entry.to_level,
            "actor": entry.actor,
            "reason": entry.reason,
        }
        for entry in (await session.execute(query)).scalars()
    ]


async def tasks_part(session: AsyncSession, crisis_id: uuid.UUID) -> dict[str, Any]:
    query = (
        select(CrisisTask)
        .where(CrisisTask.crisis_id == crisis_id)
        .order_by(CrisisTask.created_at, CrisisTask.id)
    )
    tasks = list((await session.execute(query)).scalars())
    now = utcnow()
    done = [task for task in tasks if task.status == "done"]
    still_open = [task for task in tasks if task.status not in ("done", "cancelled")]
    return {
        "done": [{"title": task.title, "assignee": task.assignee} for task in done],
        "open": len(still_open),
        "late": sum(1 for task in still_open if task.due_at is not None and task.due_at < now),
    }


def totals(incidents: list[dict], needs: list[dict], deployments: list[dict]) -> dict[str, int]:
    return {
        "incidents": len(incidents),
        "requested": sum(row["requested"] for row in needs),
        "offered": sum(row["offered"] for row in needs),
        "accepted": sum(row["accepted"] for row in needs),
        "deployed": sum(row["deployed"] for row in needs),
        "gap": sum(row["gap"] for row in needs),
        "deployments": len(deployments),
    }


async def build_snapshot(
    session: AsyncSession, viewer: Viewer, crisis: Crisis
) -> tuple[dict[str, Any], Included]:
    """The crisis as ``viewer`` sees it now, and the markings of what went into it."""
    included = Included()
    included.add(crisis)
    incidents = await incidents_part(session, viewer, crisis.id, included)
    needs, deployments = await assistance_part(session, viewer, crisis.id, included)
    snapshot = {
        "generated_at": utcnow().isoformat(),
        "crisis": crisis_part(crisis),
        "incidents": incidents,
        "needs": needs,
        "deployments": deployments,
        "escalations": await escalations_part(session, crisis.id),
        "tasks": await tasks_part(session, crisis.id),
        "totals": totals(incidents, needs, deployments),
    }
    return snapshot, included
