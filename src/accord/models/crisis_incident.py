from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.models.base import Base, UTCDateTime, UUIDPrimaryKey


class CrisisIncident(UUIDPrimaryKey, Base):
    """An incident grouped under a crisis."""

    __tablename__ = "crisis_incidents"
    __table_args__ = (UniqueConstraint("crisis_id", "incident_id"),)

    crisis_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("crises.id"), index=True)
    incident_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("incidents.id"), index=True)
    linked_by: Mapped[str] = mapped_column(String(64))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime)
