"""What the quota-posts API takes and gives: terms, posts, nominees and distributions."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

StateCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Year = Annotated[int, Field(ge=1990, le=2200)]
Basis = Literal["budget_share", "shares", "weighted"]
TieBreak = Literal["population_desc", "code_asc"]
UnboundPosts = Literal["vacant_reserved", "reassigned"]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Grade = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
BodyCode = Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,32}$")]
TERM_YEARS = 3


class TermCreate(BaseModel):
    """A new three-year term: the entitlement, the rules and the tie-break, set before computing.

    ``budget_share`` takes the newest scale of ``scale_year`` (default: the first year);
    ``shares`` takes the percentages given here; ``weighted`` mixes an equal part, population
    and contribution (the scale's shares) by ``weights`` that sum to 1 (``"1/3"`` or ``"0.25"``).
    """

    model_config = ConfigDict(extra="forbid")

    start_year: Year
    basis: Basis = "budget_share"
    shares: dict[StateCode, Annotated[Decimal, Field(ge=0, le=100)]] = Field(
        default_factory=dict, max_length=100
    )
    weights: dict[str, Annotated[str, StringConstraints(max_length=40)] | int | float] = Field(
        default_factory=dict, max_length=3
    )
    scale_year: Year | None = None
    minimum: int = Field(0, ge=0, le=1000)
    cap: int | None = Field(None, ge=0, le=10_000)
    tie_break: TieBreak = "population_desc"


class TermRead(BaseModel):
    id: uuid.UUID
    name: str
    start_year: int
    end_year: int
    basis: str
    shares: dict[str, str]
    weights: dict[str, str]
    scale_year: int | None
    minimum: int
    cap: int | None
    tie_break: str
    posts: int
    quota_posts: int
    created_at: datetime
    created_by: str
    owner: str
    classification: str
    releasable_to: list[str]
    version: int


class TermList(BaseModel):
    items: list[TermRead]
    next_cursor: str | None


class PostCreate(BaseModel):
    """A post of the term; ``reserved`` posts (secretary general, deputies) are outside quota."""

    model_config = ConfigDict(extra="forbid")

    term_id: uuid.UUID
    title: Text
    grade: Grade
    body: BodyCode = "secretariat"
    reserved: bool = False


class PostChange(BaseModel):
    """A change to a post; ``state`` gives the post to a member's quota (null takes it back)."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    title: Text | None = None
    grade: Grade | None = None
    body: BodyCode | None = None
    reserved: bool | None = None
    state: StateCode | None = None


class NomineeAssignment(BaseModel):
    """Who fills the post; an empty ``nominee`` leaves it vacant again."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    nominee: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
    nominee_state: StateCode | None = None


class PostRead(BaseModel):
    id: uuid.UUID
    term_id: uuid.UUID
    title: str
    grade: str
    body: str
    reserved: bool
    state: str | None
    nominee: str
    nominee_state: str | None
    status: str
    owner: str
    classification: str
    releasable_to: list[str]
    version: int


class PostList(BaseModel):
    items: list[PostRead]
    next_cursor: str | None


class DistributionCreate(BaseModel):
    """Compute the term's distribution; ``posts`` defaults to the term's posts outside reserve."""

    model_config = ConfigDict(extra="forbid")

    posts: int | None = Field(None, le=10_000)


class Allocation(BaseModel):
    state: str
    entitlement: str
    quota: str
    quota_decimal: str
    posts: int


class DistributionRead(BaseModel):
    id: uuid.UUID
    term_id: uuid.UUID
    method: str
    inputs: dict[str, Any]
    result: list[Allocation]
    tie_broken: bool
    computed_at: datetime
    computed_by: str
    decision_id: uuid.UUID | None
    states_bound: list[str] | None
    unbound_posts: str | None
    adopted_at: datetime | None
    owner: str
    classification: str
    releasable_to: list[str]


class Adoption(BaseModel):
    """The council decision adopting the distribution, and the posts of states it does not bind."""

    model_config = ConfigDict(extra="forbid")

    decision_id: uuid.UUID | None = None
    states_bound: list[StateCode] | None = Field(None, max_length=100)
    unbound_posts: UnboundPosts = "vacant_reserved"
