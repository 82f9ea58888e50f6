from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.models.base import Base, UTCDateTime, UUIDPrimaryKey


class CapReference(UUIDPrimaryKey, Base):
    """An earlier alert that a stored alert refers to and that has not arrived yet."""

    __tablename__ = "cap_references"
    __table_args__ = (Index("ix_cap_references_key", "sender", "identifier", "sent"),)

    alert_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cap_alerts.id"))
    sender: Mapped[str] = mapped_column(String(255))
    identifier: Mapped[str] = mapped_column(String(255))
    # None when the reference's sent time was unreadable: it then names any alert of that key.
    sent: Mapped[datetime | None] = mapped_column(UTCDateTime)
