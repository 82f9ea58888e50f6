"""The rules of quota posts: terms, their posts, the computed distribution and who fills posts.

The members sharing the quota are the states with status ``member``. A distribution is an
immutable record (inputs, method, result); the council decision adopting it is recorded once,
with the states it binds. A state it does not bind keeps its posts vacant but reserved, or sees
them filled for the time being by nominees of bound states, as the decision says.
"""

from __future__ import annotations

import uuid
from fractions import Fraction
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import EVERYONE, SECRETARIAT, Classification, Viewer
from accord.budget import service as budget
from accord.clock import utcnow
from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.events.service import record_event
from accord.i18n import _
from accord.members import repository as members
from accord.models import MemberState
from accord.models.staffing_distribution import StaffingDistribution
from accord.models.staffing_post import StaffingPost
from accord.models.staffing_term import StaffingTerm
from accord.staffing import apportion, repository
from accord.staffing.schemas import (
    TERM_YEARS,
    Adoption,
    Allocation,
    DistributionCreate,
    DistributionRead,
    TermCreate,
    TermRead,
)

EDITING_ROLES = frozenset({"secretariat"})
METHOD = "webster_sainte_lague"
MARKING = Classification.RESTRICTED


def require_editor(viewer: Viewer) -> None:
    if viewer.state != SECRETARIAT or not viewer.has_role(*EDITING_ROLES):
        raise Forbidden(_("only the secretariat edits quota posts"))


def record_change(
    session: AsyncSession, viewer: Viewer, kind: str, subject: uuid.UUID, payload: dict
) -> None:
    record_event(
        session,
        actor=viewer.username,
        state=SECRETARIAT,
        kind=kind,
        subject=subject,
        payload=payload,
        classification=MARKING,
        releasable_to=[EVERYONE],
    )


def markings() -> dict[str, Any]:
    return {"owner": SECRETARIAT, "classification": MARKING, "releasable_to": [EVERYONE]}


async def sharing_members(session: AsyncSession) -> list[MemberState]:
    return [state for state in await members.list_states(session) if state.status == "member"]


# Terms


def term_name(term: StaffingTerm) -> str:
    return f"{term.start_year}–{term.end_year}"


def term_read(term: StaffingTerm, posts: list[StaffingPost]) -> TermRead:
    return TermRead(
        id=term.id,
        name=term_name(term),
        start_year=term.start_year,
        end_year=term.end_year,
        basis=term.basis,
        shares=dict(term.shares),
        weights=dict(term.weights),
        scale_year=term.scale_year,
        minimum=term.minimum,
        cap=term.cap,
        tie_break=term.tie_break,
        posts=len(posts),
        quota_posts=sum(1 for post in posts if not post.reserved),
        created_at=term.created_at,
        created_by=term.created_by,
        owner=term.owner,
        classification=Classification.parse(term.classification).name,
        releasable_to=term.releasable_to,
        version=term.version,
    )


def _weights(given: dict[str, Any]) -> dict[str, Fraction]:
    return {
        part: apportion.parse_fraction(value, f"weights.{part}") for part, value in given.items()
    }


async def entitlements(session: AsyncSession, term: StaffingTerm) -> dict[str, Fraction]:
    """Each sharing member's entitlement under the term's basis, exactly."""
    states = await sharing_members(session)
    codes = [state.code for state in states]
    if term.basis == "shares":
        given = apportion.shares_entitlement(term.shares)
        return {code: given.get(code, Fraction(0)) for code in codes}
    weights = _weights(term.weights) if term.basis == "weighted" else {}
    scale = None
    if term.basis == "budget_share" or weights.get("contribution"):
        scale = await budget.current_shares(session, term.scale_year or term.start_year)
        if scale is None:
            raise InvalidInput(
                _("scale_year: there is no scale of shares for {year}").format(
                    year=term.scale_year or term.start_year
                ),
                field="scale_year",
            )
    if term.basis == "budget_share":
        assert scale is not None
        return {code: scale.get(code, Fraction(0)) / 100 for code in codes}
    populations = {}
    for state in states:
        if weights.get("population") and not state.population:
            raise InvalidInput(
                _("weights: the population of {code} is not known").format(code=state.code),
                field="weights.population",
            )
        populations[state.code] = state.population or 0
    return apportion.weighted_entitlement(weights, populations, scale or {})


async def create_term(session: AsyncSession, viewer: Viewer, data: TermCreate) -> StaffingTerm:
    """A new term with its entitlement and rules; they are checked now, before any computing."""
    require_editor(viewer)
    if await repository.term_of_year(session, data.start_year) is not None:
        raise Conflict(
            _("start_year: a term starting in {year} exists").format(year=data.start_year),
            field="start_year",
        )
    if data.basis == "shares":
        apportion.shares_entitlement(data.shares)
    if data.basis == "weighted":
        weights = _weights(data.weights)
        apportion.weighted_entitlement(weights, {"X": 1}, {"X": Fraction(1)})
    if data.cap is not None and data.cap < data.minimum:
        raise InvalidInput(
            _("cap: the cap {cap} is below the minimum {minimum}").format(
                cap=data.cap, minimum=data.minimum
            ),
            field="cap",
        )
    term = StaffingTerm(
        id=uuid.uuid4(),
        start_year=data.start_year,
        end_year=data.start_year + TERM_YEARS - 1,
        basis=data.basis,
        shares={code: budget.percent(value) for code, value in sorted(data.shares.items())}
        if data.basis == "shares"
        else {},
        weights={part: str(value) for part, value in data.weights.items()}
        if data.basis == "weighted"
        else {},
        scale_year=data.scale_year
        if data.scale_year is not None or data.basis == "shares"
        else data.start_year,
        minimum=data.minimum,
        cap=data.cap,
        tie_break=data.tie_break,
        created_at=utcnow(),
        created_by=viewer.username,
        version=1,
        **markings(),
    )
    session.add(term)
    await session.flush()
    record_change(
        session,
        viewer,
        "staffing.term_created",
        term.id,
        {
            "term": term_name(term),
            "basis": term.basis,
            "shares": term.shares,
            "weights": term.weights,
            "scale_year": term.scale_year,
            "minimum": term.minimum,
            "cap": term.cap,
            "tie_break": term.tie_break,
        },
    )
    return term


