from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.access.levels import Classification
from accord.models.base import Base, ClassificationLevel, StateList, UTCDateTime


class Incident(Base):
    """A report in one of the priority areas, owned and marked by the reporting state."""

    __tablename__ = "incidents"
    __table_args__ = (
        Index("ix_incidents_occurred", "occurred_at"),
        Index("ix_incidents_area_occurred", "area", "occurred_at"),
        Index("ix_incidents_owner_occurred", "owner", "occurred_at"),
        Index("ix_incidents_severity_occurred", "severity_rank", "occurred_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    area: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(16), default="en")
    translations: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    severity: Mapped[str] = mapped_column(String(8))
    severity_rank: Mapped[int] = mapped_column(Integer)
    urgency: Mapped[str] = mapped_column(String(9))
    certainty: Mapped[str] = mapped_column(String(9))
    location: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    longitude: Mapped[float | None] = mapped_column(Float)
    latitude: Mapped[float | None] = mapped_column(Float)
    country: Mapped[str | None] = mapped_column(String(3), index=True)
    status: Mapped[str] = mapped_column(String(12), index=True)
    mode: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(200), default="")
    owner: Mapped[str] = mapped_column(String(3))
    classification: Mapped[Classification] = mapped_column(ClassificationLevel)
    releasable_to: Mapped[list[str]] = mapped_column(StateList)
    reported_by: Mapped[str] = mapped_column(String(64))
    duplicate_of: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("incidents.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
