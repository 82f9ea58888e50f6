from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.models.base import Base, UTCDateTime, UUIDPrimaryKey


class SigningKey(UUIDPrimaryKey, Base):
    """A signatory's registered Ed25519 public key, with its validity and any revocation."""

    __tablename__ = "signing_keys"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), index=True)
    username: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(3))
    label: Mapped[str] = mapped_column(String(100), default="")
    # The raw 32-byte key, base64; its SHA-256 (hex) names it in bundles and logs.
    public_key: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime)
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
