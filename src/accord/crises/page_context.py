"""What the crisis page shows: gathered once, for the page and for its live refresh."""

from __future__ import annotations

import importlib
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Classification, Viewer
from accord.crises import escalation, labels, repository, service, tasks
from accord.incidents import labels as incident_labels
from accord.members import service as members
from accord.models.crisis import Crisis


def _assistance_lookup():
    """The assistance domain's view of a crisis, once that domain offers it."""
    try:
        module = importlib.import_module("accord.assistance.service")
    except ImportError:
        return None
    return getattr(module, "crisis_assistance", None)


def _field(record: Any, name: str) -> Any:
    if isinstance(record, dict):
        return record.get(name)
    return getattr(record, name, None)


def deployment_points(assistance: Any) -> list[dict[str, Any]]:
    """The deployments that have a position, as map points."""
    points = []
    for deployment in _field(assistance, "deployments") or []:
        longitude, latitude = _field(deployment, "longitude"), _field(deployment, "latitude")
        position = _field(deployment, "position")
        if longitude is None and isinstance(position, dict) and position.get("coordinates"):
            longitude, latitude = position["coordinates"][:2]
        if longitude is None or latitude is None:
            continue
        points.append(
            {
                "kind": "deployment",
                "lng": float(longitude),
                "lat": float(latitude),
                "title": str(
                    _field(deployment, "label")
                    or _field(deployment, "capability_name")
                    or _field(deployment, "capability_code")
                    or _field(deployment, "capability")
                    or ""
                ),
                "state": str(_field(deployment, "provider") or _field(deployment, "owner") or ""),
                "status": str(_field(deployment, "status") or ""),
            }
        )
    return points


def _markings_of(assistance: Any) -> list[Any]:
    found = _field(assistance, "classification")
    if found is not None:
        return [found]
    return [
        _field(item, "classification")
        for name in ("lines", "needs", "deployments", "requests")
        for item in (_field(assistance, name) or [])
        if _field(item, "classification") is not None
    ]


async def crisis_context(
    session: AsyncSession, viewer: Viewer, crisis_id: uuid.UUID
) -> tuple[dict[str, Any], list[Any]]:
    """The crisis page's values, and the classifications shown on it (for the banner)."""
    crisis: Crisis = await service.get_crisis(session, viewer, crisis_id)
    linked = (await service.visible_incidents(session, viewer, [crisis]))[crisis.id]
    task_rows = [tasks.task_read(task) for task in await repository.tasks(session, crisis.id)]
    entries, _next = await repository.timeline(session, crisis.id)
    lookup = _assistance_lookup()
    assistance = await lookup(session, viewer, crisis.id) if lookup is not None else None
    points = [
        {
            "kind": "incident",
            "lng": incident.longitude,
            "lat": incident.latitude,
            "title": incident.title,
            "severity": incident.severity.lower(),
            "url": f"/incidents/{incident.id}",
        }
        for incident in linked
        if incident.longitude is not None
    ]
    points += deployment_points(assistance) if assistance is not None else []
    shown: list[Any] = [crisis.classification, *(i.classification for i in linked)]
    if assistance is not None:
        shown += [Classification.parse(level) for level in _markings_of(assistance)]
    context = {
        "crisis": crisis,
        "incidents": linked,
        "tasks": task_rows,
        "timeline": entries,
        "moves": escalation.possible_levels(viewer, crisis),
        "may_manage": service.may_manage(viewer, crisis),
        "may_add_tasks": tasks.may_add_tasks(viewer, crisis),
        "me": viewer.username,
        "labels": labels.all_labels(),
        "incident_labels": incident_labels.all_labels(),
        "state_names": await members.state_names(session),
        "map_points": points,
        "assistance": assistance,
        "decision_needed": "collective_response",
    }
    return context, shown
