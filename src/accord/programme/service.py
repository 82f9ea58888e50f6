"""The rules of the chairmanship programme: who edits it, what a valid one is, its progress."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import EVERYONE, SECRETARIAT, Classification, Viewer
from accord.clock import utcnow
from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.events.service import for_everyone, record_event
from accord.i18n import _
from accord.members import service as members
from accord.models.programme_activity import ProgrammeActivity
from accord.models.programme_priority import ProgrammePriority
from accord.models.programme_programme import Programme
from accord.programme import links as linked
from accord.programme import repository
from accord.programme.links import PUBLIC_VIEWER
from accord.programme.schemas import (
    ActivityChange,
    ActivityCreate,
    ActivityRead,
    LinkRead,
    LinkRef,
    PriorityChange,
    PriorityCreate,
    PriorityRead,
    ProgrammeChange,
    ProgrammeCreate,
    ProgrammeRead,
    Progress,
)
from accord.workflow import Move, Workflow

EDITORS = frozenset({"secretariat"})
ACTIVITY_FLOW = Workflow(
    "activity",
    ("planned", "in_progress", "done", "long_term"),
    [
        Move("planned", "in_progress", EDITORS),
        Move("planned", "done", EDITORS),
        Move("planned", "long_term", EDITORS),
        Move("in_progress", "done", EDITORS),
        Move("in_progress", "long_term", EDITORS),
        Move("in_progress", "planned", EDITORS),
        Move("long_term", "in_progress", EDITORS),
        Move("long_term", "done", EDITORS),
        Move("done", "in_progress", EDITORS),
    ],
)
UNFINISHED = ("planned", "in_progress", "long_term")


def _require_editor(viewer: Viewer) -> None:
    if not viewer.has_role(*EDITORS):
        raise Forbidden(_("only the secretariat edits the chairmanship programme"))


def _require_version(kind: str, current: int, given: int) -> None:
    if current != given:
        raise Conflict(
            _(
                "someone changed this {kind} meanwhile (you edited version {yours}, it is now "
                "version {current}): reload it and apply your change again"
            ).format(kind=kind, yours=given, current=current),
            field="version",
        )


def _event(session: AsyncSession, viewer: Viewer, kind: str, subject: Any, payload: dict) -> None:
    record_event(
        session,
        actor=viewer.username,
        kind=f"programme.{kind}",
        subject=subject,
        payload=payload,
        **for_everyone(SECRETARIAT),
    )


# Reads


async def get_programme(
    session: AsyncSession, viewer: Viewer | None, programme_id: uuid.UUID
) -> Programme:
    """One programme the viewer (the public when None) may see; 404 otherwise."""
    found = await repository.get_visible(session, viewer or PUBLIC_VIEWER, programme_id)
    if found is None:
        raise NotFound(_("no programme {id}").format(id=programme_id))
    return found


async def programme_of_year(session: AsyncSession, viewer: Viewer | None, year: int) -> Programme:
    found = await repository.get_by_year(session, viewer or PUBLIC_VIEWER, year)
    if found is None:
        raise NotFound(_("no programme for {year}").format(year=year))
    return found


async def current_programme(session: AsyncSession, viewer: Viewer | None) -> Programme | None:
    """The programme of this year's chair, or the latest one before it."""
    return await repository.latest_until(session, viewer or PUBLIC_VIEWER, utcnow().year)


async def programme_years(session: AsyncSession, viewer: Viewer | None) -> list[int]:
    return await repository.years(session, viewer or PUBLIC_VIEWER)


def progress_of(statuses: list[str]) -> Progress:
    """Counts per status; the percentage counts done as whole and in progress as half."""
    counts = {status: statuses.count(status) for status in ("done", "in_progress", "long_term")}
    total = len(statuses)
    score = counts["done"] + counts["in_progress"] / 2
    return Progress(
        total=total,
        planned=statuses.count("planned"),
        percent=round(100 * score / total) if total else 0,
        **counts,
    )


async def _activity_read(
    session: AsyncSession, viewer: Viewer | None, activity: ProgrammeActivity
) -> ActivityRead:
    shown = await linked.visible_links(session, viewer, activity.links or [])
    return ActivityRead(
        id=activity.id,
        priority_id=activity.priority_id,
        position=activity.position,
        titles=activity.titles,
        owner_body=activity.owner_body,
        starts_on=activity.starts_on,
        ends_on=activity.ends_on,
        status=activity.status,
        links=[
            LinkRead(
                kind=link.kind,
                id=link.id,
                title=link.title,
                url=link.url,
                classification=link.classification.name,
            )
            for link in shown
        ],
        carried_from=activity.carried_from,
        version=activity.version,
    )


