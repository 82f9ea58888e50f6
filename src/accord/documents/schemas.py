"""What the documents API takes and gives."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, field_validator

from accord.access import Classification

Kind = Literal[
    "declaration",
    "decision",
    "regulation",
    "appointment",
    "quota_distribution",
    "structure",
    "budget",
    "other",
]
VersionStatus = Literal["draft", "agreed", "open_for_signature", "in_force"]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]
VERSION_STATUSES: tuple[str, ...] = VersionStatus.__args__  # type: ignore[attr-defined]

Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
TitleText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Titles = Annotated[dict[Language, TitleText], Field(min_length=1, max_length=10)]
TextContent = Annotated[str, StringConstraints(min_length=1, max_length=2_000_000)]
StateCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Releasability = Annotated[list[StateCode], Field(max_length=50)]


class Markings(BaseModel):
    classification: Classification | None = None
    releasable_to: Releasability | None = None

    @field_validator("classification", mode="before")
    @classmethod
    def _level(cls, value: Any) -> Classification | None:
        return None if value is None else Classification.parse(value)


class PackageCreate(Markings):
    """A new package of documents for a session."""

    model_config = ConfigDict(extra="forbid")

    title: Titles
    session_id: uuid.UUID | None = None
    signing_order: bool = False


class PackageRead(BaseModel):
    id: uuid.UUID
    title: dict[str, str]
    session_id: uuid.UUID | None
    signing_order: bool
    owner: str
    classification: str
    releasable_to: list[str]
    created_at: datetime
    documents: list[DocumentSummary] = []


class DocumentCreate(Markings):
    """A new document in a package; its first version is a draft holding ``texts``."""

    model_config = ConfigDict(extra="forbid")

    package_id: uuid.UUID
    kind: Kind
    title: Titles
    decision_id: uuid.UUID | None = None
    texts: dict[Language, TextContent] = Field(default_factory=dict, max_length=10)


class DocumentChange(Markings):
    """A change to a document's particulars; ``version`` is the record version changed."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    kind: Kind | None = None
    title: Titles | None = None
    decision_id: uuid.UUID | None = None


class VersionCreate(BaseModel):
    """A new draft version; without ``texts`` it starts from the latest version's texts."""

    model_config = ConfigDict(extra="forbid")

    texts: dict[Language, TextContent] | None = Field(None, max_length=10)


class TextPut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    content: TextContent


class StatusMove(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: VersionStatus


class SignatureCreate(BaseModel):
    """A detached Ed25519 signature (base64) over the manifest of ``version``."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    key_id: uuid.UUID
    signature: str = Field(min_length=1, max_length=200)


class CertifiedCopyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    state: StateCode


class TextRead(BaseModel):
    language: str
    sha256: str
    size: int


class SlotRead(BaseModel):
    state: str
    position: int
    signed: bool
    signer: str | None = None
    signed_at: datetime | None = None
    key_id: uuid.UUID | None = None
    signature: str | None = None


class VersionRead(BaseModel):
    number: int
    status: str
    manifest_sha256: str | None
    created_at: datetime
    agreed_at: datetime | None
    opened_at: datetime | None
    in_force_at: datetime | None
    texts: list[TextRead]
    slots: list[SlotRead]


class DocumentSummary(BaseModel):
    id: uuid.UUID
    package_id: uuid.UUID
    position: int
    kind: str
    title: dict[str, str]
    status: str
    owner: str
    classification: str
    releasable_to: list[str]
    decision_id: uuid.UUID | None
    in_force_at: datetime | None
    version: int


class DocumentRead(DocumentSummary):
    versions: list[VersionRead]
    signatories: list[str]
    states_bound: list[str] | None


class DocumentList(BaseModel):
    items: list[DocumentSummary]
    next_cursor: str | None


class PackageList(BaseModel):
    items: list[PackageRead]
    next_cursor: str | None


class SignatureRead(BaseModel):
    id: uuid.UUID
    document_id: uuid.UUID
    version: int
    state: str
    signer: str
    key_id: uuid.UUID
    signature: str
    signed_at: datetime
    document_status: str


class CertifiedCopyRead(BaseModel):
    id: uuid.UUID
    document_id: uuid.UUID
    version: int
    state: str
    manifest_sha256: str
    issued_at: datetime
    issued_by: str


class KeyCreate(BaseModel):
    """A signatory's own public key: raw 32 bytes in base64, or PEM."""

    model_config = ConfigDict(extra="forbid")

    public_key: str = Field(min_length=1, max_length=2000)
    label: str = Field("", max_length=100)
    valid_from: AwareDatetime | None = None
    valid_until: AwareDatetime | None = None
    replaces: uuid.UUID | None = None


class KeyRevoke(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500)


class KeyRead(BaseModel):
    id: uuid.UUID
    username: str
    state: str
    label: str
    public_key: str
    fingerprint: str
    valid_from: datetime
    valid_until: datetime | None
    revoked_at: datetime | None
    revoked_reason: str
    created_at: datetime


class KeyList(BaseModel):
    items: list[KeyRead]
    next_cursor: str | None


PackageRead.model_rebuild()
