"""A document read whole: its versions, texts, signature slots, signatories and states bound."""

from __future__ import annotations

import importlib

from sqlalchemy.ext.asyncio import AsyncSession

from accord.documents import repository
from accord.documents.schemas import DocumentRead, SlotRead, TextRead, VersionRead
from accord.documents.service import document_summary
from accord.errors import NotFound
from accord.models.document import Document


async def states_bound(session: AsyncSession, document: Document, signatories: list[str]):
    """The states bound by a document in force: the council decision's, else its signatories."""
    if document.status != "in_force":
        return None
    if document.decision_id is not None:
        try:
            council = importlib.import_module("accord.council.service")
        except ImportError:
            council = None
        bound = getattr(council, "states_bound", None)
        if bound is not None:
            try:
                found = await bound(session, document.decision_id)
            except NotFound:
                found = None
            if found:
                return sorted(found)
    return sorted(signatories)


async def document_read(session: AsyncSession, document: Document) -> DocumentRead:
    versions = await repository.versions(session, document.id)
    ids = [v.id for v in versions]
    texts = await repository.texts(session, ids)
    slots = await repository.slots(session, ids)
    signatures = {(s.version_id, s.state): s for s in await repository.signatures(session, ids)}
    reads = []
    for version in versions:
        slot_reads = []
        for slot in (s for s in slots if s.version_id == version.id):
            signed = signatures.get((version.id, slot.state))
            slot_reads.append(
                SlotRead(
                    state=slot.state,
                    position=slot.position,
                    signed=signed is not None,
                    signer=signed.signer if signed else None,
                    signed_at=signed.signed_at if signed else None,
                    key_id=signed.key_id if signed else None,
                    signature=signed.signature if signed else None,
                )
            )
        reads.append(
            VersionRead(
                number=version.number,
                status=version.status,
                manifest_sha256=version.manifest_sha256,
                created_at=version.created_at,
                agreed_at=version.agreed_at,
                opened_at=version.opened_at,
                in_force_at=version.in_force_at,
                texts=[
                    TextRead(language=t.language, sha256=t.sha256, size=t.size)
                    for t in texts
                    if t.version_id == version.id
                ],
                slots=slot_reads,
            )
        )
    in_force = [v for v in versions if v.status == "in_force"]
    signatories = sorted(
        state for (version_id, state) in signatures if in_force and version_id == in_force[0].id
    )
    summary = document_summary(document).model_dump()
    return DocumentRead(
        **summary,
        versions=reads,
        signatories=signatories,
        states_bound=await states_bound(session, document, signatories),
    )
