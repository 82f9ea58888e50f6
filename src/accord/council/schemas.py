"""What the council API takes and gives."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from accord.incidents.schemas import Markings, StateCode

SessionKind = Literal["regular", "extraordinary"]
SessionFormat = Literal["narrow", "extended"]
AttendanceStatus = Literal["present", "represented", "absent", "declined"]
PositionKind = Literal[
    "support",
    "no_objection",
    "abstain",
    "declared_abstention",
    "non_participation",
    "object",
    "amend",
    "statement",
    "absent",
]
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
Text = Annotated[str, StringConstraints(max_length=100_000)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
ATTENDANCE: tuple[str, ...] = AttendanceStatus.__args__  # type: ignore[attr-defined]
POSITION_KINDS: tuple[str, ...] = PositionKind.__args__  # type: ignore[attr-defined]


class _When(BaseModel):
    year: int | None = Field(None, ge=1990, le=2200)
    quarter: int | None = Field(None, ge=1, le=4)
    held_on: date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> _When:
        if self.held_on is not None:
            if self.year is not None and self.year != self.held_on.year:
                raise ValueError("year: differs from the year of held_on")
            self.year = self.held_on.year
            self.quarter = (self.held_on.month - 1) // 3 + 1
        return self


class SessionCreate(Markings, _When):
    """A session planned: an exact date, or only a year and quarter to be made exact later."""

    model_config = ConfigDict(extra="forbid")

    body: str = Field("csc", min_length=1, max_length=32)
    title: Title
    kind: SessionKind = "regular"
    format: SessionFormat = "narrow"
    city: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    venue: str = Field("", max_length=200)
    chair: StateCode | None = None
    notes: str = Field("", max_length=5000)
    public: bool = False

    @model_validator(mode="after")
    def _dated(self) -> SessionCreate:
        if self.year is None:
            raise ValueError("held_on: give the date, or at least the year and quarter")
        return self


class SessionChange(Markings, _When):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    title: Title | None = None
    kind: SessionKind | None = None
    format: SessionFormat | None = None
    city: str | None = Field(None, min_length=1, max_length=100)
    venue: str | None = Field(None, max_length=200)
    chair: StateCode | None = None
    notes: str | None = Field(None, max_length=5000)
    public: bool | None = None


class SessionRead(BaseModel):
    id: uuid.UUID
    body: str
    title: str
    kind: str
    format: str
    year: int
    quarter: int | None
    held_on: date | None
    when: str
    city: str
    venue: str
    chair: str | None
    notes: str
    public: bool
    owner: str
    classification: str
    releasable_to: list[str]
    version: int


class SessionList(BaseModel):
    items: list[SessionRead]
    next_cursor: str | None


class AttendanceSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    state: StateCode
    status: AttendanceStatus
    plenipotentiary: str = Field("", max_length=200)
    credentials: str = Field("", max_length=500)


class AttendanceRead(BaseModel):
    state: str
    status: str
    plenipotentiary: str
    credentials: str
    recorded_at: datetime
    recorded_by: str


class AgendaItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title
    description: str = Field("", max_length=5000)
    procedural: bool = False


class AgendaItemChange(BaseModel):
    """A change to an agenda item; ``version`` is the session's, as the agenda is part of it."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    title: Title | None = None
    description: str | None = Field(None, max_length=5000)
    procedural: bool | None = None


class AgendaOrder(BaseModel):
    """The session's agenda items in their new order, every one named once."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    items: list[uuid.UUID] = Field(min_length=1, max_length=500)


class AgendaItemRead(BaseModel):
    id: uuid.UUID
    position: int
    title: str
    description: str
    procedural: bool


class DecisionCreate(Markings):
    """A draft decision at a session (linked to an agenda item) or for the written procedure."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    texts: dict[Language, Text] = Field(min_length=1, max_length=10)
    session_id: uuid.UUID | None = None
    agenda_item_id: uuid.UUID | None = None
    body: str | None = Field(None, max_length=32)
    procedural: bool | None = None
    concerned: list[StateCode] = Field(default_factory=list, max_length=20)


class DecisionChange(Markings):
    """A change to a draft; ``texts`` makes a new version."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    title: Title | None = None
    texts: dict[Language, Text] | None = Field(None, min_length=1, max_length=10)
    note: str = Field("", max_length=500)


class SilenceLaunch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    deadline: AwareDatetime
    version: int | None = Field(None, ge=1)


class PositionCreate(BaseModel):
    """A state's position; ``state`` only for the secretariat recording a written position."""

    model_config = ConfigDict(extra="forbid")

    position: PositionKind
    text: str = Field("", max_length=20_000)
    written: bool = False
    state: StateCode | None = None
    signed_by: str = Field("", max_length=200)
    received_at: AwareDatetime | None = None


class PositionRead(BaseModel):
    state: str
    position: str
    text: str
    written: bool
    signed_by: str
    received_at: datetime
    recorded_by: str


class VersionRead(BaseModel):
    number: int
    texts: dict[str, str]
    note: str
    created_at: datetime
    created_by: str


class DecisionRead(BaseModel):
    id: uuid.UUID
    body: str
    title: str
    session_id: uuid.UUID | None
    agenda_item_id: uuid.UUID | None
    procedure: str
    procedural: bool
    status: str
    rule: str
    rule_params: dict[str, Any]
    concerned: list[str]
    deadline: datetime | None
    closed_at: datetime | None
    adopted: bool | None
    reason: dict[str, Any] | None
    reason_text: str | None
    states_bound: list[str] | None
    number: str | None
    texts: dict[str, str]
    text_version: int
    owner: str
    classification: str
    releasable_to: list[str]
    version: int


class DecisionDetail(DecisionRead):
    versions: list[VersionRead]
    positions: list[PositionRead]


class DecisionList(BaseModel):
    items: list[DecisionRead]
    next_cursor: str | None


class VersionOnly(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)


class DecisionWithdraw(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(None, ge=1)
    reason: str = Field("", max_length=1000)


class DecisionRedraft(BaseModel):
    """A new draft from a decision that was not adopted: at a session, or for the written
    procedure when no session is named."""

    model_config = ConfigDict(extra="forbid")

    session_id: uuid.UUID | None = None
    agenda_item_id: uuid.UUID | None = None
