"""The rules of draft decisions: drafting, positions, closing a vote, the states bound.

``get_decision`` and ``states_bound`` are the public face other domains use (crises name an
adopting decision, budget shares and quota posts depend on the states bound).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from accord.access import Classification, Viewer, can_change
from accord.clock import utcnow
from accord.council import repository
from accord.council.outcome import BLOCKING, Member, Outcome, Position, Reason, Rule, decide
from accord.council.reasons import describe
from accord.council.rules import rule_for
from accord.council.schemas import (
    DecisionChange,
    DecisionCreate,
    DecisionDetail,
    DecisionRead,
    PositionCreate,
    PositionRead,
    VersionRead,
)
from accord.council.sessions import (
    SECRETARIAT_ROLES,
    body_named,
    get_council_session,
    require_secretariat,
    resolve_markings,
)
from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.events.service import markings_of, note_secret_read, record_event
from accord.i18n import _
from accord.members import repository as members
from accord.members import service as members_service
from accord.models import Body
from accord.models.council_decision import CouncilDecision
from accord.models.council_decision_version import CouncilDecisionVersion
from accord.models.council_position import CouncilPosition
from accord.models.council_session import CouncilSession
from accord.workflow import Move, Workflow

SYSTEM = "system"
DECISION_FLOW = Workflow(
    "decision",
    ("draft", "open", "silence", "adopted", "not_adopted", "withdrawn"),
    (
        Move("draft", "open", SECRETARIAT_ROLES),
        Move("draft", "silence", SECRETARIAT_ROLES),
        Move("draft", "withdrawn", SECRETARIAT_ROLES),
        Move("open", "adopted", SECRETARIAT_ROLES),
        Move("open", "not_adopted", SECRETARIAT_ROLES),
        # The silence procedure ends by itself: broken by an objection or expired.
        Move("silence", "adopted"),
        Move("silence", "not_adopted"),
    ),
)
TAKING_POSITIONS = ("open", "silence")
NOT_ATTENDING = ("absent", "declined")


# Reading


async def decision_read(
    session: AsyncSession, decision: CouncilDecision, *, detail: bool = False
) -> DecisionRead | DecisionDetail:
    """The decision as the API gives it, its reason rendered in the reader's language."""
    body = await repository.body_by_id(session, decision.body_id)
    versions = await repository.versions(session, decision.id)
    latest = versions[-1] if versions else None
    reason_text = None
    if decision.reason:
        names = await members_service.state_names(session)
        reason_text = describe(Reason.from_dict(decision.reason), names)
    values: dict[str, Any] = {
        "id": decision.id,
        "body": body.code if body else "",
        "title": decision.title,
        "session_id": decision.session_id,
        "agenda_item_id": decision.agenda_item_id,
        "procedure": decision.procedure,
        "procedural": decision.procedural,
        "status": decision.status,
        "rule": decision.rule,
        "rule_params": decision.rule_params,
        "concerned": decision.concerned,
        "deadline": decision.deadline,
        "closed_at": decision.closed_at,
        "adopted": decision.adopted,
        "reason": decision.reason,
        "reason_text": reason_text,
        "states_bound": decision.states_bound,
        "number": decision.number,
        "texts": latest.texts if latest else {},
        "text_version": latest.number if latest else 0,
        "owner": decision.owner,
        "classification": Classification.parse(decision.classification).name,
        "releasable_to": decision.releasable_to,
        "version": decision.version,
    }
    if not detail:
        return DecisionRead(**values)
    return DecisionDetail(
        **values,
        versions=[version_read(v) for v in versions],
        positions=[position_read(p) for p in await repository.positions(session, decision.id)],
    )


def version_read(version: CouncilDecisionVersion) -> VersionRead:
    return VersionRead(
        number=version.number,
        texts=version.texts,
        note=version.note,
        created_at=version.created_at,
        created_by=version.created_by,
    )


def position_read(position: CouncilPosition) -> PositionRead:
    return PositionRead(
        state=position.state,
        position=position.position,
        text=position.text,
        written=position.written,
        signed_by=position.signed_by,
        received_at=position.received_at,
        recorded_by=position.recorded_by,
    )


async def get_decision(
    session: AsyncSession, viewer: Viewer, decision_id: uuid.UUID
) -> CouncilDecision:
    """One decision the viewer may see; 404 whether it is absent or hidden."""
    decision = await repository.get_decision(session, viewer, decision_id)
    if decision is None:
        raise NotFound(_("no decision {id}").format(id=decision_id))
    note_secret_read(session, viewer, decision, "decision")
    return decision


