from __future__ import annotations

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from accord.models.base import Base, UUIDPrimaryKey


class Organisation(UUIDPrimaryKey, Base):
    """The organisation itself: names, seat and working languages (one row)."""

    __tablename__ = "organisation"

    names: Mapped[dict[str, str]] = mapped_column(JSON)
    abbreviations: Mapped[dict[str, str]] = mapped_column(JSON)
    seat: Mapped[str] = mapped_column(String(100))
    timezone: Mapped[str] = mapped_column(String(64))
    working_languages: Mapped[list[str]] = mapped_column(JSON)
