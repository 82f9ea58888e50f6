from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from accord.access.levels import Classification
from accord.clock import utcnow
from accord.models.base import Base, ClassificationLevel, UTCDateTime, UUIDPrimaryKey


class User(UUIDPrimaryKey, Base):
    """A person who logs in, belonging to a member state or the secretariat (``ORG``)."""

    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    state: Mapped[str] = mapped_column(String(3), index=True)
    roles: Mapped[list[str]] = mapped_column(JSON)
    clearance: Mapped[Classification] = mapped_column(ClassificationLevel)
    password_hash: Mapped[str] = mapped_column(String(200))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