async def states_bound(session: AsyncSession, decision_id: uuid.UUID) -> list[str]:
    """The states an adopted decision binds (empty while it is not adopted)."""
    decision = await repository.get_decision_unfiltered(session, decision_id)
    if decision is None:
        raise NotFound(_("no decision {id}").format(id=decision_id))
    return list(decision.states_bound or []) if decision.adopted else []


# Drafting


def _require_owner(viewer: Viewer, decision: CouncilDecision) -> None:
    if not can_change(viewer, decision, SECRETARIAT_ROLES):
        raise Forbidden(_("only the secretariat drafts decisions and runs procedures"))


def _require_version(decision: CouncilDecision, version: int | None) -> None:
    if version is not None and decision.version != version:
        raise Conflict(
            _(
                "someone changed this decision meanwhile (you had version {yours}, it is now "
                "version {current}): reload it"
            ).format(yours=version, current=decision.version),
            field="version",
        )


async def _draft_target(
    session: AsyncSession, viewer: Viewer, data: DecisionCreate
) -> tuple[Body, Any, Any]:
    if data.session_id is None:
        if data.agenda_item_id is not None:
            raise InvalidInput(
                _("session_id: an agenda item belongs to a session; name it"), field="session_id"
            )
        return await body_named(session, data.body or "csc"), None, None
    council_session = await get_council_session(session, viewer, data.session_id)
    body = await repository.body_by_id(session, council_session.body_id)
    assert body is not None
    item = None
    if data.agenda_item_id is not None:
        item = await repository.get_agenda_item(session, data.agenda_item_id)
        if item is None or item.session_id != council_session.id:
            raise InvalidInput(
                _("agenda_item_id: no such item on this session's agenda"),
                field="agenda_item_id",
            )
    return body, council_session, item


async def draft_decision(
    session: AsyncSession, viewer: Viewer, data: DecisionCreate
) -> CouncilDecision:
    """A new draft, at a session or for the written procedure, with its first version."""
    require_secretariat(viewer)
    body, council_session, item = await _draft_target(session, viewer, data)
    for index, code in enumerate(data.concerned):
        if await members.get_state(session, code) is None:
            raise InvalidInput(
                _("concerned: {code} is not a state of the organisation").format(code=code),
                field=f"concerned.{index}",
            )
    default = council_session.classification if council_session else Classification.RESTRICTED
    classification, releasable = await resolve_markings(
        session,
        viewer,
        data.classification,
        data.releasable_to or (council_session.releasable_to if council_session else None),
        default=default,
    )
    procedural = data.procedural if data.procedural is not None else bool(item and item.procedural)
    now = utcnow()
    decision = CouncilDecision(
        id=uuid.uuid4(),
        body_id=body.id,
        session_id=council_session.id if council_session else None,
        agenda_item_id=item.id if item else None,
        title=data.title,
        procedure="session" if council_session else "written",
        procedural=procedural,
        status="draft",
        rule=body.decision_rule,
        rule_params=rule_for(body.decision_rule, body.code).params(),
        concerned=sorted(set(data.concerned)),
        accessions=[],
        owner=viewer.state,
        classification=classification,
        releasable_to=releasable,
        created_at=now,
        created_by=viewer.username,
        version=1,
    )
    session.add(decision)
    await session.flush()
    session.add(
        CouncilDecisionVersion(
            decision_id=decision.id,
            number=1,
            texts=data.texts,
            note="",
            created_at=now,
            created_by=viewer.username,
        )
    )
    record_event(
        session,
        actor=viewer.username,
        kind="decision.drafted",
        subject=decision.id,
        payload={"title": decision.title, "procedure": decision.procedure, "rule": decision.rule},
        **markings_of(decision),
    )
    return decision


async def change_decision(
    session: AsyncSession, viewer: Viewer, decision_id: uuid.UUID, change: DecisionChange
) -> CouncilDecision:
    """Change a draft's title or markings, or add a version of its texts; drafts only."""
    decision = await get_decision(session, viewer, decision_id)
    _require_owner(viewer, decision)
    _require_version(decision, change.version)
    if decision.status != "draft":
        raise Conflict(
            _("only a draft changes; this decision is {status}").format(status=decision.status),
            field="status",
        )
    changes: dict[str, Any] = {}
    if change.title is not None and change.title != decision.title:
        changes["title"] = [decision.title, change.title]
        decision.title = change.title
    if change.classification is not None or change.releasable_to is not None:
        level, codes = await resolve_markings(
            session,
            viewer,
            change.classification,
            change.releasable_to or decision.releasable_to,
            default=Classification.parse(decision.classification),
        )
        decision.classification, decision.releasable_to = level, codes
        changes["markings"] = [level.name, codes]
    if change.texts is not None:
        versions = await repository.versions(session, decision.id)
        number = (versions[-1].number if versions else 0) + 1
        session.add(
            CouncilDecisionVersion(
                decision_id=decision.id,
                number=number,
                texts=change.texts,
                note=change.note,
                created_at=utcnow(),
                created_by=viewer.username,
            )
        )
        changes["text_version"] = number
        # A new text is a change of the decision, so that a stale edit elsewhere is refused.
        flag_modified(decision, "title")
    if not changes:
        return decision
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind="decision.changed",
        subject=decision.id,
        payload={"changes": changes},
        **markings_of(decision),
    )
    return decision


