"""Tasks within a crisis: work someone owns, with a deadline, done or not."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer
from accord.auth import repository as users
from accord.clock import utcnow
from accord.crises import repository
from accord.crises.schemas import TaskChange, TaskCreate, TaskRead
from accord.crises.service import (
    crisis_event,
    get_crisis,
    holds_role,
    may_manage,
    role_holder,
    timeline_entry,
)
from accord.errors import Conflict, Forbidden, NotFound
from accord.i18n import _
from accord.models.crisis import Crisis
from accord.models.crisis_task import CrisisTask

OPEN, DONE = "open", "done"


def task_read(task: CrisisTask) -> TaskRead:
    now = utcnow()
    return TaskRead(
        id=task.id,
        crisis_id=task.crisis_id,
        title=task.title,
        owner=task.assignee,
        owner_state=task.assignee_state,
        deadline=task.due_at,
        done=task.status == DONE,
        overdue=task.status != DONE and task.due_at is not None and task.due_at < now,
        created_by=task.created_by,
        created_at=task.created_at,
        updated_at=task.updated_at,
        version=task.version,
    )


def may_add_tasks(viewer: Viewer, crisis: Crisis) -> bool:
    """Those who run the crisis and its coordinator, liaison and scribe."""
    return may_manage(viewer, crisis) or holds_role(viewer, crisis)


async def list_tasks(
    session: AsyncSession, viewer: Viewer, crisis_id: uuid.UUID
) -> list[CrisisTask]:
    crisis = await get_crisis(session, viewer, crisis_id)
    return await repository.tasks(session, crisis.id)


async def _assignee_state(session: AsyncSession, username: str) -> str:
    user = await users.get_user_by_name(session, username)
    assert user is not None  # _role_holder found it
    return user.state


async def add_task(
    session: AsyncSession, viewer: Viewer, crisis_id: uuid.UUID, data: TaskCreate
) -> CrisisTask:
    """Give someone who may see the crisis a task with an optional deadline."""
    crisis = await get_crisis(session, viewer, crisis_id)
    if not may_add_tasks(viewer, crisis):
        raise Forbidden(_("only those who run this crisis give it tasks"))
    owner = await role_holder(session, crisis, data.owner, "owner")
    now = utcnow()
    task = CrisisTask(
        id=uuid.uuid4(),
        crisis_id=crisis.id,
        title=data.title,
        assignee=owner,
        assignee_state=await _assignee_state(session, owner),
        due_at=data.deadline,
        status=OPEN,
        created_by=viewer.username,
        created_at=now,
        updated_at=now,
        version=1,
    )
    session.add(task)
    session.add(
        timeline_entry(
            crisis, viewer, "task_added", task_id=str(task.id), title=task.title, owner=owner
        )
    )
    await session.flush()
    crisis_event(session, viewer, crisis, "task_added", task_read(task).model_dump(mode="json"))
    return task


async def change_task(
    session: AsyncSession,
    viewer: Viewer,
    crisis_id: uuid.UUID,
    task_id: uuid.UUID,
    change: TaskChange,
) -> CrisisTask:
    """Reassign, reschedule or finish a task; its owner may mark it done."""
    crisis = await get_crisis(session, viewer, crisis_id)
    task = await repository.get_task(session, crisis.id, task_id)
    if task is None:
        raise NotFound(_("no task {id} in this crisis").format(id=task_id))
    runs = may_add_tasks(viewer, crisis)
    given = change.model_dump(exclude_unset=True, exclude={"version"})
    if not runs and not (viewer.username == task.assignee and set(given) <= {"done"}):
        raise Forbidden(_("only those who run this crisis, or the task's owner, change this task"))
    if change.version is not None and change.version != task.version:
        raise Conflict(
            _("someone changed this task meanwhile: reload it and apply your change again"),
            field="version",
        )
    changes: dict[str, list] = {}
    if given.get("title") and given["title"] != task.title:
        changes["title"] = [task.title, given["title"]]
        task.title = given["title"]
    if given.get("owner") and given["owner"] != task.assignee:
        owner = await role_holder(session, crisis, given["owner"], "owner")
        changes["owner"] = [task.assignee, owner]
        task.assignee = owner
        task.assignee_state = await _assignee_state(session, owner)
    if "deadline" in given and given["deadline"] != task.due_at:
        changes["deadline"] = [_iso(task.due_at), _iso(given["deadline"])]
        task.due_at = given["deadline"]
    if given.get("done") is not None and (task.status == DONE) != given["done"]:
        status = DONE if given["done"] else OPEN
        changes["status"] = [task.status, status]
        task.status = status
    if not changes:
        return task
    task.updated_at = utcnow()
    kind = "task_done" if changes.get("status", [None, None])[1] == DONE else "task_updated"
    session.add(
        timeline_entry(
            crisis, viewer, kind, task_id=str(task.id), title=task.title, changes=changes
        )
    )
    await session.flush()
    crisis_event(
        session,
        viewer,
        crisis,
        "task_updated",
        {**task_read(task).model_dump(mode="json"), "changes": changes},
    )
    return task


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None
