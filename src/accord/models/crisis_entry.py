from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.models.base import Base, UTCDateTime, UUIDPrimaryKey


class CrisisEntry(UUIDPrimaryKey, Base):
    """One line of a crisis's timeline: an escalation, a link, a role, a task, a note."""

    __tablename__ = "crisis_entries"
    __table_args__ = (Index("ix_crisis_entries_crisis_at", "crisis_id", "at"),)

    crisis_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("crises.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    from_level: Mapped[str | None] = mapped_column(String(24))
    to_level: Mapped[str | None] = mapped_column(String(24))
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