async def programme_read(
    session: AsyncSession, viewer: Viewer | None, programme: Programme
) -> ProgrammeRead:
    """The whole programme as the viewer (the public when None) may see it, links filtered."""
    activities = await repository.activities(session, programme.id)
    by_priority: dict[uuid.UUID, list[ActivityRead]] = {}
    for activity in activities:
        read = await _activity_read(session, viewer, activity)
        by_priority.setdefault(activity.priority_id, []).append(read)
    priorities = [
        PriorityRead(
            id=priority.id,
            position=priority.position,
            titles=priority.titles,
            area=priority.area,
            progress=progress_of([a.status for a in by_priority.get(priority.id, [])]),
            activities=by_priority.get(priority.id, []),
            version=priority.version,
        )
        for priority in await repository.priorities(session, programme.id)
    ]
    return ProgrammeRead(
        id=programme.id,
        year=programme.year,
        state=programme.state_code,
        motto=programme.motto or {},
        owner=programme.owner,
        classification=Classification.parse(programme.classification).name,
        releasable_to=programme.releasable_to,
        progress=progress_of([activity.status for activity in activities]),
        priorities=priorities,
        version=programme.version,
    )


# Changes


async def _chair_of(session: AsyncSession, year: int) -> str | None:
    for chair in await members.chairmanship(session, years_ahead=10):
        if chair.year == year:
            return chair.state
    return None


async def _check_state(session: AsyncSession, code: str) -> None:
    if not await members.state_exists(session, code):
        raise InvalidInput(
            _("state: {code} is not a member state").format(code=code), field="state"
        )


async def _check_links(
    session: AsyncSession, viewer: Viewer, refs: list[LinkRef], field: str
) -> list[dict[str, str]]:
    stored = []
    for index, ref in enumerate(refs):
        if await linked.resolve(session, viewer, ref.kind, ref.id) is None:
            raise InvalidInput(
                _("{field}: no {kind} {id} that you can see").format(
                    field=f"{field}.{index}", kind=ref.kind, id=ref.id
                ),
                field=f"{field}.{index}",
            )
        stored.append({"kind": ref.kind, "id": str(ref.id)})
    return stored


