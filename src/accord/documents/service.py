"""The depositary's rules: packages, documents, versions and their texts, and the status flow.

Entry into force: a version enters into force by itself when the last of its signature slots
(one per member state when it opened for signature) is signed. The secretariat cannot declare
it in force with fewer signatures; a state that will not sign keeps the document open.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import EVERYONE, SECRETARIAT, Classification, Viewer, can_change
from accord.clock import utcnow
from accord.documents import repository
from accord.documents.manifest import canonical, manifest_body, sha256_hex, text_bytes
from accord.documents.schemas import (
    DocumentChange,
    DocumentCreate,
    DocumentSummary,
    PackageCreate,
    PackageRead,
)
from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.events.service import markings_of, note_secret_read, record_event
from accord.i18n import _
from accord.members import repository as members
from accord.models.document import Document
from accord.models.document_package import DocumentPackage
from accord.models.document_signature_slot import DocumentSignatureSlot
from accord.models.document_text import DocumentText
from accord.models.document_version import DocumentVersion
from accord.workflow import Move, Workflow

DEPOSITARY_ROLES = frozenset({"secretariat"})
# Entering into force is the system's move, made when the last slot is signed.
SYSTEM = frozenset({"signature"})
VERSION_FLOW = Workflow(
    "document version",
    ("draft", "agreed", "open_for_signature", "in_force"),
    (
        Move("draft", "agreed", DEPOSITARY_ROLES),
        Move("agreed", "draft", DEPOSITARY_ROLES),
        Move("agreed", "open_for_signature", DEPOSITARY_ROLES),
        Move("open_for_signature", "in_force", SYSTEM),
    ),
)
SIGNING_STATUSES = ("member",)


def require_depositary(viewer: Viewer, record: Document | DocumentPackage | None = None) -> None:
    """Only the secretariat assembles and edits packages and documents."""
    allowed = (
        can_change(viewer, record, DEPOSITARY_ROLES)
        if record is not None
        else viewer.state == SECRETARIAT and viewer.has_role(*DEPOSITARY_ROLES)
    )
    if not allowed:
        raise Forbidden(_("only the secretariat assembles and edits document packages"))


async def _check_markings(
    session: AsyncSession, viewer: Viewer, classification: Classification, codes: list[str]
) -> list[str]:
    if classification > viewer.clearance:
        raise InvalidInput(_("classification: above your own clearance"), field="classification")
    known = {state.code for state in await members.list_states(session)} | {
        EVERYONE,
        SECRETARIAT,
    }
    for index, code in enumerate(codes):
        if code not in known:
            raise InvalidInput(
                _("releasable_to: {code} is not a member state, ORG or ALL").format(code=code),
                field=f"releasable_to.{index}",
            )
    return sorted(set(codes))


def _given(level: Classification | None, default: Classification) -> Classification:
    # PUBLIC is 0: "or" would take it for missing.
    return default if level is None else level


# Packages


def package_read(package: DocumentPackage, documents: list[Document] = ()) -> PackageRead:
    return PackageRead(
        id=package.id,
        title=package.title,
        session_id=package.session_id,
        signing_order=package.signing_order,
        owner=package.owner,
        classification=Classification.parse(package.classification).name,
        releasable_to=package.releasable_to,
        created_at=package.created_at,
        documents=[document_summary(document) for document in documents],
    )


async def create_package(
    session: AsyncSession, viewer: Viewer, data: PackageCreate
) -> DocumentPackage:
    """A new, empty package kept by the secretariat."""
    require_depositary(viewer)
    classification = _given(data.classification, Classification.RESTRICTED)
    releasable = await _check_markings(
        session, viewer, classification, data.releasable_to or [EVERYONE]
    )
    package = DocumentPackage(
        id=uuid.uuid4(),
        session_id=data.session_id,
        title=data.title,
        signing_order=data.signing_order,
        owner=SECRETARIAT,
        classification=classification,
        releasable_to=releasable,
        created_at=utcnow(),
        created_by=viewer.username,
    )
    session.add(package)
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind="document_package.created",
        subject=package.id,
        payload=package_read(package),
        **markings_of(package),
    )
    return package


async def get_package(
    session: AsyncSession, viewer: Viewer | None, package_id: uuid.UUID
) -> DocumentPackage:
    package = await repository.get_package(session, viewer, package_id)
    if package is None:
        raise NotFound(_("no document package {id}").format(id=package_id))
    return package


# Documents


def document_summary(document: Document) -> DocumentSummary:
    return DocumentSummary(
        id=document.id,
        package_id=document.package_id,
        position=document.position,
        kind=document.kind,
        title=document.title,
        status=document.status,
        owner=document.owner,
        classification=Classification.parse(document.classification).name,
        releasable_to=document.releasable_to,
        decision_id=document.decision_id,
        in_force_at=document.in_force_at,
        version=document.version,
    )


async def get_document(
    session: AsyncSession, viewer: Viewer | None, document_id: uuid.UUID
) -> Document:
    """One document the viewer may see; 404 whether it is absent or hidden."""
    document = await repository.get_document(session, viewer, document_id)
    if document is None:
        raise NotFound(_("no document {id}").format(id=document_id))
    note_secret_read(session, viewer, document, "document")
    return document


def _add_texts(session: AsyncSession, version: DocumentVersion, texts: dict[str, str]) -> None:
    for language, content in texts.items():
        data = text_bytes(content)
        session.add(
            DocumentText(
                version_id=version.id,
                language=language,
                content=content,
                sha256=sha256_hex(data),
                size=len(data),
            )
        )


async def create_document(session: AsyncSession, viewer: Viewer, data: DocumentCreate) -> Document:
    """A document in a package, with a first draft version holding the texts given."""
    package = await get_package(session, viewer, data.package_id)
    require_depositary(viewer, package)
    classification = _given(data.classification, package.classification)
    releasable = await _check_markings(
        session, viewer, classification, data.releasable_to or package.releasable_to
    )
    now = utcnow()
    document = Document(
        id=uuid.uuid4(),
        package_id=package.id,
        position=await repository.max_position(session, package.id) + 1,
        kind=data.kind,
        title=data.title,
        decision_id=data.decision_id,
        owner=SECRETARIAT,
        classification=classification,
        releasable_to=releasable,
        status="draft",
        in_force_at=None,
        created_at=now,
        updated_at=now,
    )
    session.add(document)
    await session.flush()
    version = DocumentVersion(
        id=uuid.uuid4(),
        document_id=document.id,
        number=1,
        status="draft",
        created_at=now,
        created_by=viewer.username,
    )
    session.add(version)
    await session.flush()
    _add_texts(session, version, data.texts)
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind="document.created",
        subject=document.id,
        payload={
            **document_summary(document).model_dump(mode="json"),
            "texts": {lang: sha256_hex(text_bytes(t)) for lang, t in data.texts.items()},
        },
        **markings_of(document),
    )
    return document


async def change_document(
    session: AsyncSession, viewer: Viewer, document_id: uuid.UUID, change: DocumentChange
) -> Document:
    """Change a document's kind, titles, decision or markings, made against ``change.version``."""
    document = await get_document(session, viewer, document_id)
    require_depositary(viewer, document)
    if document.version != change.version:
        raise Conflict(
            _(
                "someone changed this document meanwhile (you edited version {yours}, it is now "
                "version {current}): reload it and apply your change again"
            ).format(yours=change.version, current=document.version),
            field="version",
        )
    given = change.model_dump(exclude_unset=True, exclude={"version"})
    if ("kind" in given or "title" in given) and document.status != "draft":
        raise Conflict(
            _("the kind and titles are part of what is signed: they change only in a draft"),
            field="title",
        )
    changes: dict[str, list[Any]] = {}
    for name in ("kind", "title", "decision_id"):
        if name in given and given[name] != getattr(document, name):
            changes[name] = [str(getattr(document, name)), str(given[name])]
            setattr(document, name, given[name])
    classification = _given(change.classification, document.classification)
    with session.no_autoflush:
        codes = await _check_markings(
            session, viewer, classification, change.releasable_to or document.releasable_to
        )
    if classification != document.classification:
        changes["classification"] = [document.classification.name, classification.name]
        document.classification = classification
    if codes != sorted(document.releasable_to):
        changes["releasable_to"] = [document.releasable_to, codes]
        document.releasable_to = codes
    if not changes:
        return document
    document.updated_at = utcnow()
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind="document.changed",
        subject=document.id,
        payload={"changes": changes, "version": document.version},
        **markings_of(document),
    )
    return document


