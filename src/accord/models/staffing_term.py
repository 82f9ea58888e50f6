from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from accord.access.levels import Classification
from accord.models.base import Base, ClassificationLevel, StateList, UTCDateTime, UUIDPrimaryKey


class StaffingTerm(UUIDPrimaryKey, Base):
    """A three-year term of quota posts: its entitlement, rules and published tie-break."""

    __tablename__ = "staffing_terms"

    start_year: Mapped[int] = mapped_column(Integer, unique=True)
    end_year: Mapped[int] = mapped_column(Integer)
    # "budget_share" (the scale of scale_year), "shares" (given here) or "weighted".
    basis: Mapped[str] = mapped_column(String(16))
    shares: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    weights: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    scale_year: Mapped[int | None] = mapped_column(Integer)
    minimum: Mapped[int] = mapped_column(Integer, default=0)
    cap: Mapped[int | None] = mapped_column(Integer)
    tie_break: Mapped[str] = mapped_column(String(24))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    owner: Mapped[str] = mapped_column(String(3))
    classification: Mapped[Classification] = mapped_column(ClassificationLevel)
    releasable_to: Mapped[list[str]] = mapped_column(StateList)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
