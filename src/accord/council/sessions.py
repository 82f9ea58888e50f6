"""The rules of sessions: who plans them, attendance per member state, the agenda."""

from __future__ import annotations

import uuid
from typing import Any

from babel.dates import format_date
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import EVERYONE, Classification, Viewer, can_change
from accord.clock import utcnow
from accord.council import repository
from accord.council.schemas import (
    AgendaItemCreate,
    AttendanceSet,
    SessionChange,
    SessionCreate,
    SessionRead,
)
from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.events.service import markings_of, note_secret_read, record_event
from accord.i18n import _, current_locale
from accord.members import repository as members
from accord.models import Body
from accord.models.council_agenda_item import CouncilAgendaItem
from accord.models.council_attendance import CouncilAttendance
from accord.models.council_session import CouncilSession

SECRETARIAT_ROLES = frozenset({"secretariat"})


def require_secretariat(viewer: Viewer) -> None:
    if not viewer.has_role(*SECRETARIAT_ROLES):
        raise Forbidden(_("only the secretariat plans sessions and runs procedures"))


def when_text(record: CouncilSession) -> str:
    """'23 November 2023', or 'Q4 2024' while only the quarter is fixed."""
    if record.held_on is not None:
        return format_date(record.held_on, "d MMMM y", locale=current_locale())
    if record.quarter:
        return _("Q{quarter} {year}").format(quarter=record.quarter, year=record.year)
    return str(record.year)


def session_read(record: CouncilSession, body_code: str) -> SessionRead:
    return SessionRead(
        id=record.id,
        body=body_code,
        title=record.title,
        kind=record.kind,
        format=record.format,
        year=record.year,
        quarter=record.quarter,
        held_on=record.held_on,
        when=when_text(record),
        city=record.city,
        venue=record.venue,
        chair=record.chair,
        notes=record.notes,
        public=record.public,
        owner=record.owner,
        classification=Classification.parse(record.classification).name,
        releasable_to=record.releasable_to,
        version=record.version,
    )


async def body_codes(session: AsyncSession) -> dict[uuid.UUID, str]:
    return {body.id: body.code for body in await members.list_bodies(session)}


async def body_named(session: AsyncSession, code: str, field: str = "body") -> Body:
    body = await repository.get_body(session, code)
    if body is None:
        raise InvalidInput(_("{field}: no body {code}").format(field=field, code=code), field=field)
    return body


async def check_state(session: AsyncSession, code: str, field: str) -> None:
    if await members.get_state(session, code) is None:
        raise InvalidInput(
            _("{field}: {code} is not a state of the organisation").format(field=field, code=code),
            field=field,
        )


async def check_releasability(session: AsyncSession, codes: list[str]) -> list[str]:
    known = {state.code for state in await members.list_states(session)} | {EVERYONE, "ORG"}
    for index, code in enumerate(codes):
        if code not in known:
            raise InvalidInput(
                _("releasable_to: {code} is not a member state, ORG or ALL").format(code=code),
                field=f"releasable_to.{index}",
            )
    return sorted(set(codes))


async def resolve_markings(
    session: AsyncSession,
    viewer: Viewer,
    classification: Classification | None,
    releasable_to: list[str] | None,
    *,
    public: bool = False,
    default: Classification = Classification.RESTRICTED,
) -> tuple[Classification, list[str]]:
    """The markings asked for, or the defaults; a public record is PUBLIC and released to all."""
    if public:
        if classification not in (None, Classification.PUBLIC):
            raise InvalidInput(
                _("classification: a public record is PUBLIC"), field="classification"
            )
        return Classification.PUBLIC, [EVERYONE]
    level = classification if classification is not None else default
    if level > viewer.clearance:
        raise InvalidInput(_("classification: above your own clearance"), field="classification")
    codes = await check_releasability(session, releasable_to or [EVERYONE])
    return level, codes


async def plan_session(
    session: AsyncSession, viewer: Viewer, data: SessionCreate
) -> CouncilSession:
    """The secretariat plans a session; the organisation owns it."""
    require_secretariat(viewer)
    body = await body_named(session, data.body)
    if data.chair:
        await check_state(session, data.chair, "chair")
    classification, releasable = await resolve_markings(
        session, viewer, data.classification, data.releasable_to, public=data.public
    )
    record = CouncilSession(
        id=uuid.uuid4(),
        body_id=body.id,
        title=data.title,
        kind=data.kind,
        format=data.format,
        year=data.year,
        quarter=data.quarter,
        held_on=data.held_on,
        city=data.city,
        venue=data.venue,
        chair=data.chair,
        notes=data.notes,
        public=classification == Classification.PUBLIC,
        owner=viewer.state,
        classification=classification,
        releasable_to=releasable,
        created_at=utcnow(),
        created_by=viewer.username,
        version=1,
    )
    session.add(record)
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind="council.session_planned",
        subject=record.id,
        payload=session_read(record, body.code).model_dump(mode="json"),
        **markings_of(record),
    )
    return record


