from __future__ import annotations

import uuid

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.models.base import Base, UUIDPrimaryKey


class CouncilAgendaItem(UUIDPrimaryKey, Base):
    """An item of a session's agenda, procedural or substantive."""

    __tablename__ = "council_agenda_items"

    session_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("council_sessions.id"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    procedural: Mapped[bool] = mapped_column(Boolean, default=False)
