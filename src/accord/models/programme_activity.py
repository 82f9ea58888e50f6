from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.models.base import Base


class ProgrammeActivity(Base):
    """An activity under a priority: owner body, dates, status and typed links to records."""

    __tablename__ = "programme_activities"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    programme_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("programmes.id"), index=True)
    priority_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("programme_priorities.id"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    titles: Mapped[dict[str, str]] = mapped_column(JSON)
    owner_body: Mapped[str] = mapped_column(String(32))
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    links: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    carried_from: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("programme_activities.id")
    )
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
