"""Requests for assistance: who posts them, what is valid, revisions, how far needs are met."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer, can_change
from accord.assistance import flows, repository
from accord.assistance.catalogue import active_capability, capability_names
from accord.assistance.fulfilment import CrisisAssistance, crisis_assistance, fulfilment
from accord.assistance.lapse import schedule_lapse
from accord.assistance.markings import (
    checked_level,
    checked_releasability,
    default_markings,
)
from accord.assistance.reads import level, request_read
from accord.assistance.schemas import NeedLineIn, RequestChange, RequestCreate
from accord.assistance.workflows import DUTY, LAPSE_DAYS, REQUEST
from accord.clock import utcnow
from accord.crises import service as crises
from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.events.service import markings_of, note_secret_read, record_event
from accord.i18n import _
from accord.models.assistance_request import AssistanceRequest
from accord.models.need_line import NeedLine
from accord.models.request_revision import RequestRevision

LAPSE = timedelta(days=LAPSE_DAYS)
OPEN_CRISIS_LEVELS = ("monitoring", "consultations", "declared", "collective_response", "recovery")
SNAPSHOT_FIELDS = ("title", "description", "contact", "status", "classification", "releasable_to")


# Reading


async def get_request(
    session: AsyncSession, viewer: Viewer, request_id: uuid.UUID
) -> AssistanceRequest:
    """One request the viewer may see; 404 whether it is absent or hidden."""
    request = await repository.get_request_visible(session, viewer, request_id)
    if request is None:
        raise NotFound(_("no request for assistance {id}").format(id=request_id))
    note_secret_read(session, viewer, request, "assistance_request")
    return request


async def read_requests(session: AsyncSession, requests: list[AssistanceRequest]) -> list:
    lines = await repository.need_lines_of(session, [request.id for request in requests])
    names = await capability_names(session)
    return [request_read(request, lines.get(request.id, []), names) for request in requests]


# Posting and changing


def _require_duty_officer(viewer: Viewer) -> None:
    if not viewer.has_role(*DUTY):
        raise Forbidden(_("requests for assistance are made by duty officers"))


async def _crisis_for_request(session: AsyncSession, viewer: Viewer, crisis_id: uuid.UUID):
    try:
        crisis = await crises.get_crisis(session, viewer, crisis_id)
    except NotFound:
        raise InvalidInput(
            _("crisis_id: no crisis {id} that you can see").format(id=crisis_id), field="crisis_id"
        ) from None
    if viewer.state not in crisis.affected_states:
        raise Forbidden(_("only a state affected by the crisis asks for assistance within it"))
    if crisis.level not in OPEN_CRISIS_LEVELS:
        raise Conflict(_("the crisis is closed"), field="crisis_id")
    return crisis


async def _checked_line(
    session: AsyncSession, index: int, line: NeedLineIn, kept: NeedLine | None = None
) -> None:
    prefix = f"need_lines.{index}"
    await active_capability(session, line.capability, field=f"{prefix}.capability")
    if (line.longitude is None) != (line.latitude is None):
        raise InvalidInput(
            _("{field}: give both longitude and latitude, or neither").format(field=prefix),
            field=f"{prefix}.longitude",
        )
    unchanged = kept is not None and kept.needed_by == line.needed_by
    if line.needed_by < utcnow() and not unchanged:
        raise InvalidInput(
            _("{field}: the date lies in the past").format(field=f"{prefix}.needed_by"),
            field=f"{prefix}.needed_by",
        )


def _new_line(request_id: uuid.UUID, position: int, line: NeedLineIn) -> NeedLine:
    return NeedLine(
        id=uuid.uuid4(),
        request_id=request_id,
        position=position,
        capability_code=line.capability,
        quantity=line.quantity,
        place=line.place,
        longitude=line.longitude,
        latitude=line.latitude,
        needed_by=line.needed_by,
        status="open",
    )


def snapshot(request: AssistanceRequest, lines: list[NeedLine]) -> dict[str, Any]:
    """The request as it stands, in plain JSON: what revisions keep and compare."""
    return {
        "title": request.title,
        "description": request.description,
        "contact": request.contact,
        "status": request.status,
        "expires_at": request.expires_at.isoformat(),
        "classification": level(request.classification),
        "releasable_to": list(request.releasable_to),
        "need_lines": [
            {
                "id": str(line.id),
                "capability": line.capability_code,
                "quantity": line.quantity,
                "place": line.place,
                "longitude": line.longitude,
                "latitude": line.latitude,
                "needed_by": line.needed_by.isoformat(),
                "status": line.status,
            }
            for line in lines
        ],
    }


def _store_revision(
    session: AsyncSession,
    viewer: Viewer,
    request: AssistanceRequest,
    lines: list[NeedLine],
    changes: list[dict],
) -> None:
    session.add(
        RequestRevision(
            request_id=request.id,
            revision=request.revision,
            at=request.updated_at,
            actor=viewer.username,
            snapshot=snapshot(request, lines),
            changes=changes,
        )
    )


async def post_request(
    session: AsyncSession, viewer: Viewer, data: RequestCreate
) -> tuple[AssistanceRequest, list[NeedLine]]:
    """Store a request of an affected state; every state that may see it is told."""
    _require_duty_officer(viewer)
    await _crisis_for_request(session, viewer, data.crisis_id)
    classification, releasable = await default_markings(
        session, viewer, data.classification, data.releasable_to
    )
    for index, line in enumerate(data.need_lines):
        await _checked_line(session, index, line)
    now = utcnow()
    request = AssistanceRequest(
        id=uuid.uuid4(),
        crisis_id=data.crisis_id,
        title=data.title,
        description=data.description,
        contact=data.contact,
        status="open",
        revision=1,
        expires_at=now + LAPSE,
        owner=viewer.state,
        classification=classification,
        releasable_to=releasable,
        posted_by=viewer.username,
        posted_at=now,
        updated_at=now,
    )
    lines = [_new_line(request.id, index, line) for index, line in enumerate(data.need_lines)]
    session.add(request)
    await session.flush()
    session.add_all(lines)
    _store_revision(session, viewer, request, lines, [{"field": "posted"}])
    await session.flush()
    names = await capability_names(session)
    record_event(
        session,
        actor=viewer.username,
        kind="assistance.requested",
        subject=request.id,
        payload=request_read(request, lines, names),
        **markings_of(request),
    )
    await flows.request_posted(session, viewer, request)
    await schedule_lapse(session, request)
    return request, lines


def _require_owner(viewer: Viewer, request: AssistanceRequest) -> None:
    if not can_change(viewer, request, DUTY):
        raise Forbidden(_("only the requesting state's duty officers change this request"))


def _require_version(record: Any, version: int, what: str) -> None:
    if record.version != version:
        raise Conflict(
            _(
                "someone changed this {what} meanwhile (you edited version {yours}, it is now "
                "version {current}): reload it and apply your change again"
            ).format(what=what, yours=version, current=record.version),
            field="version",
        )


async def change_request(
    session: AsyncSession, viewer: Viewer, request_id: uuid.UUID, change: RequestChange
) -> tuple[AssistanceRequest, list[NeedLine]]:
    """Apply the requester's change; it raises the revision and those who offered are told."""
    request = await get_request(session, viewer, request_id)
    _require_owner(viewer, request)
    _require_version(request, change.version, _("request"))
    changes: list[dict] = []
    with session.no_autoflush:
        for name in ("title", "description", "contact"):
            value = getattr(change, name)
            if value is not None and value != getattr(request, name):
                changes.append({"field": name, "from": getattr(request, name), "to": value})
                setattr(request, name, value)
        if change.status is not None and change.status != request.status:
            REQUEST.check(request.status, change.status, viewer.roles)
            changes.append({"field": "status", "from": request.status, "to": change.status})
            request.status = change.status
        await _change_markings(session, viewer, request, change, changes)
        lines = (await repository.need_lines_of(session, [request.id])).get(request.id, [])
        if change.need_lines is not None:
            await _replace_lines(session, request, lines, change.need_lines, changes)
    if not changes:
        return request, lines
    await _revise(session, viewer, request, lines, changes)
    return request, lines


