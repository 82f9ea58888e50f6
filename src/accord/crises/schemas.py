"""What the crises API takes and gives."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from accord.incidents.schemas import Markings, StateCode

Level = Literal[
    "monitoring", "consultations", "declared", "collective_response", "recovery", "closed"
]
OpeningLevel = Literal["monitoring", "consultations"]
Mode = Literal["actual", "exercise", "test"]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Summary = Annotated[str, StringConstraints(max_length=20_000)]
Username = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
RoleHolder = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]


class CrisisCreate(Markings):
    """A new crisis, opened from incidents or on its own."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    summary: Summary = ""
    level: OpeningLevel = "monitoring"
    mode: Mode = "actual"
    affected_states: list[StateCode] | None = Field(None, min_length=1, max_length=20)
    incident_ids: list[uuid.UUID] = Field(default_factory=list, max_length=100)
    reason: str = Field("", max_length=5000)


class CrisisChange(Markings):
    """A change to a crisis; ``version`` is the one the change was made against."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    title: Title | None = None
    summary: Summary | None = None
    affected_states: list[StateCode] | None = Field(None, min_length=1, max_length=20)
    # A username gives the role, an empty string clears it, leaving it out keeps it.
    coordinator: RoleHolder | None = None
    liaison: RoleHolder | None = None
    scribe: RoleHolder | None = None


class Escalation(BaseModel):
    """A move to another level, with why; collective response names the council's decision."""

    model_config = ConfigDict(extra="forbid")

    level: Level
    reason: Reason
    decision_id: uuid.UUID | None = None
    decision_reference: str | None = Field(None, max_length=200)
    version: int | None = Field(None, ge=1)


class IncidentLinks(BaseModel):
    model_config = ConfigDict(extra="forbid")

    incident_ids: list[uuid.UUID] = Field(min_length=1, max_length=100)


class CrisisRead(BaseModel):
    id: uuid.UUID
    title: str
    summary: str
    level: str
    mode: str
    affected_states: list[str]
    coordinator: str | None
    liaison: str | None
    scribe: str | None
    decision_id: uuid.UUID | None
    decision_reference: str
    owner: str
    classification: str
    releasable_to: list[str]
    opened_by: str
    opened_at: datetime
    level_changed_at: datetime
    updated_at: datetime
    version: int
    incident_ids: list[uuid.UUID]


class CrisisList(BaseModel):
    items: list[CrisisRead]
    next_cursor: str | None


class TaskCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title
    owner: Username
    deadline: AwareDatetime | None = None


class TaskChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(None, ge=1)
    title: Title | None = None
    owner: Username | None = None
    deadline: AwareDatetime | None = None
    done: bool | None = None


class TaskRead(BaseModel):
    id: uuid.UUID
    crisis_id: uuid.UUID
    title: str
    owner: str
    owner_state: str
    deadline: datetime | None
    done: bool
    overdue: bool
    created_by: str
    created_at: datetime
    updated_at: datetime
    version: int


class TaskList(BaseModel):
    items: list[TaskRead]
    next_cursor: str | None


class TimelineRead(BaseModel):
    id: uuid.UUID
    at: datetime
    actor: str
    kind: str
    from_level: str | None
    to_level: str | None
    reason: str
    details: dict[str, Any]


class TimelineList(BaseModel):
    items: list[TimelineRead]
    next_cursor: str | None
