from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.access.levels import Classification
from accord.models.base import Base, ClassificationLevel, StateList, UTCDateTime, UUIDPrimaryKey


class BudgetYear(UUIDPrimaryKey, Base):
    """The budget adopted for a year: amount, currency, the scale it uses and the deciding act."""

    __tablename__ = "budget_years"

    year: Mapped[int] = mapped_column(Integer, unique=True)
    # A decimal string: SQLite has no exact decimal type.
    amount: Mapped[str] = mapped_column(String(40))
    currency: Mapped[str] = mapped_column(String(3))
    scale_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("budget_scales.id"))
    decision_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    states_bound: Mapped[list[str]] = mapped_column(StateList)
    # "left" (the share of a state not bound stays unfunded) or "redistributed".
    unbound_share: Mapped[str] = mapped_column(String(16))
    adopted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    adopted_by: Mapped[str] = mapped_column(String(64))
    owner: Mapped[str] = mapped_column(String(3))
    classification: Mapped[Classification] = mapped_column(ClassificationLevel)
    releasable_to: Mapped[list[str]] = mapped_column(StateList)
