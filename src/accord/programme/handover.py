"""Handing over the chairmanship: the outgoing chair's unfinished activities carry over."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer
from accord.errors import Conflict
from accord.i18n import _
from accord.models.programme_activity import ProgrammeActivity
from accord.models.programme_priority import ProgrammePriority
from accord.programme import repository
from accord.programme.schemas import ActivityCreate, PriorityCreate
from accord.programme.service import (
    UNFINISHED,
    _event,
    _new_activity,
    _new_priority,
    _require_editor,
    _touch,
    get_programme,
)


def _matching_priority(
    source: ProgrammePriority, targets: list[ProgrammePriority]
) -> ProgrammePriority | None:
    """Where a carried activity goes: the priority of the same area, else of the same title."""
    for target in targets:
        if source.area and target.area == source.area:
            return target
    for target in targets:
        if target.titles == source.titles:
            return target
    return None


async def carry_over(
    session: AsyncSession, viewer: Viewer, programme_id: uuid.UUID
) -> list[ProgrammeActivity]:
    """Copy the unfinished activities into next year's programme, once each (handover)."""
    programme = await get_programme(session, viewer, programme_id)
    _require_editor(viewer)
    following = await repository.get_by_year(session, viewer, programme.year + 1)
    if following is None:
        raise Conflict(
            _("there is no programme for {year} to carry the activities into yet").format(
                year=programme.year + 1
            )
        )
    already = await repository.carried_sources(session, following.id)
    targets = await repository.priorities(session, following.id)
    by_id = {p.id: p for p in await repository.priorities(session, programme.id)}
    copied = []
    for activity in await repository.activities(session, programme.id):
        if activity.status not in UNFINISHED or activity.id in already:
            continue
        source = by_id[activity.priority_id]
        priority = _matching_priority(source, targets)
        if priority is None:
            priority = await _new_priority(
                session,
                viewer,
                following,
                PriorityCreate(titles=source.titles, area=source.area),
                len(targets) + 1,
                "",
            )
            targets.append(priority)
        data = ActivityCreate(
            titles=activity.titles,
            owner_body=activity.owner_body,
            status=activity.status,
        )
        copied.append(
            await _new_activity(session, viewer, priority, data, 100 + len(copied), "", activity.id)
        )
    if copied:
        _touch(following)
        _event(
            session,
            viewer,
            "carried_over",
            following.id,
            {"from": str(programme.id), "activities": [str(a.carried_from) for a in copied]},
        )
    return copied
