"""Signatures over manifests, entry into force, verification bundles and certified copies."""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer
from accord.clock import utcnow
from accord.documents import repository
from accord.documents.bundle import BundleKey, BundleSignature, write_bundle
from accord.documents.keys import SIGNATORY_ROLES, key_info, key_problem
from accord.documents.manifest import b64decode, public_pem, sha256_hex, text_bytes, verifies
from accord.documents.schemas import SignatureCreate
from accord.documents.service import (
    SYSTEM,
    VERSION_FLOW,
    get_document,
    get_version,
    manifest_of,
    require_depositary,
)
from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.events.service import markings_of, record_event
from accord.i18n import _
from accord.models.document import Document
from accord.models.document_certified_copy import DocumentCertifiedCopy
from accord.models.document_package import DocumentPackage
from accord.models.document_signature import DocumentSignature
from accord.models.document_version import DocumentVersion
from accord.models.signing_key import SigningKey


async def _signing_key(session: AsyncSession, viewer: Viewer, key_id: uuid.UUID) -> SigningKey:
    key = await repository.get_key(session, key_id)
    if key is None or key.user_id != viewer.user_id:
        raise InvalidInput(
            _("key_id: {id} is not one of your registered signing keys").format(id=key_id),
            field="key_id",
        )
    problem = key_problem(key, utcnow())
    if problem:
        raise InvalidInput(problem, field="key_id")
    return key


async def _check_signature(
    session: AsyncSession,
    document: Document,
    version: DocumentVersion,
    key: SigningKey,
    signature: bytes,
) -> None:
    raw = b64decode(key.public_key)
    if verifies(raw, signature, await manifest_of(session, document, version)):
        return
    for other in await repository.versions(session, document.id):
        if other.id != version.id and verifies(
            raw, signature, await manifest_of(session, document, other)
        ):
            raise InvalidInput(
                _(
                    "the signature is over version {other}, not version {number}: "
                    "fetch the manifest of version {number} and sign that"
                ).format(other=other.number, number=version.number),
                field="version",
            )
    raise InvalidInput(
        _(
            "the signature does not verify against key {id} over the manifest of version {number}"
        ).format(id=key.id, number=version.number),
        field="signature",
    )


async def _check_order(
    session: AsyncSession, document: Document, version: DocumentVersion, state: str
) -> None:
    package = await session.get(DocumentPackage, document.package_id)
    if package is None or not package.signing_order:
        return
    signed = {s.state for s in await repository.signatures(session, [version.id])}
    for slot in await repository.slots(session, [version.id]):
        if slot.state == state:
            return
        if slot.state not in signed:
            raise Conflict(
                _("the package sets a signing order: {state} signs before you").format(
                    state=slot.state
                ),
                field="version",
            )


async def sign(
    session: AsyncSession, viewer: Viewer, document_id: uuid.UUID, data: SignatureCreate
) -> tuple[DocumentSignature, Document]:
    """Store a state's signature after checking signer, key, version and the bytes signed."""
    document = await get_document(session, viewer, document_id)
    if not viewer.has_role(*SIGNATORY_ROLES):
        raise Forbidden(_("only a delegate of a member state signs for it"))
    version = await get_version(session, document, data.version, lock=True)
    if version.status != "open_for_signature":
        raise Conflict(
            _("version {number} is not open for signature (it is {status})").format(
                number=version.number, status=version.status
            ),
            field="version",
        )
    slots = {slot.state: slot for slot in await repository.slots(session, [version.id])}
    slot = slots.get(viewer.state)
    if slot is None:
        raise Forbidden(
            _("{state} has no signature slot on this document").format(state=viewer.state)
        )
    signed = {s.state for s in await repository.signatures(session, [version.id])}
    if viewer.state in signed:
        raise Conflict(
            _("{state} has signed version {number} already").format(
                state=viewer.state, number=version.number
            ),
            field="version",
        )
    key = await _signing_key(session, viewer, data.key_id)
    try:
        signature = b64decode(data.signature, size=64)
    except ValueError:
        raise InvalidInput(
            _("signature: not an Ed25519 signature (64 bytes in base64)"), field="signature"
        ) from None
    await _check_signature(session, document, version, key, signature)
    await _check_order(session, document, version, viewer.state)
    record = DocumentSignature(
        id=uuid.uuid4(),
        version_id=version.id,
        slot_id=slot.id,
        state=viewer.state,
        signer=viewer.username,
        key_id=key.id,
        signature=data.signature.strip(),
        manifest_sha256=version.manifest_sha256 or "",
        signed_at=utcnow(),
    )
    session.add(record)
    try:
        await session.flush()
    except IntegrityError:
        raise Conflict(
            _("{state} has signed version {number} already").format(
                state=viewer.state, number=version.number
            ),
            field="version",
        ) from None
    record_event(
        session,
        actor=viewer.username,
        kind="document.signed",
        subject=document.id,
        payload={
            "number": version.number,
            "state": viewer.state,
            "key_id": str(key.id),
            "manifest_sha256": version.manifest_sha256,
            "signature": record.signature,
        },
        **markings_of(document),
    )
    if signed | {viewer.state} >= set(slots):
        _enter_into_force(session, viewer, document, version, record)
    await session.flush()
    return record, document


