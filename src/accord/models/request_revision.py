from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.models.base import Base, UTCDateTime, UUIDPrimaryKey


class RequestRevision(UUIDPrimaryKey, Base):
    """A request as it stood after one change, and what that change was."""

    __tablename__ = "request_revisions"
    __table_args__ = (UniqueConstraint("request_id", "revision"),)

    request_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("assistance_requests.id"))
    revision: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    changes: Mapped[list[Any]] = mapped_column(JSON, default=list)
