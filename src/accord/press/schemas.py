"""What the press API takes and gives."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from accord.programme.schemas import LinkRead

Language = Literal["en", "ru"]
LinkKind = Literal["session", "decision", "document", "programme"]
TextStatus = Literal["draft", "in_review", "approved", "published", "unpublished"]
Title = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]
Body = Annotated[str, StringConstraints(strip_whitespace=True, max_length=50_000)]


class TextIn(BaseModel):
    """One language version as written."""

    model_config = ConfigDict(extra="forbid")

    title: Title = ""
    body: Body = ""


class LinkRef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: LinkKind
    id: uuid.UUID


class ReleaseCreate(BaseModel):
    """A new release: at least one language version, and the public records it speaks of."""

    model_config = ConfigDict(extra="forbid")

    texts: dict[Language, TextIn] = Field(min_length=1)
    links: list[LinkRef] = Field(default_factory=list, max_length=20)


class ReleaseChange(BaseModel):
    """New wording of draft versions (or a new language), or new links; ``version`` guards it."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    texts: dict[Language, TextIn] | None = None
    links: list[LinkRef] | None = Field(None, max_length=20)


class ReleaseMove(BaseModel):
    """A step of the review for some language versions (all of them when none are named)."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    languages: list[Language] | None = Field(None, min_length=1)
    note: str = Field("", max_length=2000)


class TextRead(BaseModel):
    language: str
    title: str
    body: str
    status: str
    written_by: str
    approved_by: str | None
    published_at: datetime | None
    updated_at: datetime


class ImageRead(BaseModel):
    id: uuid.UUID
    filename: str
    media_type: str
    size: int
    sha256: str
    alt: str
    url: str


class StepRead(BaseModel):
    language: str
    source: str
    target: str
    actor: str
    at: datetime
    note: str


class ReleaseRead(BaseModel):
    id: uuid.UUID
    status: str
    texts: dict[str, TextRead]
    links: list[LinkRead]
    images: list[ImageRead]
    owner: str
    classification: str
    releasable_to: list[str]
    created_by: str
    created_at: datetime
    updated_at: datetime
    version: int


class ReleaseList(BaseModel):
    items: list[ReleaseRead]
    next_cursor: str | None
