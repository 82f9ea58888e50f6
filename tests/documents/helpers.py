"""Builders for the documents tests: a secretariat officer, delegates with keys, open documents."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer
from accord.auth.service import viewer_of
from accord.clock import utcnow
from accord.documents import keys, service
from accord.documents.manifest import b64encode, public_raw_of
from accord.documents.manifest import sign as sign_bytes
from accord.documents.schemas import DocumentCreate, KeyCreate, PackageCreate, SignatureCreate
from accord.documents.signing import sign
from accord.models.document import Document
from accord.models.signing_key import SigningKey
from tests.factories import create_user

MEMBERS = ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK")
TEXTS = {"en": "The member states declare their resolve.", "ru": "Государства-члены заявляют."}


@dataclass
class Signatory:
    viewer: Viewer
    private: Ed25519PrivateKey
    key: SigningKey

    def signature(self, manifest: bytes) -> str:
        return sign_bytes(self.private, manifest)


async def secretariat(session: AsyncSession) -> Viewer:
    user = await create_user(
        session, state="ORG", roles=["secretariat"], clearance="SECRET", username=_name("sec")
    )
    return viewer_of(user)


async def signatory(session: AsyncSession, state: str, **key_values: Any) -> Signatory:
    """A delegate of ``state`` with a registered key."""
    user = await create_user(
        session, state=state, roles=["delegate"], clearance="CONFIDENTIAL", username=_name(state)
    )
    viewer = viewer_of(user)
    private = Ed25519PrivateKey.generate()
    key = await keys.register_key(
        session, viewer, KeyCreate(public_key=b64encode(public_raw_of(private)), **key_values)
    )
    return Signatory(viewer, private, key)


async def open_document(
    session: AsyncSession,
    officer: Viewer,
    *,
    classification: str = "RESTRICTED",
    releasable_to: list[str] | None = None,
    signing_order: bool = False,
    texts: dict[str, str] | None = None,
) -> Document:
    """A document whose version 1 is open for signature, in a package of its own."""
    document = await draft_document(
        session,
        officer,
        classification=classification,
        releasable_to=releasable_to,
        signing_order=signing_order,
        texts=texts,
    )
    await service.move_version(session, officer, document.id, 1, "agreed")
    await service.move_version(session, officer, document.id, 1, "open_for_signature")
    return document


async def draft_document(
    session: AsyncSession,
    officer: Viewer,
    *,
    classification: str = "RESTRICTED",
    releasable_to: list[str] | None = None,
    signing_order: bool = False,
    texts: dict[str, str] | None = None,
) -> Document:
    package = await service.create_package(
        session,
        officer,
        PackageCreate(
            title={"en": "Minsk 2023", "ru": "Минск 2023"},
            signing_order=signing_order,
            classification=classification,
            releasable_to=releasable_to or ["ALL"],
        ),
    )
    return await service.create_document(
        session,
        officer,
        DocumentCreate(
            package_id=package.id,
            kind="declaration",
            title={"en": "Minsk Declaration", "ru": "Минская декларация"},
            texts=texts or TEXTS,
        ),
    )


async def sign_as(
    session: AsyncSession, who: Signatory, document: Document, number: int = 1, **overrides: Any
):
    manifest = await manifest_bytes(session, document, number)
    values = {"version": number, "key_id": who.key.id, "signature": who.signature(manifest)}
    values.update(overrides)
    return await sign(session, who.viewer, document.id, SignatureCreate(**values))


async def manifest_bytes(session: AsyncSession, document: Document, number: int = 1) -> bytes:
    version = await service.get_version(session, document, number)
    return await service.manifest_of(session, document, version)


def _name(prefix: str) -> str:
    return f"{prefix.lower()}-{uuid.uuid4().hex[:8]}"


def later(days: int = 0, **delta: float):
    return utcnow() + timedelta(days=days, **delta)
