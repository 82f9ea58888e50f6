"""Moving a crisis from level to level: the workflow's roles and the state half of the rule.

The roles are in ``flows.ESCALATION``; whether the actor's state may act (a duty officer of an
affected state, the secretariat's own staff) is decided here, where the crisis is known.
"""

from __future__ import annotations

import importlib
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer, can_see
from accord.clock import utcnow
from accord.crises.flows import ESCALATION, NEEDS_DECISION
from accord.crises.schemas import Escalation
from accord.crises.service import (
    crisis_event,
    get_crisis,
    is_secretariat,
    require_version,
    timeline_entry,
)
from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.i18n import _
from accord.models.crisis import Crisis


def _affected(viewer: Viewer, crisis: Crisis) -> bool:
    return viewer.state == crisis.owner or viewer.state in crisis.affected_states


def _state_may_move(viewer: Viewer, crisis: Crisis, roles: frozenset[str]) -> bool:
    """The state half of the rule: duty officers of an affected state, the secretariat's own."""
    if "secretariat" in roles and is_secretariat(viewer):
        return True
    return "duty_officer" in roles and viewer.has_role("duty_officer") and _affected(viewer, crisis)


def possible_levels(viewer: Viewer, crisis: Crisis) -> list[str]:
    """The levels ``viewer`` may move ``crisis`` to now."""
    if not can_see(viewer, crisis):
        return []
    return [
        target
        for target in ESCALATION.targets(crisis.level, viewer.roles)
        if _state_may_move(
            viewer, crisis, ESCALATION.check(crisis.level, target, viewer.roles).roles
        )
    ]


def _council_decision_lookup():
    """The council's ``get_decision``, once that domain offers it."""
    try:
        module = importlib.import_module("accord.council.service")
    except ImportError:
        return None
    return getattr(module, "get_decision", None)


async def _check_decision(session: AsyncSession, viewer: Viewer, step: Escalation) -> None:
    reference = (step.decision_reference or "").strip()
    if step.decision_id is None and not reference:
        raise InvalidInput(
            _("decision: collective response needs the council's decision (its id or reference)"),
            field="decision_reference",
        )
    if step.decision_id is None:
        return
    lookup = _council_decision_lookup()
    if lookup is None:
        if not reference:
            raise InvalidInput(
                _("decision_id: council decisions cannot be looked up yet; give its reference"),
                field="decision_id",
            )
        return
    try:
        decision = await lookup(session, viewer, step.decision_id)
    except NotFound:
        decision = None
    if decision is None:
        raise InvalidInput(
            _("decision_id: no council decision {id} that you can see").format(id=step.decision_id),
            field="decision_id",
        )
    if getattr(decision, "adopted", True) is False:
        raise InvalidInput(
            _("decision_id: that council decision was not adopted"), field="decision_id"
        )


async def escalate(
    session: AsyncSession, viewer: Viewer, crisis_id: uuid.UUID, step: Escalation
) -> Crisis:
    """Move a crisis to another level by the escalation rule; the move is on its timeline."""
    crisis = await get_crisis(session, viewer, crisis_id)
    require_version(crisis, step.version)
    try:
        move = ESCALATION.check(crisis.level, step.level, viewer.roles)
    except Conflict as refused:
        raise Conflict(refused.message, field="level") from None
    if not _state_may_move(viewer, crisis, move.roles):
        raise Forbidden(
            _("moving this crisis from '{current}' to '{target}' is for {who}").format(
                current=crisis.level,
                target=step.level,
                who=_("the secretariat")
                if move.roles == frozenset({"secretariat"})
                else _("a duty officer of an affected state, or the secretariat"),
            )
        )
    details: dict[str, Any] = {}
    if step.level in NEEDS_DECISION:
        await _check_decision(session, viewer, step)
        crisis.decision_id = step.decision_id
        crisis.decision_reference = (step.decision_reference or "").strip()
        details = {
            "decision_id": str(step.decision_id) if step.decision_id else None,
            "decision_reference": crisis.decision_reference,
        }
    previous = crisis.level
    crisis.level = step.level
    crisis.level_changed_at = crisis.updated_at = utcnow()
    session.add(
        timeline_entry(
            crisis,
            viewer,
            "escalated",
            from_level=previous,
            to_level=step.level,
            reason=step.reason,
            **details,
        )
    )
    await session.flush()
    crisis_event(
        session,
        viewer,
        crisis,
        "escalated",
        {
            "from_level": previous,
            "to_level": step.level,
            "reason": step.reason,
            "version": crisis.version,
            **details,
        },
    )
    return crisis
