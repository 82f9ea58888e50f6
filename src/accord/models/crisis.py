from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.access.levels import Classification
from accord.models.base import Base, ClassificationLevel, StateList, UTCDateTime, UUIDPrimaryKey


class Crisis(UUIDPrimaryKey, Base):
    """Incidents grouped under one escalation level, with the people who run the response."""

    __tablename__ = "crises"
    __table_args__ = (Index("ix_crises_level_opened", "level", "opened_at"),)

    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[str] = mapped_column(String(24))
    mode: Mapped[str] = mapped_column(String(8), default="actual")
    affected_states: Mapped[list[str]] = mapped_column(StateList)
    coordinator: Mapped[str | None] = mapped_column(String(64))
    liaison: Mapped[str | None] = mapped_column(String(64))
    scribe: Mapped[str | None] = mapped_column(String(64))
    # The council decision that moved the crisis to collective response: its id once the
    # council's records exist, and the reference as the secretariat wrote it.
    decision_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    decision_reference: Mapped[str] = mapped_column(String(200), default="")
    owner: Mapped[str] = mapped_column(String(3))
    classification: Mapped[Classification] = mapped_column(ClassificationLevel)
    releasable_to: Mapped[list[str]] = mapped_column(StateList)
    opened_by: Mapped[str] = mapped_column(String(64))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    level_changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
