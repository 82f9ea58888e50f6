"""Pieces every assistance page uses: ids from the path, shared context, the saved notice."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from accord.assistance import catalogue
from accord.assistance.workflows import DUTY
from accord.auth.dependencies import Principal, undo
from accord.errors import NotFound
from accord.i18n import _
from accord.members import service as members

SAVED = {
    "request": lambda: _("Request posted: every state that may see it has been told."),
    "changed": lambda: _("Request changed."),
    "revised": lambda: _("Request changed: the states that offered are told what changed."),
    "unchanged": lambda: _("Nothing was changed: the form held the request as it stands."),
    "offer": lambda: _("Offer sent."),
    "answer": lambda: _("Answer recorded."),
    "holding": lambda: _("Register updated."),
    "deployment": lambda: _("Deployment updated."),
}


def parse_id(value: str, what: str) -> uuid.UUID:
    """A path id; anything else is a page that does not exist."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(_("no {what} {id}").format(what=what, id=value[:40])) from None


def saved_message(request: Request) -> str | None:
    key = request.query_params.get("saved", "")
    return SAVED[key]() if key in SAVED else None


async def common(session: AsyncSession, principal: Principal) -> dict[str, Any]:
    return {
        "names": await catalogue.capability_names(session),
        "state_names": await members.state_names(session),
        "is_duty": principal.viewer.has_role(*DUTY),
    }


async def refused(session: AsyncSession, principal: Principal) -> None:
    """Roll back a refused change before the page shows it again."""
    await undo(session, principal)
