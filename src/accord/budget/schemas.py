"""What the budget API takes and gives: scales, adopted budgets, payments and the summary."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

StateCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Year = Annotated[int, Field(ge=1990, le=2200)]
Money = Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=2)]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=12, decimal_places=8)]
UnboundShare = Literal["left", "redistributed"]


class ScaleCreate(BaseModel):
    """A new version of a year's scale: percent per member, summing to exactly 100."""

    model_config = ConfigDict(extra="forbid")

    year: Year
    shares: dict[StateCode, Percent] = Field(min_length=1, max_length=100)
    note: str = Field("", max_length=500)


class ScaleRead(BaseModel):
    id: uuid.UUID
    year: int
    version: int
    shares: dict[str, str]
    note: str
    created_at: datetime
    created_by: str
    owner: str
    classification: str
    releasable_to: list[str]


class ScaleList(BaseModel):
    items: list[ScaleRead]
    next_cursor: str | None


class BudgetCreate(BaseModel):
    """The budget a council decision adopted for a year.

    ``scale_id`` defaults to the newest scale of the year; ``states_bound`` is read from the
    decision where the council knows it, and must be given otherwise.
    """

    model_config = ConfigDict(extra="forbid")

    year: Year
    amount: Money
    currency: Currency
    scale_id: uuid.UUID | None = None
    decision_id: uuid.UUID | None = None
    states_bound: list[StateCode] | None = Field(None, max_length=100)
    unbound_share: UnboundShare = "left"


class Assessment(BaseModel):
    state: str
    share: str
    bound: bool
    assessed: str


class BudgetRead(BaseModel):
    id: uuid.UUID
    year: int
    amount: str
    currency: str
    scale_id: uuid.UUID
    scale_version: int
    decision_id: uuid.UUID | None
    states_bound: list[str]
    unbound_share: str
    assessed_total: str
    assessments: list[Assessment]
    adopted_at: datetime
    adopted_by: str
    owner: str
    classification: str
    releasable_to: list[str]


class BudgetList(BaseModel):
    items: list[BudgetRead]
    next_cursor: str | None


class PaymentCreate(BaseModel):
    """A member's payment; ``rate`` converts it to the budget's currency when that differs."""

    model_config = ConfigDict(extra="forbid")

    year: Year
    state: StateCode
    amount: Money
    currency: Currency
    rate: Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=8)] | None = None
    paid_on: date
    note: str = Field("", max_length=500)


class PaymentRead(BaseModel):
    id: uuid.UUID
    year: int
    state: str
    amount: str
    currency: str
    rate: str
    credited: str
    paid_on: date
    note: str
    recorded_at: datetime
    recorded_by: str
    owner: str
    classification: str
    releasable_to: list[str]


class PaymentList(BaseModel):
    items: list[PaymentRead]
    next_cursor: str | None


class SummaryRow(BaseModel):
    """One member's year: what it was assessed, what it paid, and what it still owes."""

    year: int
    state: str
    currency: str
    bound: bool
    share: str
    assessed: str
    paid: str
    arrears: str
    credit: str


class Summary(BaseModel):
    items: list[SummaryRow]
    next_cursor: str | None