# Versions and texts


async def get_version(
    session: AsyncSession, document: Document, number: int, *, lock: bool = False
) -> DocumentVersion:
    version = await repository.get_version(session, document.id, number, lock=lock)
    if version is None:
        raise NotFound(
            _("document {id} has no version {number}").format(id=document.id, number=number)
        )
    return version


async def add_version(
    session: AsyncSession, viewer: Viewer, document_id: uuid.UUID, texts: dict[str, str] | None
) -> DocumentVersion:
    """A new draft version, from ``texts`` or from the latest version's texts."""
    document = await get_document(session, viewer, document_id)
    require_depositary(viewer, document)
    existing = await repository.versions(session, document.id)
    busy = [v for v in existing if v.status in ("open_for_signature", "in_force")]
    if busy:
        raise Conflict(
            _("version {number} is {status}: no new version can be added").format(
                number=busy[-1].number, status=busy[-1].status
            ),
            field="status",
        )
    if texts is None:
        latest = existing[-1] if existing else None
        stored = await repository.texts(session, [latest.id]) if latest else []
        texts = {text.language: text.content for text in stored}
    version = DocumentVersion(
        id=uuid.uuid4(),
        document_id=document.id,
        number=(existing[-1].number if existing else 0) + 1,
        status="draft",
        created_at=utcnow(),
        created_by=viewer.username,
    )
    session.add(version)
    await session.flush()
    _add_texts(session, version, texts)
    document.status = "draft"
    document.updated_at = version.created_at
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind="document.version_added",
        subject=document.id,
        payload={
            "number": version.number,
            "texts": {lang: sha256_hex(text_bytes(t)) for lang, t in texts.items()},
        },
        **markings_of(document),
    )
    return version


