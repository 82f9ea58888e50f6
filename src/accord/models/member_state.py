from __future__ import annotations

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from accord.access.levels import Classification
from accord.models.base import Base, ClassificationLevel, StateList, UUIDPrimaryKey


class MemberState(UUIDPrimaryKey, Base):
    """A state of the organisation: member, suspended, observer or partner."""

    __tablename__ = "member_states"

    code: Mapped[str] = mapped_column(String(3), unique=True)
    alpha2: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(16))
    rotation_position: Mapped[int | None] = mapped_column(Integer)
    capital: Mapped[str] = mapped_column(String(100), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # Counted where a rule weighs by population (constructive abstention, quota entitlements).
    population: Mapped[int | None] = mapped_column(BigInteger)
    default_classification: Mapped[Classification] = mapped_column(
        ClassificationLevel, default=Classification.RESTRICTED
    )
    default_releasable_to: Mapped[list[str]] = mapped_column(StateList, default=lambda: ["ALL"])
