"""The rules of the budget: scales of shares, adopted budgets, assessments, payments, arrears.

A member the budget decision does not bind is not assessed. What happens to its share is
stored with each budget (``unbound_share``): ``left`` (the default) keeps every bound member at
its own share of the scale and leaves that part of the budget unfunded, since no member agreed to
pay more than its share; ``redistributed`` spreads it over the bound members in proportion to
their shares, when the decision says so.
"""

from __future__ import annotations

import importlib
import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import EVERYONE, SECRETARIAT, Classification, Viewer
from accord.budget import repository
from accord.budget.schemas import (
    Assessment,
    BudgetCreate,
    BudgetRead,
    PaymentCreate,
    PaymentRead,
    ScaleCreate,
    ScaleRead,
    SummaryRow,
)
from accord.clock import utcnow
from accord.config import get_settings
from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.events.service import record_event
from accord.i18n import _
from accord.members import repository as members
from accord.models.budget_payment import BudgetPayment
from accord.models.budget_scale import BudgetScale
from accord.models.budget_year import BudgetYear

EDITING_ROLES = frozenset({"secretariat"})
CENT = Decimal("0.01")
# The budget is for the members and the secretariat, not the public.
MARKING = Classification.RESTRICTED


def currencies() -> tuple[str, ...]:
    """The currencies payments may be made in (setting ``ACCORD_BUDGET_CURRENCIES``)."""
    return tuple(get_settings().budget_currencies.split(","))


def require_editor(viewer: Viewer) -> None:
    if viewer.state != SECRETARIAT or not viewer.has_role(*EDITING_ROLES):
        raise Forbidden(_("only the secretariat edits the budget"))


def money(value: Decimal | Fraction) -> str:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return str(value.quantize(CENT, rounding=ROUND_HALF_EVEN))


