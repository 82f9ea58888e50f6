"""The rules of reporting: who reports, what a valid report is, who changes it and how."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import EVERYONE, SECRETARIAT, Classification, Viewer, can_change
from accord.clock import utcnow
from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.events.service import (
    event_row,
    markings_of,
    note_secret_read,
    record_event,
    record_events,
)
from accord.i18n import _
from accord.incidents import repository
from accord.incidents.schemas import (
    SEVERITY_RANK,
    IncidentChange,
    IncidentCreate,
    IncidentRead,
)
from accord.members import repository as members
from accord.models import Incident, IncidentUpdate, MemberState

STATES_CACHE = "accord.member_states"
REPORTING_ROLES = frozenset({"duty_officer", "analyst"})
FUTURE_TOLERANCE = timedelta(minutes=5)
STATUS_MOVES = {
    "reported": {"verified", "closed", "false_alarm"},
    "verified": {"closed", "false_alarm"},
    "closed": {"verified"},
    "false_alarm": {"reported"},
}
EDITABLE = (
    "area",
    "title",
    "description",
    "occurred_at",
    "severity",
    "urgency",
    "certainty",
    "location",
    "country",
    "status",
    "mode",
    "source",
)


def incident_read(incident: Incident) -> IncidentRead:
    return IncidentRead(
        id=incident.id,
        area=incident.area,
        title=incident.title,
        description=incident.description,
        language=incident.language,
        translations=incident.translations or {},
        occurred_at=incident.occurred_at,
        reported_at=incident.reported_at,
        updated_at=incident.updated_at,
        severity=incident.severity,
        urgency=incident.urgency,
        certainty=incident.certainty,
        location=incident.location,
        country=incident.country,
        status=incident.status,
        mode=incident.mode,
        source=incident.source,
        owner=incident.owner,
        classification=Classification.parse(incident.classification).name,
        releasable_to=incident.releasable_to,
        reported_by=incident.reported_by,
        duplicate_of=incident.duplicate_of,
        version=incident.version,
    )


def centre(location: dict[str, Any] | None) -> tuple[float | None, float | None]:
    """A representative point of a geometry, for the map and bounding-box queries."""
    if not location:
        return None, None
    if location["type"] == "Point":
        return location["coordinates"][0], location["coordinates"][1]
    ring = location["coordinates"][0][:-1]
    return (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))


def _check_occurred_at(value) -> None:
    if value is not None and value > utcnow() + FUTURE_TOLERANCE:
        raise InvalidInput(_("occurred_at: the time lies in the future"), field="occurred_at")


async def _states(session: AsyncSession) -> dict[str, MemberState]:
    # Loaded once per transaction: a batch of a thousand reports needs them a thousand times.
    cached = session.info.get(STATES_CACHE)
    if cached is None:
        cached = {state.code: state for state in await members.list_states(session)}
        session.info[STATES_CACHE] = cached
    return cached


async def _check_country(session: AsyncSession, country: str | None) -> None:
    if country is not None and country not in await _states(session):
        raise InvalidInput(
            _(
                "country: {code} is not a member state; leave it empty for places outside them"
            ).format(code=country),
            field="country",
        )


async def _check_releasability(session: AsyncSession, codes: list[str]) -> list[str]:
    known = set(await _states(session)) | {EVERYONE, SECRETARIAT}
    for index, code in enumerate(codes):
        if code not in known:
            raise InvalidInput(
                _("releasable_to: {code} is not a member state, ORG or ALL").format(code=code),
                field=f"releasable_to.{index}",
            )
    return sorted(set(codes))


async def _default_markings(session: AsyncSession, state: str) -> tuple[Classification, list[str]]:
    member = (await _states(session)).get(state)
    if member is None:
        return Classification.RESTRICTED, [EVERYONE]
    return Classification.parse(member.default_classification), list(member.default_releasable_to)


def _require_reporter(viewer: Viewer) -> None:
    if not viewer.has_role(*REPORTING_ROLES):
        raise Forbidden(_("reporting incidents needs the duty officer or analyst role"))


async def report_incident(
    session: AsyncSession,
    viewer: Viewer,
    data: IncidentCreate,
    *,
    extra: dict[str, Any] | None = None,
) -> Incident:
    """Store a new report owned by the reporter's state, with an event and a timeline entry."""
    (outcome,) = await report_incidents(session, viewer, [data], extras=[extra])
    if isinstance(outcome, InvalidInput):
        raise outcome
    return outcome


