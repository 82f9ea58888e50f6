from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.models.base import Base, UTCDateTime, UUIDPrimaryKey


class DocumentSignature(UUIDPrimaryKey, Base):
    """A state's detached Ed25519 signature over the manifest of a document version."""

    __tablename__ = "document_signatures"
    # One signature per state and version: the database refuses a second one in a race.
    __table_args__ = (UniqueConstraint("version_id", "state"),)

    version_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("document_versions.id"), index=True
    )
    slot_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("document_signature_slots.id"))
    state: Mapped[str] = mapped_column(String(3))
    signer: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("signing_keys.id"), index=True)
    signature: Mapped[str] = mapped_column(String(128))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
