"""The access rule, in its two faces: a SQL filter for queries and a policy for one record.

A user sees a record when their clearance is at least its classification and their state owns
it or is on its releasability list (``ALL`` names every member and the secretariat). Only the
owner's users, in a role that may write, change it. Property tests hold the faces in agreement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import ColumnElement, and_, or_

from accord.access.levels import EVERYONE, Classification

WRITING_ROLES = frozenset({"duty_officer", "analyst", "delegate", "secretariat", "press", "admin"})


@dataclass(frozen=True)
class Viewer:
    """Who is asking: their state (``ORG`` for the secretariat), clearance and roles."""

    state: str
    clearance: Classification
    roles: frozenset[str] = field(default_factory=frozenset)
    user_id: Any = None
    username: str = ""

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


class Marked(Protocol):
    owner: str
    classification: Classification
    releasable_to: list[str]


def can_see(viewer: Viewer | None, record: Marked) -> bool:
    """The policy for one record in memory."""
    if viewer is None:
        return False
    if Classification.parse(record.classification) > viewer.clearance:
        return False
    released = record.releasable_to or []
    return record.owner == viewer.state or viewer.state in released or EVERYONE in released


def can_change(
    viewer: Viewer | None, record: Marked, roles: frozenset[str] = WRITING_ROLES
) -> bool:
    """Only the owner's users, in a role that may write, change a record they can see."""
    return (
        viewer is not None
        and can_see(viewer, record)
        and record.owner == viewer.state
        and viewer.has_role(*roles)
    )


def visible(viewer: Viewer | None, model: Any) -> ColumnElement[bool]:
    """The SQL filter: the same rule as :func:`can_see`, applied in the repository query."""
    if viewer is None:
        return model.owner.is_(None) & model.owner.is_not(None)
    return and_(
        model.classification <= viewer.clearance,
        or_(
            model.owner == viewer.state,
            model.releasable_to.contains(f",{viewer.state},", autoescape=True),
            model.releasable_to.contains(f",{EVERYONE},", autoescape=True),
        ),
    )
