"""Situation reports: drafted from a crisis's live data, edited, issued and then kept as issued.

A report is owned by the drafter's state and marked by what went into it: at least the crisis's
classification, the highest of its records', and released only to those who may see every one
of them. Analysts of the crisis's state or of the secretariat, and the crisis's coordinator,
draft, edit and issue.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import EVERYONE, SECRETARIAT, Classification, Viewer, can_see, visible
from accord.clock import utcnow
from accord.crises import service as crises
from accord.crises import sitrep_data, sitrep_text
from accord.crises.sitrep_schemas import SitrepChange, SitrepCreate, SitrepRead
from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.events.service import markings_of, note_secret_read, record_event
from accord.i18n import _
from accord.members import repository as members
from accord.models.crisis import Crisis
from accord.models.sitrep import Sitrep
from accord.paging import keyset_page
from accord.workflow import Move, Workflow

WRITING_ROLES = frozenset({"analyst"})
TEXTS = ("title", "conditions", "actions", "needs")
LIFECYCLE = Workflow("situation report", ("draft", "issued"), [Move("draft", "issued")])


def sitrep_read(sitrep: Sitrep) -> SitrepRead:
    return SitrepRead(
        id=sitrep.id,
        crisis_id=sitrep.crisis_id,
        number=sitrep.number,
        status=sitrep.status,
        language=sitrep.language,
        title=sitrep.title,
        conditions=sitrep.conditions,
        actions=sitrep.actions,
        needs=sitrep.needs,
        snapshot=sitrep.snapshot or {},
        owner=sitrep.owner,
        classification=Classification.parse(sitrep.classification).name,
        releasable_to=sitrep.releasable_to,
        created_by=sitrep.created_by,
        created_at=sitrep.created_at,
        issued_by=sitrep.issued_by,
        issued_at=sitrep.issued_at,
        updated_at=sitrep.updated_at,
        version=sitrep.version,
    )


# Who may write


def may_write(viewer: Viewer, crisis: Crisis) -> bool:
    """Analysts of the crisis's state or the secretariat, and the crisis's coordinator."""
    if crisis.coordinator and viewer.username == crisis.coordinator:
        return True
    return viewer.has_role(*WRITING_ROLES) and viewer.state in (crisis.owner, SECRETARIAT)


def _require_writer(viewer: Viewer, crisis: Crisis) -> None:
    if not may_write(viewer, crisis):
        raise Forbidden(
            _(
                "situation reports are written by analysts of the crisis's state or of the "
                "secretariat, and by the crisis's coordinator"
            )
        )


async def _crisis(session: AsyncSession, viewer: Viewer, crisis_id: uuid.UUID) -> Crisis:
    return await crises.get_crisis(session, viewer, crisis_id)


# The marking of a report


async def _audience_of_all(session: AsyncSession) -> set[str]:
    return {state.code for state in await members.list_states(session)} | {SECRETARIAT}


def combined_marking(
    included: sitrep_data.Included, owner: str, everyone: set[str]
) -> tuple[Classification, list[str]]:
    """The highest level, and the states that may see every record (the owner among them)."""
    level = Classification.PUBLIC
    audience = set(everyone) | {owner}
    for classification, record_owner, released in included.markings:
        level = max(level, classification)
        if EVERYONE not in released:
            audience &= {record_owner, *released}
    others = audience - {owner}
    if others >= everyone - {owner}:
        return level, [EVERYONE]
    return level, sorted(others)


# Drafting and changing


async def _next_number(session: AsyncSession, crisis_id: uuid.UUID) -> int:
    query = select(func.max(Sitrep.number)).where(Sitrep.crisis_id == crisis_id)
    return ((await session.execute(query)).scalar_one() or 0) + 1


async def _marked(
    session: AsyncSession,
    viewer: Viewer,
    included: sitrep_data.Included,
    asked: Classification | None,
) -> tuple[Classification, list[str]]:
    level, released = combined_marking(included, viewer.state, await _audience_of_all(session))
    if asked is not None:
        if asked > viewer.clearance:
            raise InvalidInput(
                _("classification: above your own clearance"), field="classification"
            )
        if asked < level:
            raise InvalidInput(
                _(
                    "classification: the report draws on {level} records; mark it at least {level}"
                ).format(level=level.name),
                field="classification",
            )
        level = asked
    return level, released


async def draft_sitrep(session: AsyncSession, viewer: Viewer, data: SitrepCreate) -> Sitrep:
    """Draft the crisis's next report from what the drafter sees of it now."""
    crisis = await _crisis(session, viewer, data.crisis_id)
    _require_writer(viewer, crisis)
    if crisis.level == "closed":
        raise Conflict(_("the crisis is closed: no more situation reports"), field="crisis_id")
    snapshot, included = await sitrep_data.build_snapshot(session, viewer, crisis)
    level, released = await _marked(session, viewer, included, data.classification)
    number = await _next_number(session, crisis.id)
    texts = await sitrep_text.compose(session, snapshot, number, data.language)
    now = utcnow()
    sitrep = Sitrep(
        id=uuid.uuid4(),
        crisis_id=crisis.id,
        number=number,
        status="draft",
        language=data.language,
        snapshot=snapshot,
        owner=viewer.state,
        classification=level,
        releasable_to=released,
        created_by=viewer.username,
        created_at=now,
        updated_at=now,
        **texts,
    )
    session.add(sitrep)
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind="sitrep.drafted",
        subject=sitrep.id,
        payload=_summary(sitrep),
        **markings_of(sitrep),
    )
    return sitrep