async def put_text(
    session: AsyncSession,
    viewer: Viewer,
    document_id: uuid.UUID,
    number: int,
    language: str,
    content: str,
) -> DocumentText:
    """Set the authentic text of a draft version in ``language``."""
    document = await get_document(session, viewer, document_id)
    require_depositary(viewer, document)
    version = await get_version(session, document, number)
    if version.status != "draft":
        raise Conflict(
            _("version {number} is {status}: its texts change only in a draft").format(
                number=number, status=version.status
            ),
            field="status",
        )
    data = text_bytes(content)
    text = await repository.get_text(session, version.id, language)
    if text is None:
        text = DocumentText(version_id=version.id, language=language)
        session.add(text)
    text.content, text.sha256, text.size = content, sha256_hex(data), len(data)
    document.updated_at = utcnow()
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind="document.text_set",
        subject=document.id,
        payload={"number": number, "language": language, "sha256": text.sha256},
        **markings_of(document),
    )
    return text


async def manifest_of(session: AsyncSession, document: Document, version: DocumentVersion) -> bytes:
    """The canonical manifest of a version: fixed once agreed, computed for a draft."""
    if version.manifest is not None:
        return version.manifest
    stored = await repository.texts(session, [version.id])
    return canonical(
        manifest_body(
            document_id=str(document.id),
            package_id=str(document.package_id),
            version=version.number,
            title=document.title,
            kind=document.kind,
            texts={text.language: text.sha256 for text in stored},
        )
    )


async def move_version(
    session: AsyncSession, viewer: Viewer, document_id: uuid.UUID, number: int, target: str
) -> DocumentVersion:
    """Agree a draft, send it back to draft, or open an agreed version for signature."""
    document = await get_document(session, viewer, document_id)
    require_depositary(viewer, document)
    version = await get_version(session, document, number, lock=True)
    if target == "in_force":
        raise Conflict(
            _("a version enters into force by itself when every member state has signed it"),
            field="status",
        )
    VERSION_FLOW.check(version.status, target, viewer.roles)
    now = utcnow()
    if target == "agreed":
        if not await repository.texts(session, [version.id]):
            raise Conflict(_("a version without texts cannot be agreed"), field="status")
        version.manifest = await manifest_of(session, document, version)
        version.manifest_sha256 = sha256_hex(version.manifest)
        version.agreed_at = now
    elif target == "draft":
        version.manifest, version.manifest_sha256, version.agreed_at = None, None, None
    elif target == "open_for_signature":
        await _open(session, document, version)
        version.opened_at = now
    version.status = target
    document.status = target
    document.updated_at = now
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind=f"document.{target}",
        subject=document.id,
        payload={"number": number, "status": target, "manifest_sha256": version.manifest_sha256},
        **markings_of(document),
    )
    return version


async def _open(session: AsyncSession, document: Document, version: DocumentVersion) -> None:
    others = [
        v
        for v in await repository.versions(session, document.id)
        if v.id != version.id and v.status in ("open_for_signature", "in_force")
    ]
    if others:
        raise Conflict(
            _("version {number} is {status} already").format(
                number=others[0].number, status=others[0].status
            ),
            field="status",
        )
    package = await session.get(DocumentPackage, document.package_id)
    states = [s for s in await members.list_states(session) if s.status in SIGNING_STATUSES]
    if package is not None and package.signing_order:
        states.sort(key=lambda s: (s.rotation_position is None, s.rotation_position, s.code))
    for position, state in enumerate(states, start=1):
        session.add(
            DocumentSignatureSlot(version_id=version.id, state=state.code, position=position)
        )
