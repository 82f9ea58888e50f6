"""All SQL of the documents domain; every read of documents goes through the access filter."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Classification, Viewer, visible
from accord.models.document import Document
from accord.models.document_certified_copy import DocumentCertifiedCopy
from accord.models.document_package import DocumentPackage
from accord.models.document_signature import DocumentSignature
from accord.models.document_signature_slot import DocumentSignatureSlot
from accord.models.document_text import DocumentText
from accord.models.document_version import DocumentVersion
from accord.models.signing_key import SigningKey
from accord.paging import keyset_page

IN_FORCE = "in_force"


def visible_documents(viewer: Viewer | None) -> ColumnElement[bool]:
    """The access rule for documents; the public sees PUBLIC documents in force, nothing else."""
    if viewer is None:
        return and_(Document.classification == Classification.PUBLIC, Document.status == IN_FORCE)
    return visible(viewer, Document)


async def list_packages(
    session: AsyncSession, viewer: Viewer, *, cursor: str | None, limit: int
) -> tuple[list[DocumentPackage], str | None]:
    """Packages the viewer may see, newest first."""
    query = select(DocumentPackage).where(visible(viewer, DocumentPackage))
    return await keyset_page(
        session, query, DocumentPackage.created_at, DocumentPackage.id, cursor, limit
    )


async def get_package(
    session: AsyncSession, viewer: Viewer | None, package_id: uuid.UUID
) -> DocumentPackage | None:
    if viewer is None:
        return None
    query = select(DocumentPackage).where(
        DocumentPackage.id == package_id, visible(viewer, DocumentPackage)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def list_documents(
    session: AsyncSession,
    viewer: Viewer | None,
    *,
    package_id: uuid.UUID | None = None,
    statuses: tuple[str, ...] = (),
    kinds: tuple[str, ...] = (),
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[Document], str | None]:
    """Documents the viewer may see, in package order (a package's documents by position)."""
    query = select(Document).where(visible_documents(viewer))
    if package_id is not None:
        query = query.where(Document.package_id == package_id)
    if statuses:
        query = query.where(Document.status.in_(statuses))
    if kinds:
        query = query.where(Document.kind.in_(kinds))
    return await keyset_page(
        session, query, Document.created_at, Document.id, cursor, limit, newest_first=False
    )


async def get_document(
    session: AsyncSession, viewer: Viewer | None, document_id: uuid.UUID
) -> Document | None:
    query = select(Document).where(Document.id == document_id, visible_documents(viewer))
    return (await session.execute(query)).scalar_one_or_none()


async def max_position(session: AsyncSession, package_id: uuid.UUID) -> int:
    query = select(Document.position).where(Document.package_id == package_id)
    return max((await session.execute(query)).scalars(), default=0)


async def versions(session: AsyncSession, document_id: uuid.UUID) -> list[DocumentVersion]:
    query = (
        select(DocumentVersion)
        .where(DocumentVersion.document_id == document_id)
        .order_by(DocumentVersion.number)
    )
    return list((await session.execute(query)).scalars())


async def get_version(
    session: AsyncSession, document_id: uuid.UUID, number: int, *, lock: bool = False
) -> DocumentVersion | None:
    query = select(DocumentVersion).where(
        DocumentVersion.document_id == document_id, DocumentVersion.number == number
    )
    if lock:
        # Signatures of one version are taken one at a time, so exactly one of them sees
        # the last slot filled and puts the version in force.
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def texts(session: AsyncSession, version_ids: list[uuid.UUID]) -> list[DocumentText]:
    if not version_ids:
        return []
    query = (
        select(DocumentText)
        .where(DocumentText.version_id.in_(version_ids))
        .order_by(DocumentText.language)
    )
    return list((await session.execute(query)).scalars())


async def get_text(
    session: AsyncSession, version_id: uuid.UUID, language: str
) -> DocumentText | None:
    query = select(DocumentText).where(
        DocumentText.version_id == version_id, DocumentText.language == language
    )
    return (await session.execute(query)).scalar_one_or_none()


async def slots(session: AsyncSession, version_ids: list[uuid.UUID]) -> list[DocumentSignatureSlot]:
    if not version_ids:
        return []
    query = (
        select(DocumentSignatureSlot)
        .where(DocumentSignatureSlot.version_id.in_(version_ids))
        .order_by(DocumentSignatureSlot.position)
    )
    return list((await session.execute(query)).scalars())


async def signatures(
    session: AsyncSession, version_ids: list[uuid.UUID]
) -> list[DocumentSignature]:
    if not version_ids:
        return []
    query = (
        select(DocumentSignature)
        .where(DocumentSignature.version_id.in_(version_ids))
        .order_by(DocumentSignature.signed_at)
    )
    return list((await session.execute(query)).scalars())


async def keys_by_id(session: AsyncSession, ids: set[uuid.UUID]) -> dict[uuid.UUID, SigningKey]:
    if not ids:
        return {}
    query = select(SigningKey).where(SigningKey.id.in_(ids))
    return {key.id: key for key in (await session.execute(query)).scalars()}


async def get_key(session: AsyncSession, key_id: uuid.UUID) -> SigningKey | None:
    return await session.get(SigningKey, key_id)


async def key_by_fingerprint(session: AsyncSession, fingerprint: str) -> SigningKey | None:
    query = select(SigningKey).where(SigningKey.fingerprint == fingerprint)
    return (await session.execute(query)).scalar_one_or_none()


async def list_keys(
    session: AsyncSession,
    *,
    user_id: uuid.UUID | None,
    state: str | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[SigningKey], str | None]:
    query = select(SigningKey)
    if user_id is not None:
        query = query.where(SigningKey.user_id == user_id)
    if state is not None:
        query = query.where(SigningKey.state == state)
    return await keyset_page(session, query, SigningKey.created_at, SigningKey.id, cursor, limit)


async def certified_copies(
    session: AsyncSession, document_id: uuid.UUID
) -> list[DocumentCertifiedCopy]:
    query = (
        select(DocumentCertifiedCopy)
        .where(DocumentCertifiedCopy.document_id == document_id)
        .order_by(DocumentCertifiedCopy.issued_at)
    )
    return list((await session.execute(query)).scalars())