async def report_incidents(
    session: AsyncSession,
    viewer: Viewer,
    items: Sequence[IncidentCreate],
    *,
    extras: Sequence[dict[str, Any] | None] | None = None,
) -> list[Incident | InvalidInput]:
    """Store many new reports at once, each by the rules of ``report_incident``.

    The answer follows ``items``: each one's incident, or why it was refused (then nothing of it
    is stored). The rows are written a table at a time, in a few statements for the lot.
    """
    if not items:
        return []
    _require_reporter(viewer)
    outcomes: list[Incident | InvalidInput] = []
    for data, extra in zip(items, extras or [None] * len(items), strict=True):
        try:
            outcomes.append(await _new_incident(session, viewer, data, extra))
        except InvalidInput as error:
            outcomes.append(error)
    await _store_reported(session, viewer, [o for o in outcomes if isinstance(o, Incident)])
    return outcomes


async def _new_incident(
    session: AsyncSession, viewer: Viewer, data: IncidentCreate, extra: dict[str, Any] | None
) -> Incident:
    _check_occurred_at(data.occurred_at)
    await _check_country(session, data.country)
    classification, releasable = await _default_markings(session, viewer.state)
    if data.classification is not None:
        classification = data.classification
    if classification > viewer.clearance:
        raise InvalidInput(_("classification: above your own clearance"), field="classification")
    if data.releasable_to is not None:
        releasable = await _check_releasability(session, data.releasable_to)
    now = utcnow()
    location = data.location.model_dump() if data.location else None
    longitude, latitude = centre(location)
    return Incident(
        id=uuid.uuid4(),
        area=data.area,
        title=data.title,
        description=data.description,
        language=data.language,
        translations=(extra or {}).get("translations", {}),
        occurred_at=data.occurred_at,
        reported_at=now,
        updated_at=now,
        severity=data.severity,
        severity_rank=SEVERITY_RANK[data.severity],
        urgency=data.urgency,
        certainty=data.certainty,
        location=location,
        longitude=longitude,
        latitude=latitude,
        country=data.country,
        status=data.status,
        mode=data.mode,
        source=data.source,
        owner=viewer.state,
        classification=classification,
        releasable_to=releasable,
        reported_by=viewer.username,
        version=1,
        duplicate_of=None,
    )


async def _store_reported(session: AsyncSession, viewer: Viewer, incidents: list[Incident]) -> None:
    # The incidents stay in the session, so that the same transaction may change them; their
    # timeline entries and events are only written, each kind in one statement.
    if not incidents:
        return
    session.add_all(incidents)
    await session.flush()
    entries = [
        {
            "id": uuid.uuid4(),
            "incident_id": incident.id,
            "at": incident.reported_at,
            "actor": viewer.username,
            "kind": "reported",
            "changes": {},
            "comment": "",
        }
        for incident in incidents
    ]
    await session.execute(insert(IncidentUpdate), entries)
    events = [
        event_row(
            actor=viewer.username,
            kind="incident.reported",
            subject=incident.id,
            payload=incident_read(incident),
            **markings_of(incident),
        )
        for incident in incidents
    ]
    await record_events(session, events)


async def get_incident(session: AsyncSession, viewer: Viewer, incident_id: uuid.UUID) -> Incident:
    """One incident the viewer may see; 404 whether it is absent or hidden."""
    incident = await repository.get_visible(session, viewer, incident_id)
    if incident is None:
        raise NotFound(_("no incident {id}").format(id=incident_id))
    note_secret_read(session, viewer, incident, "incident")
    return incident


def _require_owner(viewer: Viewer, incident: Incident) -> None:
    if not can_change(viewer, incident, REPORTING_ROLES):
        raise Forbidden(_("only the reporting state's duty officers and analysts change this"))


def _require_version(incident: Incident, version: int) -> None:
    if incident.version != version:
        raise Conflict(
            _(
                "someone changed this incident meanwhile (you edited version {yours}, it is now "
                "version {current}): reload it and apply your change again"
            ).format(yours=version, current=incident.version),
            field="version",
        )