async def renew_request(
    session: AsyncSession, viewer: Viewer, request_id: uuid.UUID, version: int
) -> tuple[AssistanceRequest, list[NeedLine]]:
    """Another 90 days from now, for an open (or lapsed) request."""
    request = await get_request(session, viewer, request_id)
    _require_owner(viewer, request)
    _require_version(request, version, _("request"))
    if request.status != "open":
        raise Conflict(
            _("only an open request is renewed; this one is {status}").format(
                status=request.status
            ),
            field="status",
        )
    before = request.expires_at
    request.expires_at = utcnow() + LAPSE
    lines = (await repository.need_lines_of(session, [request.id])).get(request.id, [])
    changes = [
        {"field": "expires_at", "from": before.isoformat(), "to": request.expires_at.isoformat()}
    ]
    await _revise(session, viewer, request, lines, changes, kind="assistance.request_renewed")
    await schedule_lapse(session, request)
    return request, lines


async def _revise(
    session: AsyncSession,
    viewer: Viewer,
    request: AssistanceRequest,
    lines: list[NeedLine],
    changes: list[dict],
    *,
    kind: str = "assistance.request_changed",
) -> None:
    request.revision += 1
    request.updated_at = utcnow()
    await session.flush()
    _store_revision(session, viewer, request, lines, changes)
    record_event(
        session,
        actor=viewer.username,
        kind=kind,
        subject=request.id,
        payload={"revision": request.revision, "changes": changes, "version": request.version},
        **markings_of(request),
    )
    await flows.request_changed(session, viewer, request)


