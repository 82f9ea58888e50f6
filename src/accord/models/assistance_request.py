from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.access.levels import Classification
from accord.models.base import Base, ClassificationLevel, StateList, UTCDateTime, UUIDPrimaryKey


class AssistanceRequest(UUIDPrimaryKey, Base):
    """A state's request for assistance within a crisis, stated as need lines."""

    __tablename__ = "assistance_requests"
    __table_args__ = (
        Index("ix_assistance_requests_crisis", "crisis_id", "posted_at"),
        Index("ix_assistance_requests_status_posted", "status", "posted_at"),
    )

    crisis_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("crises.id"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12))
    # The request's published revision, raised by every change; version is the row's lock.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    owner: Mapped[str] = mapped_column(String(3))
    classification: Mapped[Classification] = mapped_column(ClassificationLevel)
    releasable_to: Mapped[list[str]] = mapped_column(StateList)
    posted_by: Mapped[str] = mapped_column(String(64))
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
