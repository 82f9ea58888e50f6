"""This domain's part of the demo scenario, loaded idempotently by `accord demo`."""

from __future__ import annotations

import importlib
import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import SECRETARIAT, Classification, Viewer
from accord.budget import repository, service
from accord.budget.schemas import BudgetCreate, PaymentCreate, ScaleCreate

SECRETARIAT_OFFICER = Viewer(
    state=SECRETARIAT,
    clearance=Classification.SECRET,
    roles=frozenset({"secretariat"}),
    username="org.secretariat",
)
SCALES = {
    2023: {"ARM": "8.5", "BLR": "13", "KAZ": "14.5", "KGZ": "7", "RUS": "50", "TJK": "7"},
    2024: {"ARM": "8.5", "BLR": "12.5", "KAZ": "15", "KGZ": "7", "RUS": "50", "TJK": "7"},
}
PAYMENTS = [
    ("RUS", "60000000", "RUB", None, date(2024, 2, 15)),
    ("KAZ", "18000000", "RUB", None, date(2024, 3, 1)),
    ("BLR", "10000000", "RUB", None, date(2024, 4, 10)),
    ("ARM", "50000", "USD", "92.5", date(2024, 6, 20)),
    ("KGZ", "4200000", "RUB", None, date(2024, 9, 30)),
]


async def council_decision(session: AsyncSession, title: str) -> uuid.UUID | None:
    """The id of the council's demo decision titled ``title``, where the council has it."""
    try:
        council = importlib.import_module("accord.council.demo")
    except ImportError:
        return None
    find = getattr(council, "decision_by_title", None)
    decision = await find(session, getattr(council, title, "")) if find else None
    return decision.id if decision is not None and decision.adopted else None


async def load_scales(session: AsyncSession) -> None:
    """The scales of 2023 and 2024 (also the entitlement of the demo's quota posts)."""
    for year, shares in SCALES.items():
        if await repository.current_scale(session, year) is None:
            data = ScaleCreate(year=year, shares={c: Decimal(v) for c, v in shares.items()})
            await service.add_scale(session, SECRETARIAT_OFFICER, data)


async def load(session: AsyncSession) -> None:
    """Add this domain's demo records unless they are there already."""
    await load_scales(session)
    if await repository.get_budget(session, 2024) is not None:
        return
    decision_id = await council_decision(session, "BUDGET_2024")
    await service.adopt_budget(
        session,
        SECRETARIAT_OFFICER,
        BudgetCreate(
            year=2024,
            amount=Decimal("120000000"),
            currency="RUB",
            decision_id=decision_id,
            states_bound=None if decision_id else sorted(SCALES[2024]),
        ),
    )
    for state, amount, currency, rate, paid_on in PAYMENTS:
        await service.record_payment(
            session,
            SECRETARIAT_OFFICER,
            PaymentCreate(
                year=2024,
                state=state,
                amount=Decimal(amount),
                currency=currency,
                rate=Decimal(rate) if rate else None,
                paid_on=paid_on,
            ),
        )