def _summary(sitrep: Sitrep) -> dict[str, Any]:
    return {
        "id": str(sitrep.id),
        "crisis_id": str(sitrep.crisis_id),
        "number": sitrep.number,
        "status": sitrep.status,
        "language": sitrep.language,
        "title": sitrep.title,
        "version": sitrep.version,
    }


async def get_sitrep(session: AsyncSession, viewer: Viewer, sitrep_id: uuid.UUID) -> Sitrep:
    """One report the viewer may see; 404 whether it is absent or hidden."""
    query = select(Sitrep).where(Sitrep.id == sitrep_id, visible(viewer, Sitrep))
    sitrep = (await session.execute(query)).scalar_one_or_none()
    if sitrep is None or not can_see(viewer, sitrep):
        raise NotFound(_("no situation report {id}").format(id=sitrep_id))
    note_secret_read(session, viewer, sitrep, "sitrep")
    return sitrep


async def may_change(session: AsyncSession, viewer: Viewer, sitrep: Sitrep) -> bool:
    """Whether ``viewer`` may edit or issue this (visible) draft."""
    crisis = await session.get(Crisis, sitrep.crisis_id)
    return sitrep.status == "draft" and crisis is not None and may_write(viewer, crisis)


async def _changeable(
    session: AsyncSession,
    viewer: Viewer,
    sitrep_id: uuid.UUID,
    version: int | None,
    *,
    target: str | None = None,
) -> tuple[Sitrep, Crisis]:
    sitrep = await get_sitrep(session, viewer, sitrep_id)
    crisis = await _crisis(session, viewer, sitrep.crisis_id)
    _require_writer(viewer, crisis)
    if target is not None:
        LIFECYCLE.check(sitrep.status, target, viewer.roles)
    elif sitrep.status != "draft":
        raise Conflict(
            _("situation report No. {number} is issued: it is kept as issued").format(
                number=sitrep.number
            ),
            field="status",
        )
    if version is not None and version != sitrep.version:
        raise Conflict(
            _(
                "someone changed this report meanwhile (you edited version {yours}, it is now "
                "version {current}): reload it and apply your change again"
            ).format(yours=version, current=sitrep.version),
            field="version",
        )
    return sitrep, crisis


async def change_sitrep(
    session: AsyncSession, viewer: Viewer, sitrep_id: uuid.UUID, change: SitrepChange
) -> Sitrep:
    """Edit a draft's texts (or draft them anew from the live data); 409 on a stale version."""
    sitrep, crisis = await _changeable(session, viewer, sitrep_id, change.version)
    changed: list[str] = []
    if change.refresh:
        snapshot, included = await sitrep_data.build_snapshot(session, viewer, crisis)
        # The report now holds what this viewer sees, so their state owns it from here on.
        level, released = await _marked(session, viewer, included, None)
        sitrep.snapshot = snapshot
        sitrep.owner = viewer.state
        sitrep.classification = max(level, Classification.parse(sitrep.classification))
        sitrep.releasable_to = released
        texts = await sitrep_text.compose(session, snapshot, sitrep.number, sitrep.language)
        for name in TEXTS:
            setattr(sitrep, name, texts[name])
        changed = ["snapshot", *TEXTS]
    given = change.model_dump(exclude_unset=True, exclude={"version", "refresh"})
    for name in TEXTS:
        if given.get(name) is not None and given[name] != getattr(sitrep, name):
            setattr(sitrep, name, given[name])
            changed.append(name)
    if not changed:
        return sitrep
    sitrep.updated_at = utcnow()
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind="sitrep.updated",
        subject=sitrep.id,
        payload={**_summary(sitrep), "changed": sorted(set(changed))},
        **markings_of(sitrep),
    )
    return sitrep


async def issue_sitrep(
    session: AsyncSession, viewer: Viewer, sitrep_id: uuid.UUID, version: int | None = None
) -> Sitrep:
    """Issue a draft: from now on it never changes."""
    sitrep, _crisis_row = await _changeable(session, viewer, sitrep_id, version, target="issued")
    now = utcnow()
    sitrep.status = "issued"
    sitrep.issued_by = viewer.username
    sitrep.issued_at = now
    sitrep.updated_at = now
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind="sitrep.issued",
        subject=sitrep.id,
        payload={**_summary(sitrep), "issued_at": now.isoformat()},
        **markings_of(sitrep),
    )
    return sitrep


# Lists


async def list_sitreps(
    session: AsyncSession,
    viewer: Viewer,
    *,
    crisis_id: uuid.UUID | None = None,
    status: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[Sitrep], str | None]:
    """The reports the viewer may see, newest first, one page and the next page's cursor."""
    query = select(Sitrep).where(visible(viewer, Sitrep))
    if crisis_id is not None:
        query = query.where(Sitrep.crisis_id == crisis_id)
    if status is not None:
        query = query.where(Sitrep.status == status)
    return await keyset_page(session, query, Sitrep.created_at, Sitrep.id, cursor, limit)
