"""The records an editor may link to an activity: sessions, decisions, crises and incidents the
editor can see, read through those domains' own list queries (with their access filter)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer
from accord.council import repository as council
from accord.crises.repository import CrisisFilter, list_crises
from accord.i18n import _
from accord.incidents.repository import IncidentFilter, list_incidents

SESSIONS = 100
DECISIONS = 100
CRISES = 50
INCIDENTS = 30


def kind_names() -> dict[str, str]:
    return {
        "session": _("Sessions"),
        "decision": _("Decisions"),
        "crisis": _("Crises"),
        "incident": _("Incidents"),
        "exercise": _("Exercises"),
    }


async def linkable_records(
    session: AsyncSession, viewer: Viewer, area: str | None
) -> list[tuple[str, list[tuple[str, str]]]]:
    """``(kind, [(kind:id, label)])`` groups for a select, most recent first; incidents and
    exercises are those of the priority's area when it has one."""
    sessions = (await council.all_sessions(session, viewer))[:SESSIONS]
    decisions, _cursor = await council.list_decisions(session, viewer, limit=DECISIONS)
    crises, _cursor = await list_crises(session, viewer, CrisisFilter(), limit=CRISES)
    incidents, _cursor = await list_incidents(
        session, viewer, IncidentFilter(areas=(area,) if area else ()), limit=INCIDENTS
    )
    groups = [
        ("session", [(f"session:{s.id}", f"{s.title} ({s.year})") for s in sessions]),
        (
            "decision",
            [(f"decision:{d.id}", f"{d.number or ''} {d.title}".strip()) for d in decisions],
        ),
        ("crisis", [(f"crisis:{c.id}", c.title) for c in crises]),
        (
            "incident",
            [(f"incident:{i.id}", i.title) for i in incidents if i.mode != "exercise"],
        ),
        (
            "exercise",
            [(f"exercise:{i.id}", i.title) for i in incidents if i.mode == "exercise"],
        ),
    ]
    return [(kind, options) for kind, options in groups if options]