async def _change_markings(
    session: AsyncSession,
    viewer: Viewer,
    request: AssistanceRequest,
    change: RequestChange,
    changes: list[dict],
) -> None:
    if change.classification is not None and change.classification != request.classification:
        checked_level(viewer, change.classification)
        changes.append(
            {
                "field": "classification",
                "from": level(request.classification),
                "to": change.classification.name,
            }
        )
        request.classification = change.classification
    if change.releasable_to is not None:
        codes = await checked_releasability(session, change.releasable_to)
        if codes != sorted(request.releasable_to):
            changes.append({"field": "releasable_to", "from": request.releasable_to, "to": codes})
            request.releasable_to = codes


async def _replace_lines(
    session: AsyncSession,
    request: AssistanceRequest,
    lines: list[NeedLine],
    given: list[NeedLineIn],
    changes: list[dict],
) -> None:
    by_id = {line.id: line for line in lines}
    kept: set[uuid.UUID] = set()
    position = max((line.position for line in lines), default=-1) + 1
    for index, item in enumerate(given):
        # A date that has passed since the line was written may stay as it is.
        await _checked_line(session, index, item, by_id.get(item.id) if item.id else None)
        if item.id is None:
            line = _new_line(request.id, position, item)
            position += 1
            session.add(line)
            lines.append(line)
            changes.append({"field": "need_line_added", "line": str(line.id), "to": _line(line)})
            continue
        line = by_id.get(item.id)
        if line is None or line.status != "open":
            raise InvalidInput(
                _("{field}: no open need line {id} in this request").format(
                    field=f"need_lines.{index}.id", id=item.id
                ),
                field=f"need_lines.{index}.id",
            )
        kept.add(line.id)
        await _update_line(session, index, line, item, changes)
    for line in lines:
        if line.status == "open" and line.id in by_id and line.id not in kept:
            if await repository.accepted_quantity(session, line.id):
                raise Conflict(
                    _("a need line with accepted offers cannot be dropped: {place}").format(
                        place=line.place
                    ),
                    field="need_lines",
                )
            line.status = "cancelled"
            changes.append({"field": "need_line_cancelled", "line": str(line.id)})


async def _update_line(
    session: AsyncSession, index: int, line: NeedLine, item: NeedLineIn, changes: list[dict]
) -> None:
    if item.capability != line.capability_code:
        raise InvalidInput(
            _("{field}: a need line keeps its capability; add a new line instead").format(
                field=f"need_lines.{index}.capability"
            ),
            field=f"need_lines.{index}.capability",
        )
    accepted = await repository.accepted_quantity(session, line.id)
    if item.quantity < accepted:
        raise Conflict(
            _("{field}: {accepted} units are already accepted").format(
                field=f"need_lines.{index}.quantity", accepted=accepted
            ),
            field=f"need_lines.{index}.quantity",
        )
    before = _line(line)
    for name in ("quantity", "place", "longitude", "latitude", "needed_by"):
        setattr(line, name, getattr(item, name))
    after = _line(line)
    if before != after:
        diff = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
        changes.append({"field": "need_line_changed", "line": str(line.id), "changes": diff})


def _line(line: NeedLine) -> dict[str, Any]:
    return {
        "capability": line.capability_code,
        "quantity": line.quantity,
        "place": line.place,
        "longitude": line.longitude,
        "latitude": line.latitude,
        "needed_by": line.needed_by.isoformat(),
    }


async def changes_since(
    session: AsyncSession, request: AssistanceRequest, revision: int
) -> list[RequestRevision]:
    """What changed in the request after ``revision`` (what an offering state sees)."""
    return await repository.revisions_after(session, request.id, revision)


# Matches


async def matches(session: AsyncSession, viewer: Viewer, request_id: uuid.UUID) -> list[dict]:
    """The viewer's own registered holdings that match the request's open need lines."""
    request = await get_request(session, viewer, request_id)
    lines = (await repository.need_lines_of(session, [request.id])).get(request.id, [])
    open_lines = [line for line in lines if line.status == "open"]
    holdings = await repository.matching_holdings(
        session, viewer, {line.capability_code for line in open_lines}
    )
    return [
        {
            "need_line_id": line.id,
            "capability": line.capability_code,
            "needed": line.quantity,
            "holding_id": holding.id,
            "held": holding.quantity,
            "readiness_hours": holding.readiness_hours,
            "home_base": holding.home_base,
        }
        for line in open_lines
        for holding in holdings
        if holding.capability_code == line.capability_code
    ]


# The crisis page and situation reports read the panel through this module.
__all__ = [
    "CrisisAssistance",
    "change_request",
    "changes_since",
    "crisis_assistance",
    "fulfilment",
    "get_request",
    "matches",
    "post_request",
    "read_requests",
    "renew_request",
    "snapshot",
]
