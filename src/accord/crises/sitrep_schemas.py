"""What the situation reports API takes and gives."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from accord.access import Classification

Language = Literal["en", "ru"]
CADENCE_LEVELS = ("monitoring", "consultations", "declared", "collective_response", "recovery")
MAX_TEXT = 50_000


class SitrepCreate(BaseModel):
    """Draft the next report of a crisis from its live data."""

    model_config = ConfigDict(extra="forbid")

    crisis_id: uuid.UUID
    language: Language = "en"
    classification: Classification | None = None

    @field_validator("classification", mode="before")
    @classmethod
    def _level(cls, value: Any) -> Classification | None:
        return None if value is None else Classification.parse(value)


class SitrepChange(BaseModel):
    """New texts for a draft; ``version`` is the one they were written against."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    title: str | None = Field(None, min_length=1, max_length=200)
    conditions: str | None = Field(None, max_length=MAX_TEXT)
    actions: str | None = Field(None, max_length=MAX_TEXT)
    needs: str | None = Field(None, max_length=MAX_TEXT)
    # Read the live data again and write the texts anew (what was edited is replaced).
    refresh: bool = False


class SitrepIssue(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(None, ge=1)


class SitrepRead(BaseModel):
    id: uuid.UUID
    crisis_id: uuid.UUID
    number: int
    status: str
    language: str
    title: str
    conditions: str
    actions: str
    needs: str
    snapshot: dict[str, Any]
    owner: str
    classification: str
    releasable_to: list[str]
    created_by: str
    created_at: datetime
    issued_by: str | None
    issued_at: datetime | None
    updated_at: datetime
    version: int


class SitrepList(BaseModel):
    items: list[SitrepRead]
    next_cursor: str | None


class CadenceRead(BaseModel):
    level: str
    interval_hours: int
    updated_by: str
    updated_at: datetime


class CadenceTable(BaseModel):
    """The hours allowed between reports at each level (a level without a value has none)."""

    levels: dict[str, int | None]
    items: list[CadenceRead]


class CadenceChange(BaseModel):
    """The whole table: hours per escalation level; a level left out or null has no cadence."""

    model_config = ConfigDict(extra="forbid")

    levels: dict[str, int | None]

    @model_validator(mode="before")
    @classmethod
    def _shapes(cls, value: Any) -> Any:
        # Also taken: the levels at the top ({"declared": 24}) or a list of items.
        if isinstance(value, dict) and "levels" not in value:
            if "items" in value and isinstance(value["items"], list):
                return {
                    "levels": {
                        item.get("level"): item.get("interval_hours")
                        for item in value["items"]
                        if isinstance(item, dict)
                    }
                }
            return {"levels": value}
        return value

    @field_validator("levels")
    @classmethod
    def _known(cls, value: dict[str, int | None]) -> dict[str, int | None]:
        for level, hours in value.items():
            if level not in CADENCE_LEVELS:
                raise ValueError(
                    f"{level!r} is not a level with reports; use {', '.join(CADENCE_LEVELS)}"
                )
            if hours is not None and not 1 <= hours <= 24 * 366:
                raise ValueError(f"{level}: the hours lie between 1 and {24 * 366}")
        return value


class OverdueRead(BaseModel):
    crisis_id: uuid.UUID
    title: str
    level: str
    mode: str
    interval_hours: int
    last_issued_at: datetime | None
    due_at: datetime
    overdue_hours: float
    classification: str


class OverdueList(BaseModel):
    items: list[OverdueRead]
    next_cursor: str | None
