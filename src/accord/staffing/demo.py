"""This domain's part of the demo scenario, loaded idempotently by `accord demo`."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from accord.budget.demo import SCALES, SECRETARIAT_OFFICER, council_decision, load_scales
from accord.staffing import posts, repository, service
from accord.staffing.schemas import Adoption, DistributionCreate, PostCreate, TermCreate

RESERVED = [
    ("Secretary General", "SG", "secretariat"),
    ("Deputy Secretary General", "DSG", "secretariat"),
    ("Deputy Secretary General", "DSG", "secretariat"),
    ("Chief of the Joint Staff", "CJS", "joint_staff"),
]
QUOTA_POSTS = [
    ("Head of the political department", "D1", "secretariat", 1),
    ("Head of the legal department", "D1", "secretariat", 1),
    ("Head of the administration and finance department", "D1", "secretariat", 1),
    ("Counsellor, political department", "P5", "secretariat", 3),
    ("Legal adviser", "P4", "secretariat", 2),
    ("Budget officer", "P4", "secretariat", 2),
    ("Press officer, joint press centre", "P3", "secretariat", 2),
    ("Translator", "P3", "secretariat", 2),
    ("Head of the operations directorate", "D1", "joint_staff", 1),
    ("Head of the crisis response centre", "D1", "joint_staff", 1),
    ("Operations officer", "P4", "joint_staff", 4),
    ("Planning officer, peacekeeping", "P4", "joint_staff", 3),
    ("Logistics officer", "P3", "joint_staff", 3),
    ("Communications officer", "P3", "joint_staff", 4),
]


async def load(session: AsyncSession) -> None:
    """The 2024–2026 term: 30 quota posts and 4 reserved, shared by the 2024 budget shares."""
    if await repository.term_of_year(session, 2024) is not None:
        return
    await load_scales(session)
    officer = SECRETARIAT_OFFICER
    term = await service.create_term(
        session,
        officer,
        TermCreate(start_year=2024, basis="budget_share", minimum=1, tie_break="population_desc"),
    )
    for title, grade, body in RESERVED:
        data = PostCreate(term_id=term.id, title=title, grade=grade, body=body, reserved=True)
        await posts.create_post(session, officer, data)
    for title, grade, body, count in QUOTA_POSTS:
        for _index in range(count):
            data = PostCreate(term_id=term.id, title=title, grade=grade, body=body)
            await posts.create_post(session, officer, data)
    await service.compute_distribution(session, officer, term.id, DistributionCreate())
    decision_id = await council_decision(session, "QUOTA_POSTS")
    adoption = Adoption(
        decision_id=decision_id,
        states_bound=None if decision_id else sorted(SCALES[2024]),
        unbound_posts="vacant_reserved",
    )
    await service.adopt_distribution(session, officer, term.id, adoption)
