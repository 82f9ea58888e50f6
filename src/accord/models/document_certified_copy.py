from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.models.base import Base, UTCDateTime, UUIDPrimaryKey


class DocumentCertifiedCopy(UUIDPrimaryKey, Base):
    """A certified copy of a signed version, issued by the depositary to a signatory state."""

    __tablename__ = "document_certified_copies"

    document_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("documents.id"), index=True)
    version_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("document_versions.id"))
    state: Mapped[str] = mapped_column(String(3))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_by: Mapped[str] = mapped_column(String(64))
