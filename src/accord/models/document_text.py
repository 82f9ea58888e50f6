from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.models.base import Base, UUIDPrimaryKey


class DocumentText(UUIDPrimaryKey, Base):
    """The authentic text of a document version in one language, with its SHA-256."""

    __tablename__ = "document_texts"
    __table_args__ = (UniqueConstraint("version_id", "language"),)

    version_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("document_versions.id"), index=True
    )
    language: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
