from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.models.base import Base, UUIDPrimaryKey


class DocumentSignatureSlot(UUIDPrimaryKey, Base):
    """The place of one member state's signature on a version open for signature."""

    __tablename__ = "document_signature_slots"
    __table_args__ = (UniqueConstraint("version_id", "state"),)

    version_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("document_versions.id"), index=True
    )
    state: Mapped[str] = mapped_column(String(3))
    position: Mapped[int] = mapped_column(Integer)
