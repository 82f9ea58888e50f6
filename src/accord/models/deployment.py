from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.access.levels import Classification
from accord.models.base import Base, ClassificationLevel, StateList, UTCDateTime, UUIDPrimaryKey


class Deployment(UUIDPrimaryKey, Base):
    """An accepted offer on its way to, at, or back from the place of need."""

    __tablename__ = "deployments"
    __table_args__ = (Index("ix_deployments_crisis_status", "crisis_id", "status"),)

    offer_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("offers.id"), unique=True)
    request_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("assistance_requests.id"), index=True
    )
    need_line_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("need_lines.id"), index=True)
    crisis_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("crises.id"))
    capability_code: Mapped[str] = mapped_column(String(48), ForeignKey("capability_types.code"))
    quantity: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))
    longitude: Mapped[float | None] = mapped_column(Float)
    latitude: Mapped[float | None] = mapped_column(Float)
    estimated_arrival: Mapped[datetime | None] = mapped_column(UTCDateTime)
    owner: Mapped[str] = mapped_column(String(3))
    classification: Mapped[Classification] = mapped_column(ClassificationLevel)
    releasable_to: Mapped[list[str]] = mapped_column(StateList)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