async def get_council_session(
    session: AsyncSession, viewer: Viewer, session_id: uuid.UUID
) -> CouncilSession:
    """One session the viewer may see; 404 whether absent or hidden."""
    record = await repository.get_session(session, viewer, session_id)
    if record is None:
        raise NotFound(_("no session {id}").format(id=session_id))
    note_secret_read(session, viewer, record, "council_session")
    return record


def _require_owner(viewer: Viewer, record: Any) -> None:
    if not can_change(viewer, record, SECRETARIAT_ROLES):
        raise Forbidden(_("only the secretariat plans sessions and runs procedures"))


async def change_session(
    session: AsyncSession, viewer: Viewer, session_id: uuid.UUID, change: SessionChange
) -> CouncilSession:
    """Make a planned session exact (date, venue) or change it; 409 on a stale version."""
    record = await get_council_session(session, viewer, session_id)
    _require_owner(viewer, record)
    if record.version != change.version:
        raise Conflict(
            _("someone changed this session meanwhile (version {current}): reload it").format(
                current=record.version
            ),
            field="version",
        )
    given = change.model_dump(exclude_unset=True, exclude={"version"})
    if given.get("chair"):
        await check_state(session, given["chair"], "chair")
    changes: dict[str, list[Any]] = {}
    for name in ("title", "kind", "format", "city", "venue", "chair", "notes"):
        if name in given and given[name] is not None and given[name] != getattr(record, name):
            changes[name] = [getattr(record, name), given[name]]
            setattr(record, name, given[name])
    if change.held_on is not None or change.year is not None:
        for name in ("held_on", "year", "quarter"):
            value = getattr(change, name)
            if value != getattr(record, name) and (value is not None or name == "held_on"):
                changes[name] = [str(getattr(record, name)), str(value)]
                setattr(record, name, value)
    if "public" in given or change.classification is not None or change.releasable_to:
        level, codes = await resolve_markings(
            session,
            viewer,
            change.classification,
            change.releasable_to or record.releasable_to,
            public=bool(given.get("public", False)),
            default=Classification.parse(record.classification),
        )
        if level != record.classification or codes != sorted(record.releasable_to):
            changes["markings"] = [
                [record.classification.name, record.releasable_to],
                [level.name, codes],
            ]
            record.classification, record.releasable_to = level, codes
            record.public = level == Classification.PUBLIC
    if not changes:
        return record
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind="council.session_changed",
        subject=record.id,
        payload={"changes": changes, "version": record.version},
        **markings_of(record),
    )
    return record


async def set_attendance(
    session: AsyncSession, viewer: Viewer, session_id: uuid.UUID, data: AttendanceSet
) -> CouncilAttendance:
    """Record how a member state attends: present, represented, absent or declined."""
    record = await get_council_session(session, viewer, session_id)
    _require_owner(viewer, record)
    await check_state(session, data.state, "state")
    if data.status == "represented" and not data.plenipotentiary.strip():
        raise InvalidInput(
            _("plenipotentiary: name who represents the state"), field="plenipotentiary"
        )
    existing = {row.state: row for row in await repository.attendance(session, record.id)}
    row = existing.get(data.state)
    if row is None:
        row = CouncilAttendance(id=uuid.uuid4(), session_id=record.id, state=data.state)
        session.add(row)
    row.status = data.status
    row.plenipotentiary = data.plenipotentiary.strip() if data.status == "represented" else ""
    row.credentials = data.credentials.strip() if data.status == "represented" else ""
    row.recorded_at = utcnow()
    row.recorded_by = viewer.username
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind="council.attendance_recorded",
        subject=record.id,
        payload=data.model_dump(mode="json"),
        **markings_of(record),
    )
    return row


async def add_agenda_item(
    session: AsyncSession, viewer: Viewer, session_id: uuid.UUID, data: AgendaItemCreate
) -> CouncilAgendaItem:
    """Add an item at the end of the agenda, marked procedural or substantive."""
    record = await get_council_session(session, viewer, session_id)
    _require_owner(viewer, record)
    items = await repository.agenda(session, record.id)
    item = CouncilAgendaItem(
        id=uuid.uuid4(),
        session_id=record.id,
        position=(items[-1].position + 1) if items else 1,
        title=data.title,
        description=data.description,
        procedural=data.procedural,
    )
    session.add(item)
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind="council.agenda_item_added",
        subject=record.id,
        payload={"item": str(item.id), "title": item.title, "procedural": item.procedural},
        **markings_of(record),
    )
    return item