def percent(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


# States bound by a decision


def _council_states_bound():
    # The council may be absent from an installation being built up; then the caller names
    # the states bound itself.
    try:
        module = importlib.import_module("accord.council.service")
    except ImportError:
        return None
    return getattr(module, "states_bound", None)


async def _check_members(session: AsyncSession, codes: Iterable[str], field: str) -> list[str]:
    known = {state.code for state in await members.list_states(session)}
    result = sorted(set(codes))
    for code in result:
        if code not in known:
            raise InvalidInput(
                _("{field}: {code} is not a member state").format(field=field, code=code),
                field=field,
            )
    return result


async def check_member(session: AsyncSession, code: str, field: str) -> None:
    """InvalidInput naming ``field`` unless ``code`` is a member state."""
    await _check_members(session, [code], field)


async def resolve_states_bound(
    session: AsyncSession, decision_id: uuid.UUID | None, given: list[str] | None
) -> list[str]:
    """The states a decision binds: from the council where it knows the decision, else given."""
    lookup = _council_states_bound()
    if decision_id is not None and lookup is not None:
        try:
            bound = sorted(set(await lookup(session, decision_id)))
        except NotFound:
            raise InvalidInput(
                _("decision_id: no council decision {id}").format(id=decision_id),
                field="decision_id",
            ) from None
        if not bound:
            raise InvalidInput(
                _("decision_id: the decision is not adopted, so it binds no state yet"),
                field="decision_id",
            )
        if given is not None and sorted(set(given)) != bound:
            raise InvalidInput(
                _("states_bound: the decision binds {codes}").format(codes=", ".join(bound)),
                field="states_bound",
            )
        return bound
    if given is None:
        raise InvalidInput(
            _("states_bound: name the states the decision binds"), field="states_bound"
        )
    return await _check_members(session, given, "states_bound")


# Scales


def scale_read(scale: BudgetScale) -> ScaleRead:
    return ScaleRead(
        id=scale.id,
        year=scale.year,
        version=scale.version,
        shares=dict(scale.shares),
        note=scale.note,
        created_at=scale.created_at,
        created_by=scale.created_by,
        owner=scale.owner,
        classification=Classification.parse(scale.classification).name,
        releasable_to=scale.releasable_to,
    )


def scale_fractions(scale: BudgetScale) -> dict[str, Fraction]:
    """A scale's shares in percent, exactly."""
    return {code: Fraction(value) for code, value in scale.shares.items()}


async def add_scale(session: AsyncSession, viewer: Viewer, data: ScaleCreate) -> BudgetScale:
    """Store a new version of the year's scale; the shares must sum to exactly 100 %."""
    require_editor(viewer)
    await _check_members(session, data.shares, "shares")
    total = sum(data.shares.values(), Decimal(0))
    if total != 100:
        raise InvalidInput(
            _("shares: the shares sum to {total} %, not 100 %").format(total=percent(total)),
            field="shares",
        )
    scale = BudgetScale(
        id=uuid.uuid4(),
        year=data.year,
        version=await repository.last_scale_version(session, data.year) + 1,
        shares={code: percent(value) for code, value in sorted(data.shares.items())},
        note=data.note,
        created_at=utcnow(),
        created_by=viewer.username,
        owner=SECRETARIAT,
        classification=MARKING,
        releasable_to=[EVERYONE],
    )
    session.add(scale)
    await session.flush()
    _event(
        session,
        viewer,
        "budget.scale_added",
        scale.id,
        {"year": scale.year, "version": scale.version, "shares": scale.shares},
    )
    return scale


async def get_scale(session: AsyncSession, viewer: Viewer, scale_id: uuid.UUID) -> BudgetScale:
    scale = await repository.get_scale(session, viewer, scale_id)
    if scale is None:
        raise NotFound(_("no scale {id}").format(id=scale_id))
    return scale


def _event(
    session: AsyncSession,
    viewer: Viewer,
    kind: str,
    subject: uuid.UUID,
    payload: dict,
    releasable_to: list[str] | None = None,
) -> None:
    record_event(
        session,
        actor=viewer.username,
        state=SECRETARIAT,
        kind=kind,
        subject=subject,
        payload=payload,
        classification=MARKING,
        releasable_to=releasable_to or [EVERYONE],
    )


# Adopted budgets and assessments


def assessments(budget: BudgetYear, scale: BudgetScale) -> dict[str, Decimal]:
    """Each member's assessed contribution, in cents that add up exactly to what is financed."""
    shares = scale_fractions(scale)
    bound = set(budget.states_bound)
    amount = Fraction(Decimal(budget.amount))
    paying = {code: share for code, share in shares.items() if code in bound}
    base = sum(paying.values(), Fraction(0)) if budget.unbound_share == "redistributed" else 100
    if not paying or not base:
        return dict.fromkeys(shares, Decimal(0))
    exact = {code: amount * share * 100 / base for code, share in paying.items()}
    cents = {code: math.floor(value) for code, value in exact.items()}
    # Largest remainder: the cents lost to flooring go to those who lost most, then by code.
    missing = math.floor(sum(exact.values(), Fraction(0))) - sum(cents.values())
    for code in sorted(exact, key=lambda code: (cents[code] - exact[code], code))[:missing]:
        cents[code] += 1
    return {code: Decimal(cents.get(code, 0)) / 100 for code in shares}


def budget_read(budget: BudgetYear, scale: BudgetScale) -> BudgetRead:
    assessed = assessments(budget, scale)
    return BudgetRead(
        id=budget.id,
        year=budget.year,
        amount=budget.amount,
        currency=budget.currency,
        scale_id=budget.scale_id,
        scale_version=scale.version,
        decision_id=budget.decision_id,
        states_bound=budget.states_bound,
        unbound_share=budget.unbound_share,
        assessed_total=money(sum(assessed.values(), Decimal(0))),
        assessments=[
            Assessment(
                state=code,
                share=scale.shares[code],
                bound=code in budget.states_bound,
                assessed=money(assessed[code]),
            )
            for code in sorted(scale.shares)
        ],
        adopted_at=budget.adopted_at,
        adopted_by=budget.adopted_by,
        owner=budget.owner,
        classification=Classification.parse(budget.classification).name,
        releasable_to=budget.releasable_to,
    )


def _check_currency(currency: str) -> None:
    if currency not in currencies():
        raise InvalidInput(
            _("currency: {code} is not one of the configured currencies ({known})").format(
                code=currency, known=", ".join(currencies())
            ),
            field="currency",
        )


async def adopt_budget(session: AsyncSession, viewer: Viewer, data: BudgetCreate) -> BudgetYear:
    """Record the budget a council decision adopted for a year; each year has one."""
    require_editor(viewer)
    _check_currency(data.currency)
    if data.scale_id is not None:
        scale = await repository.get_scale(session, None, data.scale_id)
        if scale is None or scale.year != data.year:
            raise InvalidInput(
                _("scale_id: no scale of {year} with this id").format(year=data.year),
                field="scale_id",
            )
    else:
        scale = await repository.current_scale(session, data.year)
        if scale is None:
            raise InvalidInput(
                _("year: there is no scale of shares for {year} yet").format(year=data.year),
                field="year",
            )
    if await repository.get_budget(session, data.year) is not None:
        raise Conflict(
            _("year: the budget of {year} is already adopted").format(year=data.year),
            field="year",
        )
    bound = await resolve_states_bound(session, data.decision_id, data.states_bound)
    budget = BudgetYear(
        id=uuid.uuid4(),
        year=data.year,
        amount=money(data.amount),
        currency=data.currency,
        scale_id=scale.id,
        decision_id=data.decision_id,
        states_bound=bound,
        unbound_share=data.unbound_share,
        adopted_at=utcnow(),
        adopted_by=viewer.username,
        owner=SECRETARIAT,
        classification=MARKING,
        releasable_to=[EVERYONE],
    )
    session.add(budget)
    await session.flush()
    _event(
        session,
        viewer,
        "budget.adopted",
        budget.id,
        {
            "year": budget.year,
            "amount": budget.amount,
            "currency": budget.currency,
            "scale_version": scale.version,
            "decision_id": str(budget.decision_id) if budget.decision_id else None,
            "states_bound": bound,
            "unbound_share": budget.unbound_share,
        },
    )
    return budget


async def list_budgets(session: AsyncSession, viewer: Viewer) -> list[BudgetRead]:
    budgets = await repository.list_budgets(session, viewer)
    scales = await repository.scales_by_id(session, {budget.scale_id for budget in budgets})
    return [budget_read(budget, scales[budget.scale_id]) for budget in budgets]


async def get_budget(session: AsyncSession, viewer: Viewer, year: int) -> BudgetRead:
    (budget,) = await repository.list_budgets(session, viewer, year=year) or [None]
    if budget is None:
        raise NotFound(_("no adopted budget for {year}").format(year=year))
    scale = await repository.get_scale(session, None, budget.scale_id)
    assert scale is not None
    return budget_read(budget, scale)


# Payments


def payment_read(payment: BudgetPayment) -> PaymentRead:
    return PaymentRead(
        id=payment.id,
        year=payment.year,
        state=payment.state,
        amount=payment.amount,
        currency=payment.currency,
        rate=payment.rate,
        credited=payment.credited,
        paid_on=payment.paid_on,
        note=payment.note,
        recorded_at=payment.recorded_at,
        recorded_by=payment.recorded_by,
        owner=payment.owner,
        classification=Classification.parse(payment.classification).name,
        releasable_to=payment.releasable_to,
    )


async def record_payment(
    session: AsyncSession, viewer: Viewer, data: PaymentCreate
) -> BudgetPayment:
    """Record a member's payment towards a year's contribution, credited in the budget currency."""
    require_editor(viewer)
    _check_currency(data.currency)
    await _check_members(session, [data.state], "state")
    budget = await repository.get_budget(session, data.year)
    if budget is None:
        raise InvalidInput(
            _("year: no budget is adopted for {year}").format(year=data.year), field="year"
        )
    if data.currency == budget.currency:
        if data.rate not in (None, Decimal(1)):
            raise InvalidInput(
                _("rate: the payment is in the budget's currency; leave the rate out"),
                field="rate",
            )
        rate = Decimal(1)
    elif data.rate is None:
        raise InvalidInput(
            _("rate: give the rate from {paid} to the budget's currency {budget}").format(
                paid=data.currency, budget=budget.currency
            ),
            field="rate",
        )
    else:
        rate = data.rate
    payment = BudgetPayment(
        id=uuid.uuid4(),
        year=data.year,
        state=data.state,
        amount=money(data.amount),
        currency=data.currency,
        rate=percent(rate),
        credited=money(data.amount * rate),
        paid_on=data.paid_on,
        note=data.note,
        recorded_at=utcnow(),
        recorded_by=viewer.username,
        owner=SECRETARIAT,
        classification=MARKING,
        releasable_to=[data.state],
    )
    session.add(payment)
    await session.flush()
    _event(
        session,
        viewer,
        "budget.payment_recorded",
        payment.id,
        {
            "year": payment.year,
            "state": payment.state,
            "amount": payment.amount,
            "currency": payment.currency,
            "credited": payment.credited,
            "paid_on": payment.paid_on.isoformat(),
        },
        releasable_to=[data.state],
    )
    return payment


# The summary


@dataclass(frozen=True)
class _Totals:
    assessed: Decimal
    paid: Decimal


async def summary(
    session: AsyncSession, viewer: Viewer, *, year: int | None = None
) -> list[SummaryRow]:
    """Per member and year: assessed, paid, arrears and credit (a state sees its own rows)."""
    budgets = await repository.list_budgets(session, viewer, year=year)
    scales = await repository.scales_by_id(session, {budget.scale_id for budget in budgets})
    paid: dict[tuple[int, str], Decimal] = {}
    for payment in await repository.list_payments(session, viewer, year=year):
        key = (payment.year, payment.state)
        paid[key] = paid.get(key, Decimal(0)) + Decimal(payment.credited)
    rows = []
    for budget in sorted(budgets, key=lambda b: b.year):
        scale = scales[budget.scale_id]
        assessed = assessments(budget, scale)
        for code in sorted(scale.shares):
            if viewer.state not in (SECRETARIAT, code):
                continue
            total = _Totals(assessed[code], paid.get((budget.year, code), Decimal(0)))
            balance = total.assessed - total.paid
            rows.append(
                SummaryRow(
                    year=budget.year,
                    state=code,
                    currency=budget.currency,
                    bound=code in budget.states_bound,
                    share=scale.shares[code],
                    assessed=money(total.assessed),
                    paid=money(total.paid),
                    arrears=money(max(balance, Decimal(0))),
                    credit=money(max(-balance, Decimal(0))),
                )
            )
    return rows


async def current_shares(session: AsyncSession, year: int) -> dict[str, Fraction] | None:
    """The newest scale of ``year`` in percent, exactly; None when the year has no scale."""
    scale = await repository.current_scale(session, year)
    return None if scale is None else scale_fractions(scale)
