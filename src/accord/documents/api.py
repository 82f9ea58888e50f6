"""The documents API: packages, documents, versions, signatures, keys and verification bundles."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query
from fastapi.responses import PlainTextResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord.auth.dependencies import Principal, current_principal, get_session, resolve_principal
from accord.documents import keys, reads, repository, service, signing
from accord.documents.schemas import (
    CertifiedCopyCreate,
    CertifiedCopyRead,
    DocumentChange,
    DocumentCreate,
    DocumentList,
    DocumentRead,
    KeyCreate,
    KeyList,
    KeyRead,
    KeyRevoke,
    Language,
    PackageCreate,
    PackageList,
    PackageRead,
    SignatureCreate,
    SignatureRead,
    StatusMove,
    TextPut,
    TextRead,
    VersionCreate,
    VersionRead,
)
from accord.errors import NotFound
from accord.i18n import _

router = APIRouter(prefix="/api/v1", tags=["documents"])


def _viewer(principal: Principal | None):
    return principal.viewer if principal else None


async def _read(session: AsyncSession, document_id: uuid.UUID, principal) -> DocumentRead:
    document = await service.get_document(session, _viewer(principal), document_id)
    read = await reads.document_read(session, document)
    if principal is None:
        read.versions = [v for v in read.versions if v.status == "in_force"]
    return read


# Packages


@router.get("/document-packages", response_model=PackageList)
async def list_packages(
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=200),
) -> PackageList:
    rows, next_cursor = await repository.list_packages(
        session, principal.viewer, cursor=cursor, limit=limit
    )
    return PackageList(items=[service.package_read(row) for row in rows], next_cursor=next_cursor)


@router.post("/document-packages", response_model=PackageRead, status_code=201)
async def create_package(
    body: PackageCreate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> PackageRead:
    return service.package_read(await service.create_package(session, principal.viewer, body))


@router.get("/document-packages/{package_id}", response_model=PackageRead)
async def get_package(
    package_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> PackageRead:
    package = await service.get_package(session, principal.viewer, package_id)
    documents, _next = await repository.list_documents(
        session, principal.viewer, package_id=package.id, limit=500
    )
    return service.package_read(package, documents)


# Documents


@router.get("/documents", response_model=DocumentList)
async def list_documents(
    principal: Principal | None = Depends(resolve_principal),
    session: AsyncSession = get_session,
    package: uuid.UUID | None = None,
    status: list[str] = Query([]),
    kind: list[str] = Query([]),
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=200),
) -> DocumentList:
    """Documents the caller may see; without logging in, PUBLIC documents in force."""
    rows, next_cursor = await repository.list_documents(
        session,
        _viewer(principal),
        package_id=package,
        statuses=tuple(status),
        kinds=tuple(kind),
        cursor=cursor,
        limit=limit,
    )
    return DocumentList(
        items=[service.document_summary(row) for row in rows], next_cursor=next_cursor
    )


@router.post("/documents", response_model=DocumentRead, status_code=201)
async def create_document(
    body: DocumentCreate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> DocumentRead:
    document = await service.create_document(session, principal.viewer, body)
    return await reads.document_read(session, document)


@router.get("/documents/{document_id}", response_model=DocumentRead)
async def get_document(
    document_id: uuid.UUID,
    principal: Principal | None = Depends(resolve_principal),
    session: AsyncSession = get_session,
) -> DocumentRead:
    return await _read(session, document_id, principal)


@router.patch("/documents/{document_id}", response_model=DocumentRead)
async def change_document(
    document_id: uuid.UUID,
    body: DocumentChange,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> DocumentRead:
    document = await service.change_document(session, principal.viewer, document_id, body)
    return await reads.document_read(session, document)


async def _version_read(session: AsyncSession, document_id: uuid.UUID, number: int, principal):
    read = await _read(session, document_id, principal)
    return next(v for v in read.versions if v.number == number)


@router.post("/documents/{document_id}/versions", response_model=VersionRead, status_code=201)
async def add_version(
    document_id: uuid.UUID,
    body: VersionCreate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> VersionRead:
    version = await service.add_version(session, principal.viewer, document_id, body.texts)
    return await _version_read(session, document_id, version.number, principal)


@router.put("/documents/{document_id}/versions/{number}/texts/{language}", response_model=TextRead)
async def put_text(
    document_id: uuid.UUID,
    number: int,
    language: Language,
    body: TextPut,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> TextRead:
    text = await service.put_text(
        session, principal.viewer, document_id, number, language, body.content
    )
    return TextRead(language=text.language, sha256=text.sha256, size=text.size)


@router.get(
    "/documents/{document_id}/versions/{number}/texts/{language}",
    response_class=PlainTextResponse,
)
async def get_text(
    document_id: uuid.UUID,
    number: int,
    language: str,
    principal: Principal | None = Depends(resolve_principal),
    session: AsyncSession = get_session,
) -> Response:
    document = await service.get_document(session, _viewer(principal), document_id)
    version = await signing.bundled_version(session, _viewer(principal), document, number)
    text = await repository.get_text(session, version.id, language)
    if text is None:
        raise NotFound(
            _("version {number} has no text in {language}").format(number=number, language=language)
        )
    return PlainTextResponse(text.content, headers={"X-Content-SHA256": text.sha256})


@router.post("/documents/{document_id}/versions/{number}/status", response_model=VersionRead)
async def move_version(
    document_id: uuid.UUID,
    number: int,
    body: StatusMove,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> VersionRead:
    await service.move_version(session, principal.viewer, document_id, number, body.status)
    return await _version_read(session, document_id, number, principal)


@router.get("/documents/{document_id}/manifest")
async def get_manifest(
    document_id: uuid.UUID,
    version: int | None = Query(None, ge=1),
    principal: Principal | None = Depends(resolve_principal),
    session: AsyncSession = get_session,
) -> Response:
    """The exact bytes a signatory signs (RFC 8785 JSON) for a version."""
    document = await service.get_document(session, _viewer(principal), document_id)
    found = await signing.bundled_version(session, _viewer(principal), document, version)
    manifest = await service.manifest_of(session, document, found)
    return Response(
        manifest,
        media_type="application/json",
        headers={"X-Document-Version": str(found.number), "Cache-Control": "no-store"},
    )


@router.post("/documents/{document_id}/signatures", response_model=SignatureRead, status_code=201)
async def sign_document(
    document_id: uuid.UUID,
    body: SignatureCreate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> SignatureRead:
    record, document = await signing.sign(session, principal.viewer, document_id, body)
    return SignatureRead(
        id=record.id,
        document_id=document.id,
        version=body.version,
        state=record.state,
        signer=record.signer,
        key_id=record.key_id,
        signature=record.signature,
        signed_at=record.signed_at,
        document_status=document.status,
    )


@router.get("/documents/{document_id}/bundle")
async def get_bundle(
    document_id: uuid.UUID,
    version: int | None = Query(None, ge=1),
    principal: Principal | None = Depends(resolve_principal),
    session: AsyncSession = get_session,
) -> Response:
    """The verification bundle: anyone who may see the document; the public when in force."""
    data, document, found = await signing.bundle(session, _viewer(principal), document_id, version)
    name = f"document-{document.id}-v{found.number}.zip"
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post(
    "/documents/{document_id}/certified-copies", response_model=CertifiedCopyRead, status_code=201
)
async def issue_certified_copy(
    document_id: uuid.UUID,
    body: CertifiedCopyCreate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> CertifiedCopyRead:
    copy, number = await signing.issue_certified_copy(
        session, principal.viewer, document_id, body.state
    )
    return _copy_read(copy, number)


@router.get("/documents/{document_id}/certified-copies", response_model=list[CertifiedCopyRead])
async def list_certified_copies(
    document_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> list[CertifiedCopyRead]:
    document = await service.get_document(session, principal.viewer, document_id)
    numbers = {v.id: v.number for v in await repository.versions(session, document.id)}
    return [
        _copy_read(copy, numbers[copy.version_id])
        for copy in await repository.certified_copies(session, document.id)
    ]


def _copy_read(copy, number: int) -> CertifiedCopyRead:
    return CertifiedCopyRead(
        id=copy.id,
        document_id=copy.document_id,
        version=number,
        state=copy.state,
        manifest_sha256=copy.manifest_sha256,
        issued_at=copy.issued_at,
        issued_by=copy.issued_by,
    )


# Signing keys


@router.get("/signing-keys", response_model=KeyList)
async def list_keys(
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    state: str | None = Query(None, pattern=r"^[A-Z]{3}$"),
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=200),
) -> KeyList:
    rows, next_cursor = await keys.list_keys(
        session, principal.viewer, state=state, cursor=cursor, limit=limit
    )
    return KeyList(items=[keys.key_read(row) for row in rows], next_cursor=next_cursor)


@router.post("/signing-keys", response_model=KeyRead, status_code=201)
async def register_key(
    body: KeyCreate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> KeyRead:
    """Register the caller's own public key; the private key never leaves the signatory."""
    return keys.key_read(await keys.register_key(session, principal.viewer, body))


@router.post("/signing-keys/{key_id}/revoke", response_model=KeyRead)
async def revoke_key(
    key_id: uuid.UUID,
    body: KeyRevoke,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> KeyRead:
    return keys.key_read(await keys.revoke_key(session, principal.viewer, key_id, body.reason))
