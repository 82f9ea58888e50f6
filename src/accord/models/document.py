from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.access.levels import Classification
from accord.models.base import Base, ClassificationLevel, StateList, UTCDateTime, UUIDPrimaryKey


class Document(UUIDPrimaryKey, Base):
    """A document of a package: its kind, titles per language, markings and versions."""

    __tablename__ = "documents"

    package_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("document_packages.id"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(24))
    title: Mapped[dict[str, str]] = mapped_column(JSON)
    # The council's decision, by id only: the council owns its table.
    decision_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    owner: Mapped[str] = mapped_column(String(3))
    classification: Mapped[Classification] = mapped_column(ClassificationLevel)
    releasable_to: Mapped[list[str]] = mapped_column(StateList)
    # The furthest status of any of its versions, for lists: draft … in_force.
    status: Mapped[str] = mapped_column(String(24), index=True)
    in_force_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
