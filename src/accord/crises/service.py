"""The rules of a crisis: who opens it, who changes it, who moves it from level to level."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import EVERYONE, SECRETARIAT, Classification, Viewer, can_change, can_see
from accord.auth import repository as users
from accord.auth.service import viewer_of
from accord.clock import utcnow
from accord.crises import repository
from accord.crises.flows import OPENING_LEVELS
from accord.crises.schemas import CrisisChange, CrisisCreate, CrisisRead
from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.events.service import markings_of, note_secret_read, record_event
from accord.i18n import _
from accord.incidents import repository as incidents
from accord.incidents.repository import IncidentFilter
from accord.incidents.service import get_incident
from accord.members import repository as members
from accord.models import Incident
from accord.models.crisis import Crisis
from accord.models.crisis_entry import CrisisEntry
from accord.models.crisis_incident import CrisisIncident

OPENING_ROLES = frozenset({"duty_officer", "secretariat"})
# The owner's duty officers and analysts run their crisis; the secretariat coordinates every one.
MANAGING_ROLES = frozenset({"duty_officer", "analyst"})
ROLE_FIELDS = ("coordinator", "liaison", "scribe")


def crisis_read(crisis: Crisis, incident_ids: Sequence[uuid.UUID] = ()) -> CrisisRead:
    return CrisisRead(
        id=crisis.id,
        title=crisis.title,
        summary=crisis.summary,
        level=crisis.level,
        mode=crisis.mode,
        affected_states=crisis.affected_states,
        coordinator=crisis.coordinator,
        liaison=crisis.liaison,
        scribe=crisis.scribe,
        decision_id=crisis.decision_id,
        decision_reference=crisis.decision_reference,
        owner=crisis.owner,
        classification=Classification.parse(crisis.classification).name,
        releasable_to=crisis.releasable_to,
        opened_by=crisis.opened_by,
        opened_at=crisis.opened_at,
        level_changed_at=crisis.level_changed_at,
        updated_at=crisis.updated_at,
        version=crisis.version,
        incident_ids=list(incident_ids),
    )


def is_secretariat(viewer: Viewer) -> bool:
    return viewer.state == SECRETARIAT and viewer.has_role("secretariat")


def may_manage(viewer: Viewer, crisis: Crisis) -> bool:
    """The owner's duty officers and analysts, and the secretariat, run a crisis they see."""
    return can_change(viewer, crisis, MANAGING_ROLES) or (
        is_secretariat(viewer) and can_see(viewer, crisis)
    )


def holds_role(viewer: Viewer, crisis: Crisis) -> bool:
    return viewer.username in {crisis.coordinator, crisis.liaison, crisis.scribe}


def _require_manager(viewer: Viewer, crisis: Crisis) -> None:
    if not may_manage(viewer, crisis):
        raise Forbidden(
            _("only the owning state's duty officers and analysts, or the secretariat, change this")
        )


# Reading


async def get_crisis(session: AsyncSession, viewer: Viewer, crisis_id: uuid.UUID) -> Crisis:
    """One crisis the viewer may see; 404 whether it is absent or hidden."""
    crisis = await repository.get_visible(session, viewer, crisis_id)
    if crisis is None:
        raise NotFound(_("no crisis {id}").format(id=crisis_id))
    note_secret_read(session, viewer, crisis, "crisis")
    return crisis


async def visible_incidents(
    session: AsyncSession, viewer: Viewer, crises: Sequence[Crisis]
) -> dict[uuid.UUID, list[Incident]]:
    """The incidents of each crisis that ``viewer`` may see (others are not hinted at)."""
    links = await repository.linked_incident_ids(session, [crisis.id for crisis in crises])
    wanted = {ident for idents in links.values() for ident in idents}
    found: dict[uuid.UUID, Incident] = {}
    if wanted:
        query = incidents.filtered(session, viewer, IncidentFilter()).where(Incident.id.in_(wanted))
        found = {row.id: row for row in (await session.execute(query)).scalars()}
    return {
        crisis_id: [found[ident] for ident in idents if ident in found]
        for crisis_id, idents in links.items()
    }


async def reads(
    session: AsyncSession, viewer: Viewer, crises: Sequence[Crisis]
) -> list[CrisisRead]:
    seen = await visible_incidents(session, viewer, crises)
    return [crisis_read(c, [i.id for i in seen.get(c.id, [])]) for c in crises]


# Opening and changing


async def _check_states(session: AsyncSession, codes: Sequence[str], field: str) -> list[str]:
    known = {state.code for state in await members.list_states(session)}
    for index, code in enumerate(codes):
        if code not in known:
            raise InvalidInput(
                _("{field}: {code} is not a member state").format(field=field, code=code),
                field=f"{field}.{index}",
            )
    return sorted(set(codes))


async def _check_releasability(session: AsyncSession, codes: Sequence[str]) -> list[str]:
    known = {state.code for state in await members.list_states(session)}
    for index, code in enumerate(codes):
        if code not in known | {EVERYONE, SECRETARIAT}:
            raise InvalidInput(
                _("releasable_to: {code} is not a member state, ORG or ALL").format(code=code),
                field=f"releasable_to.{index}",
            )
    return sorted(set(codes))