def _enter_into_force(
    session: AsyncSession,
    viewer: Viewer,
    document: Document,
    version: DocumentVersion,
    last: DocumentSignature,
) -> None:
    VERSION_FLOW.check(version.status, "in_force", SYSTEM)
    version.status = document.status = "in_force"
    version.in_force_at = document.in_force_at = last.signed_at
    document.updated_at = last.signed_at
    record_event(
        session,
        actor=viewer.username,
        kind="document.in_force",
        subject=document.id,
        payload={"number": version.number, "in_force_at": last.signed_at.isoformat()},
        **markings_of(document),
    )


async def bundled_version(
    session: AsyncSession, viewer: Viewer | None, document: Document, number: int | None
) -> DocumentVersion:
    """The version a bundle or manifest is asked for; the in-force one, else the latest."""
    versions = await repository.versions(session, document.id)
    if viewer is None:
        versions = [v for v in versions if v.status == "in_force"]
    if number is not None:
        for version in versions:
            if version.number == number:
                return version
        raise NotFound(
            _("document {id} has no version {number}").format(id=document.id, number=number)
        )
    in_force = [v for v in versions if v.status == "in_force"]
    if in_force:
        return in_force[-1]
    if not versions:
        raise NotFound(_("document {id} has no version").format(id=document.id))
    return versions[-1]


async def bundle(
    session: AsyncSession, viewer: Viewer | None, document_id: uuid.UUID, number: int | None
) -> tuple[bytes, Document, DocumentVersion]:
    """The verification bundle of a version, as zip bytes."""
    document = await get_document(session, viewer, document_id)
    version = await bundled_version(session, viewer, document, number)
    manifest = await manifest_of(session, document, version)
    texts = {
        t.language: text_bytes(t.content) for t in await repository.texts(session, [version.id])
    }
    signatures = await repository.signatures(session, [version.id])
    keys = await repository.keys_by_id(session, {s.key_id for s in signatures})
    data = write_bundle(
        manifest,
        texts,
        [
            BundleSignature(
                state=s.state,
                signer=s.signer,
                key_id=str(s.key_id),
                signed_at=s.signed_at.isoformat(),
                signature=s.signature,
            )
            for s in signatures
        ],
        [
            BundleKey(
                key_id=str(key.id),
                pem=public_pem(b64decode(key.public_key)),
                info=key_info(key),
            )
            for key in keys.values()
        ],
        document={
            "document": str(document.id),
            "version": version.number,
            "status": version.status,
            "manifest_sha256": sha256_hex(manifest),
        },
    )
    return data, document, version


async def issue_certified_copy(
    session: AsyncSession, viewer: Viewer, document_id: uuid.UUID, state: str
) -> tuple[DocumentCertifiedCopy, int]:
    """The depositary sends a certified copy of the signed version to a state that signed it."""
    document = await get_document(session, viewer, document_id)
    require_depositary(viewer, document)
    versions = [
        v
        for v in await repository.versions(session, document.id)
        if v.status in ("open_for_signature", "in_force")
    ]
    signed = {
        (s.version_id, s.state)
        for s in await repository.signatures(session, [v.id for v in versions])
    }
    version = next((v for v in reversed(versions) if (v.id, state) in signed), None)
    if version is None:
        raise Conflict(
            _(
                "{state} has not signed this document: certified copies go only to signatories"
            ).format(state=state),
            field="state",
        )
    copy = DocumentCertifiedCopy(
        id=uuid.uuid4(),
        document_id=document.id,
        version_id=version.id,
        state=state,
        manifest_sha256=version.manifest_sha256 or "",
        issued_at=utcnow(),
        issued_by=viewer.username,
    )
    session.add(copy)
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind="document.certified_copy_issued",
        subject=document.id,
        payload={"state": state, "number": version.number, "copy": str(copy.id)},
        **markings_of(document),
    )
    return copy, version.number
