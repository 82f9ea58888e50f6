from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.access.levels import Classification
from accord.models.base import Base, ClassificationLevel, StateList, UTCDateTime, UUIDPrimaryKey


class DocumentPackage(UUIDPrimaryKey, Base):
    """The documents put to one council session for signature, kept by the secretariat."""

    __tablename__ = "document_packages"

    # The council's session, by id only: the council owns its table.
    session_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    title: Mapped[dict[str, str]] = mapped_column(JSON)
    signing_order: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str] = mapped_column(String(3))
    classification: Mapped[Classification] = mapped_column(ClassificationLevel)
    releasable_to: Mapped[list[str]] = mapped_column(StateList)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
