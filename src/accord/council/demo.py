"""The council's part of the demo: the Minsk 2023 session and the next one, loaded idempotently.

Armenia declined to attend and agreed to every decision in writing; the five others were
present and supported; the fifteen decisions were adopted by consensus. Documents and press link
to these records through ``minsk_session_id`` and ``decision_by_title``.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import SECRETARIAT, Classification, Viewer
from accord.council import repository, service
from accord.council import sessions as sessions_service
from accord.council.schemas import (
    AgendaItemCreate,
    AttendanceSet,
    DecisionCreate,
    PositionCreate,
    SessionCreate,
)
from accord.models.council_decision import CouncilDecision

MINSK_TITLE = "Session of the Collective Security Council, Minsk 2023"
NEXT_TITLE = "Session of the Collective Security Council, Astana 2024"
PRESENT = ("BLR", "KAZ", "KGZ", "RUS", "TJK")
ABSENT = "ARM"
ARMENIA_SIGNATORY = "Prime Minister of the Republic of Armenia"
# Stable titles: documents, budget, posts and press find the decisions by them.
DECLARATION = "Declaration of the Collective Security Council (Minsk, 23 November 2023)"
CRISIS_RESPONSE = "Decision on developing the crisis response system of the organisation"
PRESS_CENTRE = "Regulation on the joint press centre of the organisation"
APPOINTMENT = "Decision on the appointment of the chief of the joint staff"
QUOTA_POSTS = "Decision on the distribution of quota posts for 2024–2026"
JOINT_STAFF = "Decision on the structure of the joint staff"
BUDGET_2024 = "Decision on the budget of the organisation for 2024"
DEMO_DECISIONS = (
    DECLARATION,
    CRISIS_RESPONSE,
    PRESS_CENTRE,
    APPOINTMENT,
    QUOTA_POSTS,
    JOINT_STAFF,
    BUDGET_2024,
    "Decision on the chairmanship of the organisation in 2024",
    "Decision on the plan of joint exercises of the collective forces for 2024",
    "Decision on the programme of countering illicit drug trafficking for 2024–2028",
    "Decision on joint measures against illegal migration",
    "Decision on co-operation in information security",
    "Decision on the collective peacekeeping forces",
    "Decision on the report of the secretary general on the organisation's activities in 2023",
    "Decision on the date and venue of the next session of the Collective Security Council",
)
SECRETARIAT_VIEWER = Viewer(
    SECRETARIAT,
    Classification.SECRET,
    frozenset({"secretariat"}),
    username="org.secretariat",
)


def _delegate(state: str) -> Viewer:
    return Viewer(
        state,
        Classification.CONFIDENTIAL,
        frozenset({"delegate"}),
        username=f"{state.lower()}.delegate",
    )


async def minsk_session_id(session: AsyncSession) -> uuid.UUID | None:
    """The id of the demo's Minsk 2023 session, if the demo is loaded."""
    record = await repository.find_session_by_title(session, MINSK_TITLE)
    return record.id if record else None


async def decision_by_title(session: AsyncSession, title: str) -> CouncilDecision | None:
    """A decision of the Minsk session by its title (see ``DEMO_DECISIONS``)."""
    return await repository.find_decision_by_title(session, title, await minsk_session_id(session))


async def _minsk(session: AsyncSession) -> None:
    viewer = SECRETARIAT_VIEWER
    record = await sessions_service.plan_session(
        session,
        viewer,
        SessionCreate(
            body="csc",
            title=MINSK_TITLE,
            kind="regular",
            format="narrow",
            held_on=date(2023, 11, 23),
            city="Minsk",
            venue="Palace of Independence",
            chair="BLR",
            public=True,
        ),
    )
    await sessions_service.set_attendance(
        session, viewer, record.id, AttendanceSet(state=ABSENT, status="declined")
    )
    for state in PRESENT:
        await sessions_service.set_attendance(
            session, viewer, record.id, AttendanceSet(state=state, status="present")
        )
    for title in DEMO_DECISIONS:
        item = await sessions_service.add_agenda_item(
            session, viewer, record.id, AgendaItemCreate(title=title)
        )
        decision = await service.draft_decision(
            session,
            viewer,
            DecisionCreate(
                title=title,
                texts={"en": f"{title}.", "ru": f"{title}."},
                session_id=record.id,
                agenda_item_id=item.id,
            ),
        )
        await service.open_vote(session, viewer, decision.id)
        await service.record_position(
            session,
            _delegate(ABSENT),
            decision.id,
            PositionCreate(position="support", written=True, signed_by=ARMENIA_SIGNATORY),
        )
        for state in PRESENT:
            await service.record_position(
                session, _delegate(state), decision.id, PositionCreate(position="support")
            )
        await service.close_vote(session, viewer, decision.id)


async def load(session: AsyncSession) -> None:
    """Add the Minsk 2023 session and the next one, fixed as "Q4 2024, Astana"; idempotent."""
    if await repository.find_session_by_title(session, MINSK_TITLE) is None:
        await _minsk(session)
    if await repository.find_session_by_title(session, NEXT_TITLE) is None:
        await sessions_service.plan_session(
            session,
            SECRETARIAT_VIEWER,
            SessionCreate(
                body="csc",
                title=NEXT_TITLE,
                kind="regular",
                format="narrow",
                year=2024,
                quarter=4,
                city="Astana",
                chair="KAZ",
                public=True,
            ),
        )
