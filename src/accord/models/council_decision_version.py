from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.models.base import Base, UTCDateTime, UUIDPrimaryKey


class CouncilDecisionVersion(UUIDPrimaryKey, Base):
    """One version of a draft decision's text, one text per language."""

    __tablename__ = "council_decision_versions"
    __table_args__ = (UniqueConstraint("decision_id", "number", name="decision_number"),)

    decision_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("council_decisions.id"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    texts: Mapped[dict[str, str]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
