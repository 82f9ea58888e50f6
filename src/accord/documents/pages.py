"""The document pages: packages and documents, one document with its signatures, the forms."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Classification, can_change
from accord.auth.dependencies import (
    Principal,
    get_session,
    page_principal,
    resolve_principal,
    undo,
)
from accord.documents import key_pages, reads, repository, service, signing
from accord.documents.bundle import verify_bundle
from accord.documents.keys import KEY_MANAGERS, SIGNATORY_ROLES
from accord.documents.schemas import KINDS, DocumentCreate, PackageCreate
from accord.errors import AccordError, InvalidInput, NotFound
from accord.i18n import _
from accord.members import service as members
from accord.web.forms import form_values, validation_message
from accord.web.rendering import redirect, render

router = APIRouter(include_in_schema=False)
# First, so that /documents/keys is not taken for a document's id.
router.include_router(key_pages.router)
LANGUAGES = ("en", "ru")


def kind_labels() -> dict[str, str]:
    return {
        "declaration": _("Declaration"),
        "decision": _("Decision"),
        "regulation": _("Regulation"),
        "appointment": _("Appointment"),
        "quota_distribution": _("Distribution of quota posts"),
        "structure": _("Structure"),
        "budget": _("Budget"),
        "other": _("Other"),
    }


def status_labels() -> dict[str, str]:
    return {
        "draft": _("draft"),
        "agreed": _("agreed"),
        "open_for_signature": _("open for signature"),
        "in_force": _("in force"),
    }


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(_("no document {id}").format(id=value[:40])) from None


def _is_depositary(principal: Principal | None) -> bool:
    return (
        principal is not None
        and principal.viewer.state == "ORG"
        and principal.viewer.has_role(*service.DEPOSITARY_ROLES)
    )


async def _labels(session: AsyncSession) -> dict[str, Any]:
    return {
        "kinds": kind_labels(),
        "statuses": status_labels(),
        "state_names": await members.state_names(session),
    }


@router.get("/documents", response_class=HTMLResponse)
async def document_list(
    request: Request,
    principal: Principal | None = Depends(resolve_principal),
    session: AsyncSession = get_session,
) -> Response:
    viewer = principal.viewer if principal else None
    documents, _next = await repository.list_documents(session, viewer, limit=500)
    packages = []
    if viewer is not None:
        packages, _more = await repository.list_packages(session, viewer, cursor=None, limit=100)
    by_package: dict[uuid.UUID, list] = {}
    for document in documents:
        by_package.setdefault(document.package_id, []).append(document)
    context = {
        **await _labels(session),
        "packages": packages,
        "by_package": by_package,
        "loose": [d for d in documents if d.package_id not in {p.id for p in packages}],
        "depositary": _is_depositary(principal),
    }
    shown = [d.classification for d in documents] + [p.classification for p in packages]
    return render(request, "documents/list.html", context, shown=shown)


async def _document(
    request: Request,
    session: AsyncSession,
    principal: Principal | None,
    document_id: uuid.UUID,
    error: AccordError | None = None,
) -> Response:
    viewer = principal.viewer if principal else None
    document = await service.get_document(session, viewer, document_id)
    read = await reads.document_read(session, document)
    if viewer is None:
        read.versions = [v for v in read.versions if v.status == "in_force"]
    texts = {}
    for version in await repository.versions(session, document.id):
        for text in await repository.texts(session, [version.id]):
            texts[(version.number, text.language)] = text.content
    verification = None
    if read.versions:
        data, _doc, bundled = await signing.bundle(session, viewer, document.id, None)
        verification = (bundled.number, verify_bundle(data))
    open_versions = [v for v in read.versions if v.status == "open_for_signature"]
    my_slot = None
    if viewer and viewer.has_role(*SIGNATORY_ROLES) and open_versions:
        my_slot = next((s for s in open_versions[0].slots if s.state == viewer.state), None)
    context = {
        **await _labels(session),
        "document": read,
        "texts": texts,
        "verification": verification,
        "editable": principal is not None
        and can_change(viewer, document, service.DEPOSITARY_ROLES),
        "sign_version": open_versions[0].number if my_slot and not my_slot.signed else None,
        "signed_by_me": bool(my_slot and my_slot.signed),
        "key_link": viewer is not None and viewer.has_role(*SIGNATORY_ROLES, *KEY_MANAGERS),
        "moves": {
            v.number: [t for t in service.VERSION_FLOW.targets(v.status, ["secretariat"])]
            for v in read.versions
        },
        "error": error,
        "saved": request.query_params.get("saved", ""),
    }
    return render(
        request,
        "documents/detail.html",
        context,
        shown=[document.classification],
        status_code=error.status if error else 200,
    )


@router.post("/documents/{document_id}/versions/{number}/status", response_class=HTMLResponse)
async def move_version(
    request: Request,
    document_id: str,
    number: int,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    ident = _uuid(document_id)
    form = await request.form()
    try:
        await service.move_version(
            session, principal.viewer, ident, number, str(form.get("status", ""))
        )
    except AccordError as error:
        await undo(session, principal)
        return await _document(request, session, principal, ident, error)
    return redirect(f"/documents/{ident}?saved=status")


@router.post("/documents/{document_id}/versions", response_class=HTMLResponse)
async def add_version(
    request: Request,
    document_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    ident = _uuid(document_id)
    try:
        await service.add_version(session, principal.viewer, ident, None)
    except AccordError as error:
        await undo(session, principal)
        return await _document(request, session, principal, ident, error)
    return redirect(f"/documents/{ident}?saved=version")


@router.post("/documents/{document_id}/versions/{number}/texts", response_class=HTMLResponse)
async def put_text(
    request: Request,
    document_id: str,
    number: int,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    ident = _uuid(document_id)
    values = form_values(await request.form())
    try:
        language = str(values.get("language", ""))
        content = str(values.get("content", "")).replace("\r\n", "\n")
        if language not in LANGUAGES or not content.strip():
            raise InvalidInput(
                _("a text needs a working language and some content"), field="content"
            )
        await service.put_text(session, principal.viewer, ident, number, language, content)
    except AccordError as error:
        await undo(session, principal)
        return await _document(request, session, principal, ident, error)
    return redirect(f"/documents/{ident}?saved=text")


# Assembling


def _levels(principal: Principal) -> list[Classification]:
    return [level for level in Classification if level <= principal.viewer.clearance]


@router.get("/documents/packages/new", response_class=HTMLResponse)
async def new_package(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    service.require_depositary(principal.viewer)
    return _package_form(request, principal, {"classification": "RESTRICTED"})


def _package_form(request, principal, values, error=None) -> Response:
    context = {"values": values, "error": error, "levels": _levels(principal)}
    return render(
        request, "documents/package_form.html", context, status_code=error.status if error else 200
    )


@router.post("/documents/packages/new", response_class=HTMLResponse)
async def create_package(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    service.require_depositary(principal.viewer)
    values = form_values(await request.form())
    try:
        data = PackageCreate(
            title={k: v for k in LANGUAGES if (v := str(values.get(f"title_{k}", "")).strip())},
            session_id=values.get("session_id") or None,
            signing_order=values.get("signing_order") == "on",
            classification=values.get("classification") or None,
            releasable_to=["ALL"],
        )
        package = await service.create_package(session, principal.viewer, data)
    except ValidationError as error:
        return _package_form(request, principal, values, validation_message(error))
    except AccordError as error:
        await undo(session, principal)
        return _package_form(request, principal, values, error)
    return redirect(f"/documents/new?package={package.id}")


@router.get("/documents/new", response_class=HTMLResponse)
async def new_document(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    package = await service.get_package(
        session, principal.viewer, _uuid(request.query_params.get("package", ""))
    )
    service.require_depositary(principal.viewer, package)
    return _document_form(request, principal, package, {"kind": "declaration"})


def _document_form(request, principal, package, values, error=None) -> Response:
    context = {
        "values": values,
        "error": error,
        "package": package,
        "kinds": kind_labels(),
        "levels": _levels(principal),
    }
    return render(
        request,
        "documents/document_form.html",
        context,
        shown=[package.classification],
        status_code=error.status if error else 200,
    )


@router.post("/documents/new", response_class=HTMLResponse)
async def create_document(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    values = form_values(await request.form())
    package = await service.get_package(
        session, principal.viewer, _uuid(str(values.get("package_id", "")))
    )
    try:
        data = DocumentCreate(
            package_id=package.id,
            kind=values.get("kind") if values.get("kind") in KINDS else "other",
            title={k: v for k in LANGUAGES if (v := str(values.get(f"title_{k}", "")).strip())},
            classification=values.get("classification") or None,
            texts={
                k: v.replace("\r\n", "\n")
                for k in LANGUAGES
                if (v := str(values.get(f"text_{k}", ""))).strip()
            },
        )
        document = await service.create_document(session, principal.viewer, data)
    except ValidationError as error:
        return _document_form(request, principal, package, values, validation_message(error))
    except AccordError as error:
        await undo(session, principal)
        return _document_form(request, principal, package, values, error)
    return redirect(f"/documents/{document.id}?saved=document")


# Declared last: its path would otherwise take /documents/new and /documents/packages/new.
@router.get("/documents/{document_id}", response_class=HTMLResponse)
async def document_page(
    request: Request,
    document_id: str,
    principal: Principal | None = Depends(resolve_principal),
    session: AsyncSession = get_session,
) -> Response:
    return await _document(request, session, principal, _uuid(document_id))
