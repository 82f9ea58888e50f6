from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from accord.access.levels import Classification
from accord.models.base import Base, ClassificationLevel, StateList, UTCDateTime, UUIDPrimaryKey


class BudgetPayment(UUIDPrimaryKey, Base):
    """A payment by a member towards a year's assessed contribution."""

    __tablename__ = "budget_payments"
    __table_args__ = (Index("ix_budget_payments_year_state", "year", "state"),)

    year: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(3))
    # Decimal strings, exact on SQLite too; ``credited`` is the amount in the budget's currency.
    amount: Mapped[str] = mapped_column(String(40))
    currency: Mapped[str] = mapped_column(String(3))
    rate: Mapped[str] = mapped_column(String(40))
    credited: Mapped[str] = mapped_column(String(40))
    paid_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(64))
    owner: Mapped[str] = mapped_column(String(3))
    classification: Mapped[Classification] = mapped_column(ClassificationLevel)
    releasable_to: Mapped[list[str]] = mapped_column(StateList)
