"""The words of a situation report, written from its snapshot in English or Russian.

Conditions–Actions–Needs: what the situation is, what is being done, what is still missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accord import i18n
from accord.i18n import _
from accord.incidents import labels
from accord.members import service as members
from accord.models.capability_type import CapabilityType


@contextmanager
def language(code: str) -> Iterator[None]:
    """Speak ``code`` inside the block, whatever the request's own language is."""
    before = i18n.current_language()
    i18n.set_language(code)
    try:
        yield
    finally:
        i18n.set_language(before)


def level_names() -> dict[str, str]:
    return {
        "monitoring": _("monitoring"),
        "consultations": _("consultations"),
        "declared": _("crisis declared"),
        "collective_response": _("collective response"),
        "recovery": _("recovery"),
        "closed": _("closed"),
    }


def deployment_status_names() -> dict[str, str]:
    return {
        "offered": _("offered"),
        "accepted": _("accepted"),
        "mobilising": _("mobilising"),
        "en_route": _("en route"),
        "deployed": _("deployed"),
        "demobilised": _("demobilised"),
    }


def section_names() -> dict[str, str]:
    return {"conditions": _("Conditions"), "actions": _("Actions"), "needs": _("Needs")}


def moment(value: str | None) -> str:
    if not value:
        return "—"
    return datetime.fromisoformat(value).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


async def capability_names(session: AsyncSession) -> dict[str, str]:
    """Each capability's name in the current language (English, or the code, when missing)."""
    rows = (await session.execute(select(CapabilityType))).scalars()
    code = i18n.current_language()
    return {row.code: row.names.get(code) or row.names.get("en") or row.code for row in rows}


class Names:
    """What a report calls states and capabilities, read once in the report's language."""

    def __init__(self, states: dict[str, str], capabilities: dict[str, str]) -> None:
        self.states = states
        self.capabilities = capabilities

    def state(self, code: str | None) -> str:
        if not code:
            return _("outside the member states")
        return self.states.get(code, code)

    def capability(self, code: str) -> str:
        return self.capabilities.get(code, code)


async def names_for(session: AsyncSession) -> Names:
    return Names(await members.state_names(session), await capability_names(session))


def title(snapshot: dict[str, Any], number: int) -> str:
    return _("Situation report No. {number}: {crisis}").format(
        number=number, crisis=snapshot["crisis"]["title"]
    )[:200]


def conditions(snapshot: dict[str, Any], names: Names) -> str:
    crisis = snapshot["crisis"]
    lines = [
        _("Level: {level} (since {since}).").format(
            level=level_names().get(crisis["level"], crisis["level"]),
            since=moment(crisis["level_changed_at"]),
        ),
        _("Affected states: {states}.").format(
            states=", ".join(names.state(code) for code in crisis["affected_states"]) or "—"
        ),
    ]
    if crisis["mode"] != "actual":
        lines.insert(0, _("EXERCISE — not a real event."))
    incidents = snapshot["incidents"]
    lines.append(_("Incidents: {count}.").format(count=len(incidents)))
    areas, severities, statuses = (
        labels.area_names(),
        labels.severity_names(),
        labels.status_names(),
    )
    for row in incidents:
        lines.append(
            "- "
            + _("{title} ({area}; {severity}; {status}; {place}; {at})").format(
                title=row["title"],
                area=areas.get(row["area"], row["area"]),
                severity=severities.get(row["severity"], row["severity"]),
                status=statuses.get(row["status"], row["status"]),
                place=names.state(row["country"]),
                at=moment(row["occurred_at"]),
            )
        )
    return "\n".join(lines)


def actions(snapshot: dict[str, Any], names: Names) -> str:
    lines = []
    levels = level_names()
    for step in snapshot["escalations"]:
        lines.append(
            "- "
            + _("{at}: level moved from {source} to {target}.").format(
                at=moment(step["at"]),
                source=levels.get(step["from"] or "", step["from"] or "—"),
                target=levels.get(step["to"], step["to"]),
            )
        )
    reference = snapshot["crisis"]["decision_reference"]
    if reference:
        lines.append(_("Council decision: {reference}.").format(reference=reference))
    deployments = snapshot["deployments"]
    lines.append(_("Deployments: {count}.").format(count=len(deployments)))
    statuses = deployment_status_names()
    for row in deployments:
        lines.append(
            "- "
            + _("{state}: {quantity} × {capability}, {status}, arrival {arrival}.").format(
                state=names.state(row["owner"]),
                quantity=row["quantity"],
                capability=names.capability(row["capability"]),
                status=statuses.get(row["status"], row["status"]),
                arrival=moment(row["estimated_arrival"]),
            )
        )
    tasks = snapshot["tasks"]
    lines.append(
        _("Tasks done: {done}; open: {open}; past their deadline: {late}.").format(
            done=len(tasks["done"]), open=tasks["open"], late=tasks["late"]
        )
    )
    lines.extend("- " + task["title"] for task in tasks["done"])
    return "\n".join(lines)


def needs(snapshot: dict[str, Any], names: Names) -> str:
    rows = snapshot["needs"]
    if not rows:
        return _("No assistance has been requested.")
    lines = []
    for row in rows:
        lines.append(
            "- "
            + _(
                "{capability} at {place}, by {needed_by}: requested {requested}, offered "
                "{offered}, accepted {accepted}, deployed {deployed}; gap {gap}."
            ).format(
                capability=names.capability(row["capability"]),
                place=row["place"],
                needed_by=moment(row["needed_by"]),
                requested=row["requested"],
                offered=row["offered"],
                accepted=row["accepted"],
                deployed=row["deployed"],
                gap=row["gap"],
            )
        )
    gap = snapshot["totals"]["gap"]
    if gap:
        lines.append(_("Still missing: {gap} units.").format(gap=gap))
    else:
        lines.append(_("Every requested unit has been accepted."))
    return "\n".join(lines)


async def compose(
    session: AsyncSession, snapshot: dict[str, Any], number: int, code: str
) -> dict[str, str]:
    """The title and the three texts of report ``number`` in language ``code``."""
    with language(code):
        names = await names_for(session)
        return {
            "title": title(snapshot, number),
            "conditions": conditions(snapshot, names),
            "actions": actions(snapshot, names),
            "needs": needs(snapshot, names),
        }
