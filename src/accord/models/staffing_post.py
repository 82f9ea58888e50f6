from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.access.levels import Classification
from accord.models.base import Base, ClassificationLevel, StateList, UTCDateTime, UUIDPrimaryKey


class StaffingPost(UUIDPrimaryKey, Base):
    """A post of the secretariat or joint staff in a term, the state holding it and its nominee."""

    __tablename__ = "staffing_posts"

    term_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("staffing_terms.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    grade: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(String(32))
    # Outside the quota: the secretary general and deputies, who rotate.
    reserved: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str | None] = mapped_column(String(3))
    nominee: Mapped[str] = mapped_column(String(200), default="")
    nominee_state: Mapped[str | None] = mapped_column(String(3))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    owner: Mapped[str] = mapped_column(String(3))
    classification: Mapped[Classification] = mapped_column(ClassificationLevel)
    releasable_to: Mapped[list[str]] = mapped_column(StateList)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