async def change_incident(
    session: AsyncSession, viewer: Viewer, incident_id: uuid.UUID, change: IncidentChange
) -> Incident:
    """Apply an owner's change made against ``change.version``; 409 if it is stale."""
    incident = await get_incident(session, viewer, incident_id)
    _require_owner(viewer, incident)
    _require_version(incident, change.version)
    given = change.model_dump(exclude_unset=True, exclude={"version", "comment"})
    _check_occurred_at(given.get("occurred_at"))
    if "country" in given:
        await _check_country(session, given["country"])
    changes: dict[str, list[Any]] = {}
    if "status" in given and given["status"] != incident.status:
        allowed = STATUS_MOVES[incident.status]
        if given["status"] not in allowed:
            raise InvalidInput(
                _("status: an incident that is {current} cannot become {asked}").format(
                    current=incident.status, asked=given["status"]
                ),
                field="status",
            )
    for name in EDITABLE:
        if name in given and given[name] != getattr(incident, name):
            value = given[name]
            changes[name] = [_plain(getattr(incident, name)), _plain(value)]
            setattr(incident, name, value)
    if "severity" in changes:
        incident.severity_rank = SEVERITY_RANK[incident.severity]
    if "location" in changes:
        incident.longitude, incident.latitude = centre(incident.location)
    await _apply_markings(session, viewer, incident, change, changes)
    if not changes and not change.comment:
        return incident
    incident.updated_at = utcnow()
    kind = "status_changed" if set(changes) == {"status"} else "updated"
    session.add(
        IncidentUpdate(
            incident_id=incident.id,
            at=incident.updated_at,
            actor=viewer.username,
            kind=kind if changes else "commented",
            changes=changes,
            comment=change.comment,
        )
    )
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind=f"incident.{kind}",
        subject=incident.id,
        payload={"changes": changes, "comment": change.comment, "version": incident.version},
        **markings_of(incident),
    )
    return incident


async def _apply_markings(
    session: AsyncSession, viewer: Viewer, incident: Incident, change: IncidentChange, changes: dict
) -> None:
    if change.classification is not None and change.classification != incident.classification:
        if change.classification > viewer.clearance:
            raise InvalidInput(
                _("classification: above your own clearance"), field="classification"
            )
        changes["classification"] = [incident.classification.name, change.classification.name]
        incident.classification = change.classification
    if change.releasable_to is not None:
        # No autoflush: the fields changed so far must reach the row in the same UPDATE,
        # or the version would count one change twice.
        with session.no_autoflush:
            codes = await _check_releasability(session, change.releasable_to)
        if codes != sorted(incident.releasable_to):
            changes["releasable_to"] = [incident.releasable_to, codes]
            incident.releasable_to = codes


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


async def comment_on(
    session: AsyncSession, viewer: Viewer, incident_id: uuid.UUID, comment: str
) -> IncidentUpdate:
    """Anyone who may see an incident may follow it up with a comment on its timeline."""
    incident = await get_incident(session, viewer, incident_id)
    entry = IncidentUpdate(
        incident_id=incident.id,
        at=utcnow(),
        actor=viewer.username,
        kind="commented",
        changes={},
        comment=comment,
    )
    session.add(entry)
    record_event(
        session,
        actor=viewer.username,
        kind="incident.commented",
        subject=incident.id,
        payload={"comment": comment},
        **markings_of(incident),
    )
    return entry


async def link_duplicate(
    session: AsyncSession,
    viewer: Viewer,
    incident_id: uuid.UUID,
    original_id: uuid.UUID,
    version: int,
) -> Incident:
    """Mark a report as a duplicate of another; it stops counting in the picture."""
    incident = await get_incident(session, viewer, incident_id)
    _require_owner(viewer, incident)
    _require_version(incident, version)
    if original_id == incident_id:
        raise InvalidInput(_("an incident cannot duplicate itself"), field="duplicate_of")
    original = await get_incident(session, viewer, original_id)
    if original.duplicate_of == incident.id:
        raise InvalidInput(
            _("that incident is already a duplicate of this one"), field="duplicate_of"
        )
    incident.duplicate_of = original.id
    incident.updated_at = utcnow()
    session.add(
        IncidentUpdate(
            incident_id=incident.id,
            at=incident.updated_at,
            actor=viewer.username,
            kind="duplicate_linked",
            changes={"duplicate_of": str(original.id)},
        )
    )
    session.add(
        IncidentUpdate(
            incident_id=original.id,
            at=incident.updated_at,
            actor=viewer.username,
            kind="duplicate_found",
            changes={"duplicate": str(incident.id)},
        )
    )
    record_event(
        session,
        actor=viewer.username,
        kind="incident.duplicate_linked",
        subject=incident.id,
        payload={"duplicate_of": str(original.id)},
        **markings_of(incident),
    )
    return incident
