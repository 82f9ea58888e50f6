"""What the programme API takes and gives."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from accord.incidents.schemas import Area, StateCode

ActivityStatus = Literal["planned", "in_progress", "done", "long_term"]
ACTIVITY_STATUSES: tuple[str, ...] = ActivityStatus.__args__  # type: ignore[attr-defined]
LinkKind = Literal["session", "decision", "exercise", "incident", "crisis", "document"]
Language = Literal["en", "ru"]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
BodyCode = Annotated[str, StringConstraints(pattern=r"^[a-z_]{2,32}$")]


def _titles(value: dict[str, str]) -> dict[str, str]:
    kept = {language: text for language, text in value.items() if text}
    if not kept:
        raise ValueError("give a title in at least one language (en or ru)")
    return kept


class LinkRef(BaseModel):
    """A typed link to a record of another domain."""

    model_config = ConfigDict(extra="forbid")

    kind: LinkKind
    id: uuid.UUID


class ActivityCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    titles: dict[Language, Text]
    owner_body: BodyCode
    starts_on: date | None = None
    ends_on: date | None = None
    status: ActivityStatus = "planned"
    links: list[LinkRef] = Field(default_factory=list, max_length=50)

    _check_titles = field_validator("titles")(_titles)


class PriorityCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    titles: dict[Language, Text]
    area: Area | None = None
    activities: list[ActivityCreate] = Field(default_factory=list, max_length=50)

    _check_titles = field_validator("titles")(_titles)


class ProgrammeCreate(BaseModel):
    """A chair's programme for a year; the state defaults to that year's chair."""

    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=1992, le=2100)
    state: StateCode | None = None
    motto: dict[Language, Text] = Field(default_factory=dict)
    priorities: list[PriorityCreate] = Field(default_factory=list, max_length=30)


class ProgrammeChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    state: StateCode | None = None
    motto: dict[Language, Text] | None = None


class PriorityChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    titles: dict[Language, Text] | None = None
    area: Area | None = None
    position: int | None = Field(None, ge=1, le=100)

    @field_validator("titles")
    @classmethod
    def _check_titles(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        return None if value is None else _titles(value)


class ActivityChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    titles: dict[Language, Text] | None = None
    owner_body: BodyCode | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    status: ActivityStatus | None = None
    links: list[LinkRef] | None = Field(None, max_length=50)

    @field_validator("titles")
    @classmethod
    def _check_titles(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        return None if value is None else _titles(value)


class LinkRead(BaseModel):
    kind: str
    id: uuid.UUID
    title: str
    url: str
    classification: str


class Progress(BaseModel):
    total: int
    done: int
    in_progress: int
    long_term: int
    planned: int
    percent: int


class ActivityRead(BaseModel):
    id: uuid.UUID
    priority_id: uuid.UUID
    position: int
    titles: dict[str, str]
    owner_body: str
    starts_on: date | None
    ends_on: date | None
    status: str
    links: list[LinkRead]
    carried_from: uuid.UUID | None
    version: int


class PriorityRead(BaseModel):
    id: uuid.UUID
    position: int
    titles: dict[str, str]
    area: str | None
    progress: Progress
    activities: list[ActivityRead]
    version: int


class ProgrammeRead(BaseModel):
    id: uuid.UUID
    year: int
    state: str
    motto: dict[str, str]
    owner: str
    classification: str
    releasable_to: list[str]
    progress: Progress
    priorities: list[PriorityRead]
    version: int


class ProgrammeList(BaseModel):
    items: list[ProgrammeRead]
    next_cursor: str | None