async def default_markings(session: AsyncSession, state: str) -> tuple[Classification, list[str]]:
    member = await members.get_state(session, state)
    if member is None:
        return Classification.RESTRICTED, [EVERYONE]
    return Classification.parse(member.default_classification), list(member.default_releasable_to)


def timeline_entry(crisis: Crisis, viewer: Viewer, kind: str, **values: Any) -> CrisisEntry:
    return CrisisEntry(
        id=uuid.uuid4(),
        crisis_id=crisis.id,
        at=utcnow(),
        actor=viewer.username,
        kind=kind,
        from_level=values.pop("from_level", None),
        to_level=values.pop("to_level", None),
        reason=values.pop("reason", ""),
        details=values,
    )


def crisis_event(
    session: AsyncSession, viewer: Viewer, crisis: Crisis, kind: str, payload: dict
) -> None:
    record_event(
        session,
        actor=viewer.username,
        kind=f"crisis.{kind}",
        subject=crisis.id,
        payload={"crisis_id": str(crisis.id), "title": crisis.title, **payload},
        **markings_of(crisis),
    )


async def open_crisis(session: AsyncSession, viewer: Viewer, data: CrisisCreate) -> Crisis:
    """Open a crisis owned by the opener's state, from the incidents it names."""
    if not viewer.has_role(*OPENING_ROLES):
        raise Forbidden(_("opening a crisis needs the duty officer or secretariat role"))
    if data.level not in OPENING_LEVELS:  # the schema holds this too; the rule lives here
        raise InvalidInput(_("level: a crisis opens at monitoring or consultations"), field="level")
    if viewer.state == SECRETARIAT and not is_secretariat(viewer):
        raise Forbidden(_("opening a crisis needs the duty officer or secretariat role"))
    affected = list(data.affected_states or ([] if viewer.state == SECRETARIAT else [viewer.state]))
    if not affected:
        raise InvalidInput(_("affected_states: name at least one state"), field="affected_states")
    affected = await _check_states(session, affected, "affected_states")
    if viewer.state != SECRETARIAT and viewer.state not in affected:
        raise InvalidInput(
            _("affected_states: a state opens a crisis only where it is affected itself"),
            field="affected_states",
        )
    classification, releasable = await default_markings(session, viewer.state)
    if data.classification is not None:
        classification = data.classification
    if classification > viewer.clearance:
        raise InvalidInput(_("classification: above your own clearance"), field="classification")
    if data.releasable_to is not None:
        releasable = await _check_releasability(session, data.releasable_to)
    found = [
        await _incident_for_link(session, viewer, ident, index)
        for index, ident in enumerate(data.incident_ids)
    ]
    now = utcnow()
    crisis = Crisis(
        id=uuid.uuid4(),
        title=data.title,
        summary=data.summary,
        level=data.level,
        mode=data.mode,
        affected_states=affected,
        coordinator=None,
        liaison=None,
        scribe=None,
        decision_id=None,
        decision_reference="",
        owner=viewer.state,
        classification=classification,
        releasable_to=releasable,
        opened_by=viewer.username,
        opened_at=now,
        level_changed_at=now,
        updated_at=now,
        version=1,
    )
    session.add(crisis)
    await session.flush()
    session.add(timeline_entry(crisis, viewer, "opened", to_level=crisis.level, reason=data.reason))
    for incident in {incident.id: incident for incident in found}.values():
        _link(session, viewer, crisis, incident)
    await session.flush()
    crisis_event(
        session,
        viewer,
        crisis,
        "opened",
        crisis_read(crisis, [i.id for i in found]).model_dump(mode="json"),
    )
    return crisis


def require_version(crisis: Crisis, version: int | None) -> None:
    if version is not None and crisis.version != version:
        raise Conflict(
            _(
                "someone changed this crisis meanwhile (you edited version {yours}, it is now "
                "version {current}): reload it and apply your change again"
            ).format(yours=version, current=crisis.version),
            field="version",
        )


async def role_holder(session: AsyncSession, crisis: Crisis, name: str, field: str) -> str:
    user = await users.get_user_by_name(session, name)
    if user is None or user.disabled or not can_see(viewer_of(user), crisis):
        raise InvalidInput(
            _("{field}: {name} is not a user who may see this crisis").format(
                field=field, name=name
            ),
            field=field,
        )
    return user.username


