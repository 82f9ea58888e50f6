from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from accord.models.base import Base, UTCDateTime, UUIDPrimaryKey


class SitrepCadence(UUIDPrimaryKey, Base):
    """How often a crisis at an escalation level must have a situation report issued."""

    __tablename__ = "sitrep_cadences"

    level: Mapped[str] = mapped_column(String(24), unique=True)
    interval_hours: Mapped[int] = mapped_column(Integer)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
