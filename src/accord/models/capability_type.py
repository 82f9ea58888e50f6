from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from accord.models.base import Base, UUIDPrimaryKey


class CapabilityType(UUIDPrimaryKey, Base):
    """A module of the catalogue states register and requests name, e.g. a medium rescue team."""

    __tablename__ = "capability_types"

    code: Mapped[str] = mapped_column(String(48), unique=True)
    names: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    category: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str] = mapped_column(String(32), default="team")
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
