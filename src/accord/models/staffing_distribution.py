from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from accord.access.levels import Classification
from accord.models.base import Base, ClassificationLevel, StateList, UTCDateTime, UUIDPrimaryKey


class StaffingDistribution(UUIDPrimaryKey, Base):
    """A computed distribution of a term's quota posts: inputs, method and result, never edited.

    The council decision that adopts it is recorded once, with the states it binds and what
    happens to the posts of a state it does not bind.
    """

    __tablename__ = "staffing_distributions"

    term_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("staffing_terms.id"), index=True)
    method: Mapped[str] = mapped_column(String(32))
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    tie_broken: Mapped[bool] = mapped_column(Boolean, default=False)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    computed_by: Mapped[str] = mapped_column(String(64))
    decision_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    states_bound: Mapped[list[str] | None] = mapped_column(StateList)
    # "vacant_reserved" or "reassigned": the posts of a state the decision does not bind.
    unbound_posts: Mapped[str | None] = mapped_column(String(16))
    adopted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    adopted_by: Mapped[str | None] = mapped_column(String(64))
    owner: Mapped[str] = mapped_column(String(3))
    classification: Mapped[Classification] = mapped_column(ClassificationLevel)
    releasable_to: Mapped[list[str]] = mapped_column(StateList)
