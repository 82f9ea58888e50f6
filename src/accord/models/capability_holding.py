from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from accord.access.levels import Classification
from accord.models.base import Base, ClassificationLevel, StateList, UTCDateTime, UUIDPrimaryKey


class CapabilityHolding(UUIDPrimaryKey, Base):
    """What a state holds ready of one capability: its national register entry."""

    __tablename__ = "capability_holdings"
    __table_args__ = (Index("ix_capability_holdings_code_owner", "capability_code", "owner"),)

    capability_code: Mapped[str] = mapped_column(String(48), ForeignKey("capability_types.code"))
    quantity: Mapped[int] = mapped_column(Integer)
    readiness_hours: Mapped[int] = mapped_column(Integer)
    home_base: Mapped[str] = mapped_column(String(200), default="")
    longitude: Mapped[float | None] = mapped_column(Float)
    latitude: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(3))
    classification: Mapped[Classification] = mapped_column(ClassificationLevel)
    releasable_to: Mapped[list[str]] = mapped_column(StateList)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
