from __future__ import annotations

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from accord.models.base import Base, UUIDPrimaryKey


class ChairTerm(UUIDPrimaryKey, Base):
    """A year's chairmanship as recorded: held by a state, or a state's declined turn."""

    __tablename__ = "chair_terms"
    __table_args__ = (UniqueConstraint("year", "state_code", name="year_state"),)

    year: Mapped[int] = mapped_column(Integer, index=True)
    state_code: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16))