async def change_crisis(
    session: AsyncSession, viewer: Viewer, crisis_id: uuid.UUID, change: CrisisChange
) -> Crisis:
    """Apply a change made against ``change.version``; 409 if it is stale."""
    crisis = await get_crisis(session, viewer, crisis_id)
    _require_manager(viewer, crisis)
    require_version(crisis, change.version)
    changes: dict[str, list[Any]] = {}
    with session.no_autoflush:
        await _apply_fields(session, viewer, crisis, change, changes)
        # Every role holder must still see the crisis under its new markings.
        for name in ROLE_FIELDS:
            holder = getattr(crisis, name)
            if holder and (name in changes or {"classification", "releasable_to"} & set(changes)):
                await role_holder(session, crisis, holder, name)
    if not changes:
        return crisis
    crisis.updated_at = utcnow()
    session.add(timeline_entry(crisis, viewer, "updated", changes=changes))
    await session.flush()
    crisis_event(
        session, viewer, crisis, "updated", {"changes": changes, "version": crisis.version}
    )
    return crisis


async def _apply_fields(
    session: AsyncSession, viewer: Viewer, crisis: Crisis, change: CrisisChange, changes: dict
) -> None:
    given = change.model_dump(exclude_unset=True, exclude={"version"})
    if given.get("affected_states") is not None:
        given["affected_states"] = await _check_states(
            session, given["affected_states"], "affected_states"
        )
    for name in ("title", "summary", "affected_states"):
        if given.get(name) is not None and given[name] != getattr(crisis, name):
            changes[name] = [getattr(crisis, name), given[name]]
            setattr(crisis, name, given[name])
    for name in ROLE_FIELDS:
        if name not in given or given[name] is None:
            continue
        value = given[name] or None
        if value is not None:
            value = await role_holder(session, crisis, value, name)
        if value != getattr(crisis, name):
            changes[name] = [getattr(crisis, name), value]
            setattr(crisis, name, value)
    if change.classification is not None and change.classification != crisis.classification:
        if change.classification > viewer.clearance:
            raise InvalidInput(
                _("classification: above your own clearance"), field="classification"
            )
        changes["classification"] = [crisis.classification.name, change.classification.name]
        crisis.classification = change.classification
    if change.releasable_to is not None:
        codes = await _check_releasability(session, change.releasable_to)
        if codes != sorted(crisis.releasable_to):
            changes["releasable_to"] = [crisis.releasable_to, codes]
            crisis.releasable_to = codes


# Incidents


async def _incident_for_link(
    session: AsyncSession, viewer: Viewer, incident_id: uuid.UUID, index: int
) -> Incident:
    try:
        return await get_incident(session, viewer, incident_id)
    except NotFound:
        raise InvalidInput(
            _("incident_ids: no incident {id} that you can see").format(id=incident_id),
            field=f"incident_ids.{index}",
        ) from None


def _link(session: AsyncSession, viewer: Viewer, crisis: Crisis, incident: Incident) -> None:
    session.add(
        CrisisIncident(
            crisis_id=crisis.id,
            incident_id=incident.id,
            linked_by=viewer.username,
            linked_at=utcnow(),
        )
    )
    session.add(timeline_entry(crisis, viewer, "incident_linked", incident_id=str(incident.id)))


async def link_incidents(
    session: AsyncSession, viewer: Viewer, crisis_id: uuid.UUID, incident_ids: Sequence[uuid.UUID]
) -> Crisis:
    """Group incidents the actor may see under a crisis."""
    crisis = await get_crisis(session, viewer, crisis_id)
    _require_manager(viewer, crisis)
    linked = set((await repository.linked_incident_ids(session, [crisis.id]))[crisis.id])
    added = []
    for index, ident in enumerate(incident_ids):
        incident = await _incident_for_link(session, viewer, ident, index)
        if incident.id in linked:
            raise Conflict(
                _("incident {id} is already part of this crisis").format(id=ident),
                field=f"incident_ids.{index}",
            )
        linked.add(incident.id)
        _link(session, viewer, crisis, incident)
        added.append(str(incident.id))
    crisis.updated_at = utcnow()
    await session.flush()
    crisis_event(session, viewer, crisis, "incident_linked", {"incident_ids": added})
    return crisis


async def unlink_incident(
    session: AsyncSession, viewer: Viewer, crisis_id: uuid.UUID, incident_id: uuid.UUID
) -> Crisis:
    """Take an incident the actor may see out of a crisis."""
    crisis = await get_crisis(session, viewer, crisis_id)
    _require_manager(viewer, crisis)
    link = await repository.get_link(session, crisis.id, incident_id)
    if link is None or await incidents.get_visible(session, viewer, incident_id) is None:
        raise NotFound(_("incident {id} is not part of this crisis").format(id=incident_id))
    await repository.remove_link(session, link)
    crisis.updated_at = utcnow()
    session.add(timeline_entry(crisis, viewer, "incident_unlinked", incident_id=str(incident_id)))
    await session.flush()
    crisis_event(session, viewer, crisis, "incident_unlinked", {"incident_ids": [str(incident_id)]})
    return crisis


async def escalate(session: AsyncSession, viewer: Viewer, crisis_id: uuid.UUID, step) -> Crisis:
    """Move a crisis to another level; the rule lives in ``accord.crises.escalation``."""
    # Imported here: the escalation module builds on this one.
    from accord.crises import escalation

    return await escalation.escalate(session, viewer, crisis_id, step)
