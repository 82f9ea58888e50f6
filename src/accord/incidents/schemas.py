"""What the incidents API takes and gives; CAP's scales and the GeoJSON shapes Accord accepts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from accord.access import Classification

Area = Literal["terrorism", "drugs", "arms_crime", "migration", "emergency", "cyber", "military"]
Status = Literal["reported", "verified", "closed", "false_alarm"]
Mode = Literal["actual", "exercise", "test"]
Severity = Literal["Extreme", "Severe", "Moderate", "Minor", "Unknown"]
Urgency = Literal["Immediate", "Expected", "Future", "Past", "Unknown"]
Certainty = Literal["Observed", "Likely", "Possible", "Unlikely", "Unknown"]

AREAS: tuple[str, ...] = Area.__args__  # type: ignore[attr-defined]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]
MODES: tuple[str, ...] = Mode.__args__  # type: ignore[attr-defined]
SEVERITIES: tuple[str, ...] = Severity.__args__  # type: ignore[attr-defined]
URGENCIES: tuple[str, ...] = Urgency.__args__  # type: ignore[attr-defined]
CERTAINTIES: tuple[str, ...] = Certainty.__args__  # type: ignore[attr-defined]
SEVERITY_RANK = {"Extreme": 4, "Severe": 3, "Moderate": 2, "Minor": 1, "Unknown": 0}
MAX_RING_POSITIONS = 10_000

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Description = Annotated[str, StringConstraints(max_length=20_000)]
StateCode = Annotated[str, StringConstraints(pattern=r"^([A-Z]{3})$")]


def check_position(position: list[float]) -> list[float]:
    if len(position) not in (2, 3):
        raise ValueError("a position is [longitude, latitude]")
    longitude, latitude = position[0], position[1]
    if not -180 <= longitude <= 180:
        raise ValueError(f"longitude {longitude} is outside -180…180")
    if not -90 <= latitude <= 90:
        raise ValueError(f"latitude {latitude} is outside -90…90")
    return [float(longitude), float(latitude)]


def check_ring(ring: list[list[float]]) -> list[list[float]]:
    if len(ring) < 4:
        raise ValueError("a polygon ring needs at least four positions")
    if len(ring) > MAX_RING_POSITIONS:
        raise ValueError(f"a polygon ring has at most {MAX_RING_POSITIONS} positions")
    ring = [check_position(position) for position in ring]
    if ring[0] != ring[-1]:
        raise ValueError("the polygon ring does not close: its last position must equal its first")
    return ring


class Point(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["Point"]
    coordinates: list[float]

    @field_validator("coordinates")
    @classmethod
    def _position(cls, value: list[float]) -> list[float]:
        return check_position(value)


class Polygon(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["Polygon"]
    coordinates: list[list[list[float]]] = Field(min_length=1, max_length=100)

    @field_validator("coordinates")
    @classmethod
    def _rings(cls, value: list[list[list[float]]]) -> list[list[list[float]]]:
        return [check_ring(ring) for ring in value]


Geometry = Annotated[Point | Polygon, Field(discriminator="type")]


class Markings(BaseModel):
    classification: Classification | None = None
    releasable_to: list[StateCode | Literal["ALL", "ORG"]] | None = Field(None, max_length=50)

    @field_validator("classification", mode="before")
    @classmethod
    def _level(cls, value: Any) -> Classification | None:
        return None if value is None else Classification.parse(value)


class IncidentCreate(Markings):
    """A new report."""

    model_config = ConfigDict(extra="forbid")

    area: Area
    title: Title
    description: Description = ""
    occurred_at: AwareDatetime
    severity: Severity = "Unknown"
    urgency: Urgency = "Unknown"
    certainty: Certainty = "Unknown"
    location: Geometry | None = None
    country: StateCode | None = None
    status: Status = "reported"
    mode: Mode = "actual"
    source: str = Field("", max_length=200)
    language: str = Field("en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


class IncidentChange(Markings):
    """A change to a report; ``version`` is the one the change was made against."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    area: Area | None = None
    title: Title | None = None
    description: Description | None = None
    occurred_at: AwareDatetime | None = None
    severity: Severity | None = None
    urgency: Urgency | None = None
    certainty: Certainty | None = None
    location: Geometry | None = None
    country: StateCode | None = None
    status: Status | None = None
    mode: Mode | None = None
    source: str | None = Field(None, max_length=200)
    comment: str = Field("", max_length=5000)


class IncidentRead(BaseModel):
    id: uuid.UUID
    area: str
    title: str
    description: str
    language: str
    translations: dict[str, Any]
    occurred_at: datetime
    reported_at: datetime
    updated_at: datetime
    severity: str
    urgency: str
    certainty: str
    location: dict[str, Any] | None
    country: str | None
    status: str
    mode: str
    source: str
    owner: str
    classification: str
    releasable_to: list[str]
    reported_by: str
    duplicate_of: uuid.UUID | None
    version: int


class IncidentList(BaseModel):
    items: list[IncidentRead]
    next_cursor: str | None


class TimelineEntry(BaseModel):
    at: datetime
    actor: str
    kind: str
    changes: dict[str, Any]
    comment: str


class Comment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: str = Field(min_length=1, max_length=5000)


class DuplicateLink(BaseModel):
    model_config = ConfigDict(extra="forbid")

    duplicate_of: uuid.UUID
    version: int = Field(ge=1)