async def open_vote(
    session: AsyncSession, viewer: Viewer, decision_id: uuid.UUID, version: int | None = None
) -> CouncilDecision:
    """Open a draft at its session for the member states' positions."""
    decision = await get_decision(session, viewer, decision_id)
    _require_owner(viewer, decision)
    _require_version(decision, version)
    if decision.procedure != "session":
        raise Conflict(
            _("a draft for the written procedure is launched with a deadline, not opened"),
            field="procedure",
        )
    DECISION_FLOW.check(decision.status, "open", viewer.roles)
    decision.status = "open"
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind="decision.opened",
        subject=decision.id,
        payload={"status": "open"},
        **markings_of(decision),
    )
    return decision


# Positions


async def _attendance_of(session: AsyncSession, decision: CouncilDecision) -> dict[str, str]:
    if decision.session_id is None:
        return {}
    return {
        row.state: row.status for row in await repository.attendance(session, decision.session_id)
    }


async def _check_position_taker(session: AsyncSession, viewer: Viewer, data: PositionCreate) -> str:
    """The state whose position this is; only its delegate, or the secretariat for a letter."""
    if data.state is not None and data.state != viewer.state:
        if not (viewer.has_role(*SECRETARIAT_ROLES) and data.written):
            raise Forbidden(_("only a state's delegate records that state's position"))
        state = data.state
    else:
        if not viewer.has_role("delegate"):
            raise Forbidden(_("only a state's delegate records that state's position"))
        state = viewer.state
    member = await members.get_state(session, state)
    if member is None:
        raise Forbidden(_("only a state's delegate records that state's position"))
    if member.status != "member":
        raise Forbidden(
            _("{state} is {status}: it takes no position on decisions").format(
                state=state, status=member.status
            )
        )
    return state


def _check_position_text(data: PositionCreate) -> None:
    if data.position in ("statement", "amend") and not data.text.strip():
        raise InvalidInput(
            _("text: a {position} needs its text").format(position=data.position), field="text"
        )
    if data.written and not data.signed_by.strip():
        raise InvalidInput(
            _("signed_by: a written position names who signed it"), field="signed_by"
        )


async def record_position(
    session: AsyncSession, viewer: Viewer, decision_id: uuid.UUID, data: PositionCreate
) -> CouncilPosition:
    """A member state's position on an open draft or one under the silence procedure."""
    from accord.council import silence

    decision = await get_decision(session, viewer, decision_id)
    state = await _check_position_taker(session, viewer, data)
    _check_position_text(data)
    received = utcnow()
    if decision.status not in TAKING_POSITIONS:
        raise Conflict(
            _("this decision takes no positions: it is {status}").format(status=decision.status),
            field="status",
        )
    if decision.status == "silence":
        silence.check_before_deadline(decision, received)
    attendance = await _attendance_of(session, decision)
    if (
        data.written
        and decision.procedure == "session"
        and attendance.get(state)
        not in (
            *NOT_ATTENDING,
            None,
        )
    ):
        raise InvalidInput(
            _("written: {state} attends the session and states its position there").format(
                state=state
            ),
            field="written",
        )
    row = await repository.get_position(session, decision.id, state)
    changed = row is not None
    if row is None:
        row = CouncilPosition(id=uuid.uuid4(), decision_id=decision.id, state=state)
        session.add(row)
    row.position = data.position
    row.text = data.text
    row.written = data.written
    row.signed_by = data.signed_by.strip()
    row.received_at = received
    row.recorded_by = viewer.username
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind="decision.position_changed" if changed else "decision.position_recorded",
        subject=decision.id,
        payload=position_read(row).model_dump(mode="json"),
        **markings_of(decision),
    )
    if decision.status == "silence" and data.position in BLOCKING:
        await silence.break_silence(session, decision, state, viewer.username)
    return row