def _path(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _check_dates(starts_on, ends_on, field: str) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise InvalidInput(
            _("{field}: the activity ends before it starts").format(field=field), field=field
        )


async def create_programme(
    session: AsyncSession, viewer: Viewer, data: ProgrammeCreate
) -> Programme:
    """A new programme for a year, with its priorities and activities; one per year."""
    _require_editor(viewer)
    if await repository.year_taken(session, data.year):
        raise Conflict(
            _("there is a programme for {year} already").format(year=data.year), field="year"
        )
    state = data.state or await _chair_of(session, data.year)
    if state is None:
        raise InvalidInput(_("state: no chair is known for that year; name it"), field="state")
    await _check_state(session, state)
    now = utcnow()
    programme = Programme(
        id=uuid.uuid4(),
        year=data.year,
        state_code=state,
        motto={language: text for language, text in data.motto.items() if text},
        owner=SECRETARIAT,
        classification=Classification.PUBLIC,
        releasable_to=[EVERYONE],
        created_at=now,
        created_by=viewer.username,
        updated_at=now,
    )
    session.add(programme)
    await session.flush()
    for index, priority in enumerate(data.priorities):
        await _new_priority(session, viewer, programme, priority, index + 1, f"priorities.{index}")
    _event(session, viewer, "created", programme.id, {"year": data.year, "state": state})
    return programme


async def _new_priority(
    session: AsyncSession,
    viewer: Viewer,
    programme: Programme,
    data: PriorityCreate,
    position: int,
    field: str,
) -> ProgrammePriority:
    priority = ProgrammePriority(
        id=uuid.uuid4(),
        programme_id=programme.id,
        position=position,
        titles=data.titles,
        area=data.area,
    )
    session.add(priority)
    await session.flush()
    for index, activity in enumerate(data.activities):
        await _new_activity(
            session, viewer, priority, activity, index + 1, _path(field, f"activities.{index}")
        )
    return priority


async def _new_activity(
    session: AsyncSession,
    viewer: Viewer,
    priority: ProgrammePriority,
    data: ActivityCreate,
    position: int,
    field: str,
    carried_from: uuid.UUID | None = None,
) -> ProgrammeActivity:
    _check_dates(data.starts_on, data.ends_on, _path(field, "ends_on"))
    activity = ProgrammeActivity(
        id=uuid.uuid4(),
        programme_id=priority.programme_id,
        priority_id=priority.id,
        position=position,
        titles=data.titles,
        owner_body=data.owner_body,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        status=data.status,
        links=await _check_links(session, viewer, data.links, _path(field, "links")),
        carried_from=carried_from,
    )
    session.add(activity)
    await session.flush()
    return activity


def _touch(programme: Programme) -> None:
    programme.updated_at = utcnow()


async def change_programme(
    session: AsyncSession, viewer: Viewer, programme_id: uuid.UUID, change: ProgrammeChange
) -> Programme:
    """Change the chair or the motto, against ``change.version``."""
    programme = await get_programme(session, viewer, programme_id)
    _require_editor(viewer)
    _require_version(_("programme"), programme.version, change.version)
    given = change.model_dump(exclude_unset=True, exclude={"version"})
    if given.get("state"):
        await _check_state(session, given["state"])
        programme.state_code = given["state"]
    if given.get("motto") is not None:
        programme.motto = {k: v for k, v in given["motto"].items() if v}
    _touch(programme)
    await session.flush()
    _event(session, viewer, "changed", programme.id, {"changes": sorted(given)})
    return programme


async def add_priority(
    session: AsyncSession, viewer: Viewer, programme_id: uuid.UUID, data: PriorityCreate
) -> ProgrammePriority:
    """A new priority at the end of the list, with its activities."""
    programme = await get_programme(session, viewer, programme_id)
    _require_editor(viewer)
    position = len(await repository.priorities(session, programme.id)) + 1
    priority = await _new_priority(session, viewer, programme, data, position, "")
    _touch(programme)
    _event(session, viewer, "priority_added", programme.id, {"priority": str(priority.id)})
    return priority


async def change_priority(
    session: AsyncSession,
    viewer: Viewer,
    programme_id: uuid.UUID,
    priority_id: uuid.UUID,
    change: PriorityChange,
) -> ProgrammePriority:
    programme = await get_programme(session, viewer, programme_id)
    _require_editor(viewer)
    priority = await repository.get_priority(session, programme.id, priority_id)
    if priority is None:
        raise NotFound(_("no priority {id} in this programme").format(id=priority_id))
    _require_version(_("priority"), priority.version, change.version)
    given = change.model_dump(exclude_unset=True, exclude={"version"})
    for name in ("titles", "area", "position"):
        # An area given as null clears it (a priority outside the incident areas).
        if name in given and (name == "area" or given[name] is not None):
            setattr(priority, name, given[name])
    await session.flush()
    _touch(programme)
    _event(
        session,
        viewer,
        "priority_changed",
        programme.id,
        {"priority": str(priority.id), "changes": sorted(given)},
    )
    return priority


async def add_activity(
    session: AsyncSession,
    viewer: Viewer,
    programme_id: uuid.UUID,
    priority_id: uuid.UUID,
    data: ActivityCreate,
) -> ProgrammeActivity:
    """A new activity at the end of a priority's list."""
    programme = await get_programme(session, viewer, programme_id)
    _require_editor(viewer)
    priority = await repository.get_priority(session, programme.id, priority_id)
    if priority is None:
        raise NotFound(_("no priority {id} in this programme").format(id=priority_id))
    existing = await repository.activities(session, programme.id)
    position = 1 + sum(1 for a in existing if a.priority_id == priority.id)
    activity = await _new_activity(session, viewer, priority, data, position, "")
    _touch(programme)
    _event(session, viewer, "activity_added", programme.id, {"activity": str(activity.id)})
    return activity


async def change_activity(
    session: AsyncSession,
    viewer: Viewer,
    programme_id: uuid.UUID,
    activity_id: uuid.UUID,
    change: ActivityChange,
) -> ProgrammeActivity:
    """Change an activity against ``change.version``; its status moves by the workflow."""
    programme = await get_programme(session, viewer, programme_id)
    _require_editor(viewer)
    activity = await repository.get_activity(session, programme.id, activity_id)
    if activity is None:
        raise NotFound(_("no activity {id} in this programme").format(id=activity_id))
    _require_version(_("activity"), activity.version, change.version)
    given = change.model_dump(exclude_unset=True, exclude={"version"})
    changes: dict[str, Any] = {}
    if given.get("status") and given["status"] != activity.status:
        ACTIVITY_FLOW.check(activity.status, given["status"], viewer.roles)
        changes["status"] = [activity.status, given["status"]]
        activity.status = given["status"]
    if change.links is not None:
        with session.no_autoflush:
            activity.links = await _check_links(session, viewer, change.links, "links")
        changes["links"] = len(activity.links)
    for name in ("titles", "owner_body", "starts_on", "ends_on"):
        # A date given as null clears it; titles and body given as null leave them as they are.
        clears = name in ("starts_on", "ends_on")
        given_here = name in given and (clears or given[name] is not None)
        if given_here and given[name] != getattr(activity, name):
            setattr(activity, name, given[name])
            changes[name] = True
    _check_dates(activity.starts_on, activity.ends_on, "ends_on")
    if not changes:
        return activity
    await session.flush()
    _touch(programme)
    kind = "activity_moved" if set(changes) == {"status"} else "activity_changed"
    _event(session, viewer, kind, programme.id, {"activity": str(activity.id), "changes": changes})
    return activity
