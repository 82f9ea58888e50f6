from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.access.levels import Classification
from accord.models.base import Base, ClassificationLevel, StateList, UTCDateTime, UUIDPrimaryKey


class CouncilDecision(UUIDPrimaryKey, Base):
    """A draft decision of a body: its procedure, rule, outcome, reason and the states bound."""

    __tablename__ = "council_decisions"
    __table_args__ = (
        UniqueConstraint("body_id", "year", "sequence", name="body_year_sequence"),
        Index("ix_council_decisions_deadline", "status", "deadline"),
    )

    body_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("bodies.id"), index=True)
    session_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("council_sessions.id"), index=True
    )
    agenda_item_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("council_agenda_items.id")
    )
    title: Mapped[str] = mapped_column(String(300), index=True)
    procedure: Mapped[str] = mapped_column(String(16))
    procedural: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), index=True)
    rule: Mapped[str] = mapped_column(String(40))
    rule_params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    concerned: Mapped[list[str]] = mapped_column(JSON, default=list)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    launched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    adopted: Mapped[bool | None] = mapped_column(Boolean)
    reason: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    states_bound: Mapped[list[str] | None] = mapped_column(JSON)
    accessions: Mapped[list[str]] = mapped_column(JSON, default=list)
    year: Mapped[int | None] = mapped_column(Integer)
    sequence: Mapped[int | None] = mapped_column(Integer)
    number: Mapped[str | None] = mapped_column(String(40))
    owner: Mapped[str] = mapped_column(String(3))
    classification: Mapped[Classification] = mapped_column(ClassificationLevel)
    releasable_to: Mapped[list[str]] = mapped_column(StateList)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
