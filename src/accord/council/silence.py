"""The silence (written) procedure: a draft with an exact deadline, broken by the first objection.

Deadlines are UTC instants compared strictly against the server's time of receipt. Expiry runs
as a scheduled job (``accord.jobs``), so it happens even if nobody opens a page and the server
restarted meanwhile, and exactly once across processes.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer
from accord.clock import utcnow
from accord.council import repository
from accord.council.outcome import Outcome, Reason
from accord.errors import Conflict, InvalidInput
from accord.events.service import markings_of, record_event
from accord.i18n import N_, _
from accord.jobs import service as jobs
from accord.models.council_decision import CouncilDecision
from accord.notifications import service as notifications

EXPIRE = "accord.council.silence:expire"


def job_key(decision_id: uuid.UUID) -> str:
    return f"silence:{decision_id}"


def check_before_deadline(decision: CouncilDecision, received: datetime) -> None:
    """A position counts only when received strictly before the deadline."""
    assert decision.deadline is not None
    if not received < decision.deadline:
        raise Conflict(
            _("the silence procedure ended at {deadline}; nothing received since counts").format(
                deadline=decision.deadline.isoformat()
            ),
            field="deadline",
        )


async def launch_silence(
    session: AsyncSession,
    viewer: Viewer,
    decision_id: uuid.UUID,
    deadline: datetime,
    version: int | None = None,
) -> CouncilDecision:
    """The secretariat puts a draft to the silence procedure until ``deadline`` (UTC)."""
    from accord.council import service

    decision = await service.get_decision(session, viewer, decision_id)
    service._require_owner(viewer, decision)
    service._require_version(decision, version)
    service.DECISION_FLOW.check(decision.status, "silence", viewer.roles)
    now = utcnow()
    if not deadline > now:
        raise InvalidInput(_("deadline: it must lie in the future"), field="deadline")
    decision.status = "silence"
    decision.deadline = deadline
    decision.launched_at = now
    await session.flush()
    await jobs.schedule(
        session,
        key=job_key(decision.id),
        kind=EXPIRE,
        due_at=deadline,
        payload={"decision_id": str(decision.id)},
    )
    record_event(
        session,
        actor=viewer.username,
        kind="decision.silence_launched",
        subject=decision.id,
        payload={"deadline": deadline.isoformat(), "title": decision.title},
        **markings_of(decision),
    )
    await tell_members(
        session,
        decision,
        kind="decision.silence_launched",
        message=N_("Silence procedure launched on “{title}” until {deadline} UTC"),
        params={"title": decision.title, "deadline": deadline.strftime("%Y-%m-%d %H:%M:%S")},
    )
    return decision


async def break_silence(
    session: AsyncSession, decision: CouncilDecision, state: str, actor: str
) -> None:
    """The first objection or amendment before the deadline: not adopted, everyone told."""
    from accord.council import service

    reason = Reason(code="silence_broken", rule=decision.rule, blocking=(state,))
    await service.store_outcome(session, decision, Outcome(False, reason), actor)
    await jobs.cancel(session, job_key(decision.id))
    record_event(
        session,
        actor=actor,
        kind="decision.silence_broken",
        subject=decision.id,
        payload={"state": state, "title": decision.title},
        **markings_of(decision),
    )
    await tell_members(
        session,
        decision,
        kind="decision.silence_broken",
        message=N_("The silence on “{title}” was broken by {state}"),
        params={"title": decision.title, "state": state},
    )


async def expire(session: AsyncSession, payload: dict[str, Any]) -> None:
    """The scheduled end of a silence procedure: adopted and numbered when nobody objected."""
    from accord.council import service

    decision = await repository.get_decision_unfiltered(
        session, uuid.UUID(payload["decision_id"]), lock=True
    )
    if decision is None or decision.status != "silence":
        return  # broken meanwhile, or already ended: nothing to do, and nothing twice
    assert decision.deadline is not None
    if utcnow() < decision.deadline:
        raise RuntimeError("the silence procedure has not reached its deadline yet")
    outcome = await service.compute_outcome(session, decision)
    await service.store_outcome(session, decision, outcome, service.SYSTEM)
    await tell_members(
        session,
        decision,
        kind="decision.adopted" if outcome.adopted else "decision.not_adopted",
        message=N_("“{title}” adopted under the silence procedure as {number}")
        if outcome.adopted
        else N_("“{title}” not adopted under the silence procedure"),
        params={"title": decision.title, "number": decision.number or ""},
    )


async def tell_members(
    session: AsyncSession,
    decision: CouncilDecision,
    *,
    kind: str,
    message: str,
    params: dict[str, Any],
) -> None:
    """Notify every user who may see the decision (the event reaches the live stream anyway)."""
    await notifications.notify_viewers(
        session,
        decision,
        kind=kind,
        message=message,
        params=params,
        link=f"/council/decisions/{decision.id}",
    )


async def due_procedures(session: AsyncSession, viewer: Viewer) -> list[CouncilDecision]:
    """Silence procedures running now that the viewer may see, soonest deadline first."""
    rows, _cursor = await repository.list_decisions(
        session, viewer, statuses=("silence",), limit=500
    )
    return sorted(rows, key=lambda row: row.deadline or utcnow())
