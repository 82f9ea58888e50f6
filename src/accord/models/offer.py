from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.access.levels import Classification
from accord.models.base import Base, ClassificationLevel, StateList, UTCDateTime, UUIDPrimaryKey


class Offer(UUIDPrimaryKey, Base):
    """A state's offer against one need line, and the requester's answer to it."""

    __tablename__ = "offers"
    __table_args__ = (
        Index("ix_offers_request", "request_id", "offered_at"),
        Index("ix_offers_need_line", "need_line_id"),
    )

    request_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("assistance_requests.id"))
    need_line_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("need_lines.id"))
    capability_code: Mapped[str] = mapped_column(String(48), ForeignKey("capability_types.code"))
    quantity: Mapped[int] = mapped_column(Integer)
    arrival_at: Mapped[datetime] = mapped_column(UTCDateTime)
    conditions: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12))
    # The request's revision the offer was made against, so its owner sees what changed since.
    request_revision: Mapped[int] = mapped_column(Integer)
    response_note: Mapped[str] = mapped_column(Text, default="")
    responded_by: Mapped[str | None] = mapped_column(String(64))
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    owner: Mapped[str] = mapped_column(String(3))
    classification: Mapped[Classification] = mapped_column(ClassificationLevel)
    releasable_to: Mapped[list[str]] = mapped_column(StateList)
    offered_by: Mapped[str] = mapped_column(String(64))
    offered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
