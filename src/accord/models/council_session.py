from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.access.levels import Classification
from accord.models.base import Base, ClassificationLevel, StateList, UTCDateTime, UUIDPrimaryKey


class CouncilSession(UUIDPrimaryKey, Base):
    """A session of a body: an exact date and venue, or only a quarter and a city a year ahead."""

    __tablename__ = "council_sessions"

    body_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("bodies.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    format: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer, index=True)
    quarter: Mapped[int | None] = mapped_column(Integer)
    held_on: Mapped[date | None] = mapped_column(Date)
    city: Mapped[str] = mapped_column(String(100))
    venue: Mapped[str] = mapped_column(String(200), default="")
    chair: Mapped[str | None] = mapped_column(String(3))
    notes: Mapped[str] = mapped_column(Text, default="")
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str] = mapped_column(String(3))
    classification: Mapped[Classification] = mapped_column(ClassificationLevel)
    releasable_to: Mapped[list[str]] = mapped_column(StateList)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
