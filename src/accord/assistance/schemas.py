"""What the assistance API takes and gives: capabilities, requests, offers and deployments."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from accord.incidents.schemas import Markings

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,47}$")]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Response = Literal["accepted", "declined", "provisional"]
DeploymentStatus = Literal[
    "offered", "accepted", "mobilising", "en_route", "deployed", "demobilised"
]


# The catalogue


class CatalogueEntryCreate(BaseModel):
    """A new module of the catalogue."""

    model_config = ConfigDict(extra="forbid")

    code: Code
    names: dict[Literal["en", "ru"], Text200] = Field(min_length=1)
    category: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
    unit: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,31}$")] = "team"


class CatalogueEntryChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    active: bool


class CatalogueEntryRead(BaseModel):
    code: str
    names: dict[str, str]
    name: str
    category: str
    unit: str
    active: bool


class CatalogueList(BaseModel):
    items: list[CatalogueEntryRead]


# The register


class HoldingCreate(Markings):
    """An entry of a state's capability register."""

    model_config = ConfigDict(extra="forbid")

    capability: Code
    quantity: int = Field(ge=1, le=100_000)
    readiness_hours: int = Field(ge=0, le=24 * 365)
    home_base: str = Field("", max_length=200)
    longitude: Longitude | None = None
    latitude: Latitude | None = None
    notes: str = Field("", max_length=5000)


class HoldingChange(Markings):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    quantity: int | None = Field(None, ge=1, le=100_000)
    readiness_hours: int | None = Field(None, ge=0, le=24 * 365)
    home_base: str | None = Field(None, max_length=200)
    longitude: Longitude | None = None
    latitude: Latitude | None = None
    notes: str | None = Field(None, max_length=5000)


class HoldingRead(BaseModel):
    id: uuid.UUID
    capability: str
    quantity: int
    readiness_hours: int
    home_base: str
    longitude: float | None
    latitude: float | None
    notes: str
    owner: str
    classification: str
    releasable_to: list[str]
    updated_by: str
    updated_at: datetime
    version: int


class HoldingList(BaseModel):
    items: list[HoldingRead]
    next_cursor: str | None


# Requests


class NeedLineIn(BaseModel):
    """One need: so many units of a capability, at a place, by a date."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID | None = None
    capability: Code
    quantity: int = Field(ge=1, le=100_000)
    place: Text200
    longitude: Longitude | None = None
    latitude: Latitude | None = None
    needed_by: AwareDatetime


class RequestCreate(Markings):
    """A new request for assistance within a crisis."""

    model_config = ConfigDict(extra="forbid")

    crisis_id: uuid.UUID
    title: Text200
    description: str = Field("", max_length=20_000)
    contact: Text200
    need_lines: list[NeedLineIn] = Field(min_length=1, max_length=100)


class RequestChange(Markings):
    """A change to a request; need lines given replace the open ones (by id where kept)."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    title: Text200 | None = None
    description: str | None = Field(None, max_length=20_000)
    contact: Text200 | None = None
    status: Literal["open", "closed", "withdrawn"] | None = None
    need_lines: list[NeedLineIn] | None = Field(None, min_length=1, max_length=100)


class Renewal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)


class NeedLineRead(BaseModel):
    id: uuid.UUID
    position: int
    capability: str
    capability_name: str
    quantity: int
    place: str
    longitude: float | None
    latitude: float | None
    needed_by: datetime
    status: str


class RequestRead(BaseModel):
    id: uuid.UUID
    crisis_id: uuid.UUID
    title: str
    description: str
    contact: str
    status: str
    lapsed: bool
    revision: int
    expires_at: datetime
    need_lines: list[NeedLineRead]
    owner: str
    classification: str
    releasable_to: list[str]
    posted_by: str
    posted_at: datetime
    updated_at: datetime
    version: int


class RequestList(BaseModel):
    items: list[RequestRead]
    next_cursor: str | None


class Match(BaseModel):
    need_line_id: uuid.UUID
    capability: str
    needed: int
    holding_id: uuid.UUID
    held: int
    readiness_hours: int
    home_base: str


class MatchList(BaseModel):
    items: list[Match]


class RevisionRead(BaseModel):
    revision: int
    at: datetime
    actor: str
    changes: list[dict]


# Offers


class OfferCreate(Markings):
    """An offer against one need line."""

    model_config = ConfigDict(extra="forbid")

    need_line_id: uuid.UUID
    quantity: int = Field(ge=1, le=100_000)
    arrival_at: AwareDatetime
    conditions: str = Field("", max_length=5000)


class OfferResponse(BaseModel):
    """The requester's answer to an offer."""

    model_config = ConfigDict(extra="forbid")

    response: Response
    note: str = Field("", max_length=5000)


class OfferRead(BaseModel):
    id: uuid.UUID
    request_id: uuid.UUID
    need_line_id: uuid.UUID
    capability: str
    quantity: int
    arrival_at: datetime
    conditions: str
    status: str
    request_revision: int
    response_note: str
    responded_by: str | None
    responded_at: datetime | None
    deployment_id: uuid.UUID | None = None
    owner: str
    classification: str
    releasable_to: list[str]
    offered_by: str
    offered_at: datetime
    version: int


class OfferList(BaseModel):
    items: list[OfferRead]
    next_cursor: str | None


# Deployments


class Position(BaseModel):
    model_config = ConfigDict(extra="forbid")

    longitude: Longitude
    latitude: Latitude


class DeploymentChange(BaseModel):
    """A status move, a position report or a new estimated arrival from the providing state."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    status: DeploymentStatus | None = None
    position: Position | None = None
    estimated_arrival: AwareDatetime | None = None
    note: str = Field("", max_length=5000)


class DeploymentRead(BaseModel):
    id: uuid.UUID
    offer_id: uuid.UUID
    request_id: uuid.UUID
    need_line_id: uuid.UUID
    crisis_id: uuid.UUID
    capability: str
    quantity: int
    status: str
    longitude: float | None
    latitude: float | None
    estimated_arrival: datetime | None
    owner: str
    classification: str
    releasable_to: list[str]
    updated_by: str
    updated_at: datetime
    version: int


class DeploymentList(BaseModel):
    items: list[DeploymentRead]
    next_cursor: str | None
