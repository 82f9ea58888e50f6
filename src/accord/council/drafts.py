"""What the secretariat does with a draft besides putting it to the vote: withdraw it, or start
again from one that was not adopted (a broken silence procedure, a vote that failed).

A closed decision keeps its record (positions, outcome, reason); starting again makes a new draft
with the same texts, at a session's agenda or for a new written procedure.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Classification, Viewer
from accord.council import repository, service
from accord.council.schemas import (
    AgendaItemCreate,
    DecisionCreate,
    DecisionRedraft,
    DecisionWithdraw,
)
from accord.council.sessions import add_agenda_item
from accord.errors import Conflict
from accord.events.service import markings_of, record_event
from accord.i18n import _
from accord.models.council_decision import CouncilDecision

RESTARTABLE = ("not_adopted", "withdrawn")


async def withdraw_decision(
    session: AsyncSession, viewer: Viewer, decision_id: uuid.UUID, data: DecisionWithdraw
) -> CouncilDecision:
    """Withdraw a draft before it is put to the vote; it takes no positions after."""
    decision = await service.get_decision(session, viewer, decision_id)
    service._require_owner(viewer, decision)
    service._require_version(decision, data.version)
    service.DECISION_FLOW.check(decision.status, "withdrawn", viewer.roles)
    decision.status = "withdrawn"
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind="decision.withdrawn",
        subject=decision.id,
        payload={"status": "withdrawn", "reason": data.reason.strip()},
        **markings_of(decision),
    )
    return decision


async def redraft_decision(
    session: AsyncSession, viewer: Viewer, decision_id: uuid.UUID, data: DecisionRedraft
) -> CouncilDecision:
    """A new draft from a decision not adopted or withdrawn, with its latest texts.

    With ``session_id`` the draft goes on that session's agenda (on ``agenda_item_id``, or on
    a new item at the end); without, it is a draft for a new written procedure.
    """
    old = await service.get_decision(session, viewer, decision_id)
    service._require_owner(viewer, old)
    if old.status not in RESTARTABLE:
        raise Conflict(
            _(
                "only a decision that was not adopted or was withdrawn starts again; "
                "this one is {status}"
            ).format(status=old.status),
            field="status",
        )
    versions = await repository.versions(session, old.id)
    item_id = data.agenda_item_id
    if data.session_id is not None and item_id is None:
        item = await add_agenda_item(
            session,
            viewer,
            data.session_id,
            AgendaItemCreate(title=old.title, procedural=old.procedural),
        )
        item_id = item.id
    body = await repository.body_by_id(session, old.body_id)
    new = await service.draft_decision(
        session,
        viewer,
        DecisionCreate(
            title=old.title,
            texts=versions[-1].texts if versions else {},
            body=body.code if body else None,
            session_id=data.session_id,
            agenda_item_id=item_id,
            procedural=old.procedural,
            concerned=list(old.concerned),
            classification=Classification.parse(old.classification),
            releasable_to=list(old.releasable_to),
        ),
    )
    if versions:
        versions_of_new = await repository.versions(session, new.id)
        versions_of_new[0].note = f"redrafted from {old.id}"
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind="decision.redrafted",
        subject=old.id,
        payload={"draft": str(new.id), "session_id": str(data.session_id or "")},
        **markings_of(old),
    )
    return new