async def accede(session: AsyncSession, viewer: Viewer, decision_id: uuid.UUID) -> CouncilDecision:
    """A state that did not participate joins an adopted decision later, and is bound by it."""
    decision = await get_decision(session, viewer, decision_id)
    state = await _check_position_taker(session, viewer, PositionCreate(position="support"))
    row = await repository.get_position(session, decision.id, state)
    if not decision.adopted or row is None or row.position != "non_participation":
        raise Conflict(
            _("only a state that did not participate joins an adopted decision later"),
            field="status",
        )
    if state not in decision.accessions:
        decision.accessions = sorted({*decision.accessions, state})
        decision.states_bound = sorted({*(decision.states_bound or []), state})
        await session.flush()
        record_event(
            session,
            actor=viewer.username,
            kind="decision.acceded",
            subject=decision.id,
            payload={"state": state},
            **markings_of(decision),
        )
    return decision


# The outcome


async def members_of(session: AsyncSession) -> list[Member]:
    return [
        Member(state.code, state.status, state.population)
        for state in await members.list_states(session)
    ]


async def compute_outcome(
    session: AsyncSession, decision: CouncilDecision, *, silent_means: str = "no_objection"
) -> Outcome:
    """The outcome from the stored positions; attending members who said nothing do not object."""
    rule = Rule.from_params(decision.rule_params or {"kind": decision.rule})
    member_list = await members_of(session)
    attendance = await _attendance_of(session, decision)
    stored = {
        row.state: Position(row.position, row.written, row.text)
        for row in await repository.positions(session, decision.id)
    }
    positions = dict(stored)
    for member in member_list:
        if member.code in positions:
            continue
        attending = attendance.get(member.code) in ("present", "represented")
        if decision.procedure == "written" or attending:
            positions[member.code] = Position(silent_means)
    if rule.kind == "unanimity_constructive_abstention":
        missing = [m.code for m in member_list if m.status == "member" and m.population is None]
        if missing:
            raise InvalidInput(
                _("the rule weighs by population, which is unknown for {states}").format(
                    states=", ".join(missing)
                ),
                field="rule",
            )
    return decide(
        rule,
        member_list,
        positions,
        procedural=decision.procedural,
        concerned=decision.concerned,
        accessions=decision.accessions,
    )


async def number_decision(session: AsyncSession, decision: CouncilDecision) -> None:
    """Give an adopted decision the next number of its body and year."""
    year = decision.closed_at.year if decision.closed_at else utcnow().year
    if decision.session_id is not None:
        council_session = await session.get(CouncilSession, decision.session_id)
        if council_session is not None:
            year = council_session.year
    body = await repository.body_by_id(session, decision.body_id)
    if session.bind.dialect.name == "postgresql":
        # Two adoptions of one body and year committing together would read the same last
        # number; the lock, held to the end of the transaction, makes the second wait.
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
            {"key": f"council-number:{decision.body_id}:{year}"},
        )
    decision.year = year
    decision.sequence = await repository.next_sequence(session, decision.body_id, year)
    code = (body.code if body else "").upper()
    decision.number = f"{code} {year}/{decision.sequence}"


async def store_outcome(
    session: AsyncSession, decision: CouncilDecision, outcome: Outcome, actor: str
) -> None:
    """Record the outcome, its reason and the states bound; number an adopted decision."""
    decision.status = "adopted" if outcome.adopted else "not_adopted"
    decision.adopted = outcome.adopted
    decision.reason = outcome.reason.as_dict()
    decision.states_bound = list(outcome.states_bound)
    decision.closed_at = utcnow()
    if outcome.adopted:
        await number_decision(session, decision)
    await session.flush()
    record_event(
        session,
        actor=actor,
        kind="decision.adopted" if outcome.adopted else "decision.not_adopted",
        subject=decision.id,
        payload={
            "number": decision.number,
            "reason": decision.reason,
            "states_bound": decision.states_bound,
        },
        **markings_of(decision),
    )


async def close_vote(
    session: AsyncSession, viewer: Viewer, decision_id: uuid.UUID, version: int | None = None
) -> CouncilDecision:
    """Close an open vote: compute and store the outcome, its reason and the states bound."""
    decision = await get_decision(session, viewer, decision_id)
    _require_owner(viewer, decision)
    _require_version(decision, version)
    outcome = await compute_outcome(session, decision)
    DECISION_FLOW.check(
        decision.status, "adopted" if outcome.adopted else "not_adopted", viewer.roles
    )
    await store_outcome(session, decision, outcome, viewer.username)
    return decision