async def get_term(session: AsyncSession, viewer: Viewer, term_id: uuid.UUID) -> StaffingTerm:
    term = await repository.get_term(session, viewer, term_id)
    if term is None:
        raise NotFound(_("no term {id}").format(id=term_id))
    return term


# The distribution


def tie_break_order(rule: str, states: list[MemberState]) -> list[str]:
    """The published tie-break as an order of members: the earlier wins an exact tie."""
    if rule == "population_desc":
        return [s.code for s in sorted(states, key=lambda s: (-(s.population or 0), s.code))]
    return sorted(state.code for state in states)


def distribution_read(distribution: StaffingDistribution) -> DistributionRead:
    return DistributionRead(
        id=distribution.id,
        term_id=distribution.term_id,
        method=distribution.method,
        inputs=distribution.inputs,
        result=[Allocation(**row) for row in distribution.result],
        tie_broken=distribution.tie_broken,
        computed_at=distribution.computed_at,
        computed_by=distribution.computed_by,
        decision_id=distribution.decision_id,
        states_bound=distribution.states_bound,
        unbound_posts=distribution.unbound_posts,
        adopted_at=distribution.adopted_at,
        owner=distribution.owner,
        classification=Classification.parse(distribution.classification).name,
        releasable_to=distribution.releasable_to,
    )


def _fraction_text(value: Fraction) -> str:
    return str(value)


async def compute_distribution(
    session: AsyncSession, viewer: Viewer, term_id: uuid.UUID, data: DistributionCreate
) -> StaffingDistribution:
    """Apportion the term's quota posts by Webster/Sainte-Laguë and store the result for good."""
    require_editor(viewer)
    term = await get_term(session, viewer, term_id)
    current = await repository.latest_distribution(session, term.id)
    if current is not None and current.adopted_at is not None:
        raise Conflict(
            _("the distribution of {term} is adopted; it is not computed again").format(
                term=term_name(term)
            )
        )
    posts = data.posts
    if posts is None:
        posts = sum(
            1 for post in await repository.all_posts_of(session, term.id) if not post.reserved
        )
    states = await sharing_members(session)
    shares = await entitlements(session, term)
    order = tie_break_order(term.tie_break, states)
    result = apportion.apportion(shares, posts, minimum=term.minimum, cap=term.cap, order=order)
    distribution = StaffingDistribution(
        id=uuid.uuid4(),
        term_id=term.id,
        method=METHOD,
        inputs={
            "posts": posts,
            "basis": term.basis,
            "shares": term.shares,
            "weights": term.weights,
            "scale_year": term.scale_year,
            "entitlements": {code: _fraction_text(value) for code, value in shares.items()},
            "minimum": term.minimum,
            "cap": term.cap,
            "tie_break": term.tie_break,
            "tie_break_order": order,
        },
        result=[
            {
                "state": share.code,
                "entitlement": _fraction_text(share.entitlement),
                "quota": _fraction_text(share.quota),
                "quota_decimal": apportion.quota_decimal(share.quota),
                "posts": share.posts,
            }
            for share in sorted(result.shares, key=lambda share: share.code)
        ],
        tie_broken=result.tie_broken,
        computed_at=utcnow(),
        computed_by=viewer.username,
        **markings(),
    )
    session.add(distribution)
    await session.flush()
    record_change(
        session,
        viewer,
        "staffing.distribution_computed",
        distribution.id,
        {"term": term_name(term), "posts": posts, "seats": result.seats(), "method": METHOD},
    )
    return distribution


async def get_distribution(
    session: AsyncSession, viewer: Viewer, term_id: uuid.UUID
) -> StaffingDistribution:
    term = await get_term(session, viewer, term_id)
    distribution = await repository.latest_distribution(session, term.id)
    if distribution is None:
        raise NotFound(
            _("the distribution of {term} is not computed yet").format(term=term_name(term))
        )
    return distribution


async def adopt_distribution(
    session: AsyncSession, viewer: Viewer, term_id: uuid.UUID, data: Adoption
) -> StaffingDistribution:
    """Record the council decision adopting the term's distribution; once only."""
    require_editor(viewer)
    distribution = await get_distribution(session, viewer, term_id)
    if distribution.adopted_at is not None:
        raise Conflict(_("this distribution is adopted already"))
    bound = await budget.resolve_states_bound(session, data.decision_id, data.states_bound)
    distribution.decision_id = data.decision_id
    distribution.states_bound = bound
    distribution.unbound_posts = data.unbound_posts
    distribution.adopted_at = utcnow()
    distribution.adopted_by = viewer.username
    await session.flush()
    record_change(
        session,
        viewer,
        "staffing.distribution_adopted",
        distribution.id,
        {
            "decision_id": str(data.decision_id) if data.decision_id else None,
            "states_bound": bound,
            "unbound_posts": data.unbound_posts,
        },
    )
    return distribution
