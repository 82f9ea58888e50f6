from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.models.base import Base, UTCDateTime, UUIDPrimaryKey


class NeedLine(UUIDPrimaryKey, Base):
    """One need of a request: so many units of a capability, at a place, by a date."""

    __tablename__ = "need_lines"

    request_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("assistance_requests.id"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    capability_code: Mapped[str] = mapped_column(
        String(48), ForeignKey("capability_types.code"), index=True
    )
    quantity: Mapped[int] = mapped_column(Integer)
    place: Mapped[str] = mapped_column(String(200))
    longitude: Mapped[float | None] = mapped_column(Float)
    latitude: Mapped[float | None] = mapped_column(Float)
    needed_by: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(12), default="open")
