from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.models.base import Base, UTCDateTime, UUIDPrimaryKey


class CouncilAttendance(UUIDPrimaryKey, Base):
    """A member state's attendance at a session, with its plenipotentiary where represented."""

    __tablename__ = "council_attendance"
    __table_args__ = (UniqueConstraint("session_id", "state", name="session_state"),)

    session_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("council_sessions.id"), index=True
    )
    state: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16))
    plenipotentiary: Mapped[str] = mapped_column(String(200), default="")
    credentials: Mapped[str] = mapped_column(String(500), default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(64))
