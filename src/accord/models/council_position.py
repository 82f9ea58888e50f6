from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.models.base import Base, UTCDateTime, UUIDPrimaryKey


class CouncilPosition(UUIDPrimaryKey, Base):
    """A member state's position on a draft; ``written`` when an absent member sent it signed."""

    __tablename__ = "council_positions"
    __table_args__ = (UniqueConstraint("decision_id", "state", name="decision_state"),)

    decision_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("council_decisions.id"), index=True
    )
    state: Mapped[str] = mapped_column(String(3))
    position: Mapped[str] = mapped_column(String(24))
    text: Mapped[str] = mapped_column(Text, default="")
    written: Mapped[bool] = mapped_column(Boolean, default=False)
    signed_by: Mapped[str] = mapped_column(String(200), default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(64))
