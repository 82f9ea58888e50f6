from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.models.base import Base, UTCDateTime, UUIDPrimaryKey


class CapAlert(UUIDPrimaryKey, Base):
    """A CAP alert as received, and the incident it created or changed."""

    __tablename__ = "cap_alerts"
    __table_args__ = (Index("uq_cap_alerts_key", "sender", "identifier", "sent", unique=True),)

    sender: Mapped[str] = mapped_column(String(255))
    identifier: Mapped[str] = mapped_column(String(255))
    sent: Mapped[datetime] = mapped_column(UTCDateTime)
    msg_type: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(10))
    references: Mapped[list[Any]] = mapped_column(JSON, default=list)
    unresolved_references: Mapped[list[Any]] = mapped_column(JSON, default=list)
    incident_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("incidents.id"), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    imported_by: Mapped[str] = mapped_column(String(64))
    xml: Mapped[str] = mapped_column(Text)
