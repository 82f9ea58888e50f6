"""What the council pages share: saved notices, the common context, running a form's change."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Classification
from accord.auth.dependencies import Principal, undo
from accord.clock import utcnow
from accord.council import labels
from accord.council import sessions as sessions_service
from accord.errors import AccordError, InvalidInput, NotFound
from accord.i18n import _
from accord.members import service as members
from accord.web.forms import form_values
from accord.web.rendering import redirect

SAVED = {
    "session": lambda: _("Session planned."),
    "attendance": lambda: _("Attendance recorded."),
    "agenda": lambda: _("Agenda item added."),
    "draft": lambda: _("Draft decision stored."),
    "position": lambda: _("Position recorded."),
    "open": lambda: _("The draft is open for positions."),
    "close": lambda: _("The vote is closed."),
    "silence": lambda: _("Silence procedure launched."),
    "agenda_changed": lambda: _("Agenda item changed."),
    "agenda_moved": lambda: _("Agenda reordered."),
    "withdraw": lambda: _("The draft is withdrawn."),
    "redraft": lambda: _("A new draft was made from the decision that was not adopted."),
}
Action = Callable[[dict[str, Any]], Awaitable[str]]


def ident_of(value: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(_("no {what} {id}").format(what=what, id=value[:40])) from None


def saved_message(request: Request) -> str | None:
    saved = request.query_params.get("saved", "")
    return SAVED[saved]() if saved in SAVED else None


async def common_context(session: AsyncSession, principal: Principal) -> dict[str, Any]:
    viewer = principal.viewer
    return {
        "labels": labels.all_labels(),
        "state_names": await members.state_names(session),
        "bodies": await members.list_bodies(session),
        "body_name": members.body_name,
        "is_secretariat": viewer.has_role(*sessions_service.SECRETARIAT_ROLES),
        "is_delegate": viewer.has_role("delegate"),
        "levels": [level for level in Classification if level <= viewer.clearance],
        "when": sessions_service.when_text,
        "now": utcnow(),
    }


async def act(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    action: Action,
    on_error: Callable[[AccordError, dict[str, Any]], Awaitable[Response]],
) -> Response:
    """Run a form's change; a refused one is undone and shown on the page again."""
    values = form_values(await request.form())
    try:
        target = await action(values)
        await session.flush()
    except InvalidInput as error:
        await undo(session, principal)
        return await on_error(error, values)
    except AccordError as error:
        if error.status not in (403, 409):
            raise
        await undo(session, principal)
        return await on_error(error, values)
    return redirect(target)


def form_version(values: dict[str, Any]) -> int | None:
    try:
        return int(values["version"]) if values.get("version") else None
    except ValueError:
        raise InvalidInput(_("version: not a number"), field="version") from None


def form_deadline(value: str) -> datetime:
    """A deadline from the form: an ISO instant, or a UTC date and time without an offset."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(
            _("deadline: give a UTC date and time like 2024-05-01 12:00"), field="deadline"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.utcoffset() is None else moment.astimezone(UTC)
