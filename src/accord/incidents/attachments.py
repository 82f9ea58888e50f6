"""Routes for files attached to incidents: upload (API and page form), list, download.

Uploads are read as a stream and counted, so an oversized one is refused without holding it:
a Content-Length over the limit is refused before the body is read at all.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from sqlalchemy.ext.asyncio import AsyncSession

from accord.auth import service as auth
from accord.auth.dependencies import (
    CSRF_HEADER,
    CsrfFailed,
    LoginRequired,
    PasswordChangeRequired,
    Principal,
    current_principal,
    get_session,
    resolve_principal,
)
from accord.errors import InvalidInput, MalformedInput, NotAuthenticated, TooLarge
from accord.errors import UnsupportedMediaType as WrongMediaType
from accord.i18n import _
from accord.incidents import attachment_service as service
from accord.incidents.service import get_incident
from accord.models import Attachment
from accord.paging import decode_cursor, encode_cursor

router = APIRouter()

# Room for the multipart framing and the CSRF field around the file itself.
FORM_OVERHEAD = 64 * 1024
MAX_FIELD_BYTES = 4096


class AttachmentRead(BaseModel):
    id: uuid.UUID
    incident_id: uuid.UUID
    filename: str
    media_type: str
    size: int
    sha256: str
    created_at: datetime
    created_by: str
    url: str


class AttachmentList(BaseModel):
    items: list[AttachmentRead]
    next_cursor: str | None


def attachment_read(attachment: Attachment) -> AttachmentRead:
    return AttachmentRead(
        **service.attachment_json(attachment),
        url=f"/api/v1/incidents/{attachment.incident_id}/attachments/{attachment.id}",
    )


@dataclass
class Upload:
    """The file of a multipart form, and its small text fields."""

    limit: int
    filename: str | None = None
    content_type: str | None = None
    data: bytearray = field(default_factory=bytearray)
    fields: dict[str, str] = field(default_factory=dict)
    files: int = 0
    _headers: dict[str, bytes] = field(default_factory=dict)
    _header_name: bytes = b""
    _header_value: bytes = b""
    _name: str | None = None
    _value: bytearray = field(default_factory=bytearray)

    def callbacks(self) -> dict:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": self._header_field,
            "on_header_value": self._header_value_data,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _part_begin(self) -> None:
        self._headers, self._name, self._value = {}, None, bytearray()

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _header_value_data(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        name = self._header_name.decode("latin-1").lower()
        self._headers[name] = self._header_value
        self._header_name, self._header_value = b"", b""

    def _headers_finished(self) -> None:
        # Browsers send the file name as raw UTF-8 bytes.
        _kind, options = parse_options_header(self._headers.get("content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        if self._name == service.FIELD:
            self.files += 1
            if self.files > 1:
                raise InvalidInput(_("file: send one file at a time"), field=service.FIELD)
            filename = options.get(b"filename")
            self.filename = filename.decode("utf-8", "replace") if filename is not None else None
            self.content_type = self._headers.get("content-type", b"").decode("latin-1")

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._name == service.FIELD:
            self.data += data[start:end]
            if len(self.data) > self.limit:
                raise too_large(self.limit)
        elif len(self._value) + end - start <= MAX_FIELD_BYTES:
            self._value += data[start:end]

    def _part_end(self) -> None:
        if self._name and self._name != service.FIELD:
            self.fields[self._name] = self._value.decode("utf-8", "replace")


def too_large(limit: int) -> TooLarge:
    return TooLarge(
        _("file: larger than the limit of {megabytes} MB").format(
            megabytes=round(limit / (1024 * 1024), 1)
        ),
        field=service.FIELD,
    )


def _boundary(request: Request) -> bytes:
    kind, options = parse_options_header(request.headers.get("content-type"))
    if kind != b"multipart/form-data" or not options.get(b"boundary"):
        raise WrongMediaType(
            _("file: send the file as multipart/form-data in the field file"), field=service.FIELD
        )
    return options[b"boundary"]


def _check_declared_length(request: Request, limit: int) -> None:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + FORM_OVERHEAD:
        raise too_large(limit)


async def read_upload(request: Request, limit: int) -> Upload:
    """The uploaded file, read as it arrives and refused as soon as it passes ``limit``."""
    boundary = _boundary(request)
    _check_declared_length(request, limit)
    upload = Upload(limit=limit)
    parser = MultipartParser(boundary, upload.callbacks())
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit + FORM_OVERHEAD:
                raise too_large(limit)
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError:
        raise MalformedInput(_("file: the form data is malformed"), field=service.FIELD) from None
    if upload.files == 0:
        raise InvalidInput(_("file: no file was sent in the field file"), field=service.FIELD)
    return upload


def _check_csrf(principal: Principal, given: str | None) -> None:
    # The usual check reads the whole form, before the size limit could apply: done here instead.
    if principal.user_session is None:
        return
    if not auth.csrf_matches(principal.user_session.csrf_token, given):
        raise CsrfFailed(
            _("missing or wrong CSRF token: reload the page and try again"), field=CSRF_HEADER
        )


def _check_password(principal: Principal) -> None:
    if principal.user.must_change_password:
        raise PasswordChangeRequired(_("change your password before you go on"))


async def _upload(
    request: Request, session: AsyncSession, principal: Principal, incident_id: uuid.UUID
) -> Attachment:
    _check_password(principal)
    header_token = request.headers.get(CSRF_HEADER)
    if header_token is not None:
        _check_csrf(principal, header_token)
    upload = await read_upload(request, request.app.state.settings.max_upload_bytes)
    _check_csrf(principal, header_token or upload.fields.get("csrf_token"))
    return await service.add_attachment(
        session,
        principal.viewer,
        incident_id,
        filename=upload.filename,
        content_type=upload.content_type,
        data=bytes(upload.data),
    )


@router.post(
    "/api/v1/incidents/{incident_id}/attachments",
    response_model=AttachmentRead,
    status_code=201,
    tags=["incidents"],
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                }
            }
        }
    },
)
async def upload_attachment(
    incident_id: uuid.UUID,
    request: Request,
    principal: Principal | None = Depends(resolve_principal),
    session: AsyncSession = get_session,
) -> AttachmentRead:
    """Attach a file (multipart field ``file``) to an incident of the caller's state."""
    if principal is None:
        raise NotAuthenticated(_("log in first, or send an API token"))
    return attachment_read(await _upload(request, session, principal, incident_id))


@router.get(
    "/api/v1/incidents/{incident_id}/attachments",
    response_model=AttachmentList,
    tags=["incidents"],
)
async def list_attachments(
    incident_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=200),
) -> AttachmentList:
    incident = await get_incident(session, principal.viewer, incident_id)
    after = decode_cursor(cursor) if cursor else None
    rows = await service.list_attachments(session, incident, after=after, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return AttachmentList(
        items=[attachment_read(row) for row in rows],
        next_cursor=encode_cursor(rows[-1].created_at, rows[-1].id) if more and rows else None,
    )


@router.get(
    "/api/v1/incidents/{incident_id}/attachments/{attachment_id}",
    response_class=Response,
    tags=["incidents"],
)
async def download_attachment(
    incident_id: uuid.UUID,
    attachment_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> Response:
    """The file as it was stored, for anyone who may see its incident."""
    incident, attachment, data = await service.get_attachment(
        session, principal.viewer, incident_id, attachment_id
    )
    ascii_name = attachment.filename.encode("ascii", "replace").decode().replace('"', "_")
    headers = {
        "Content-Disposition": (
            f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(attachment.filename)}"
        ),
        "X-Content-Type-Options": "nosniff",
        "X-Classification": incident.classification.name,
        "Cache-Control": "private, no-store",
    }
    return Response(data, media_type=attachment.media_type, headers=headers)


@router.post("/incidents/{incident_id}/attachments", include_in_schema=False)
async def upload_from_page(
    incident_id: uuid.UUID,
    request: Request,
    principal: Principal | None = Depends(resolve_principal),
    session: AsyncSession = get_session,
) -> Response:
    """The upload form of the incident page; errors show on the error page."""
    if principal is None:
        raise LoginRequired(_("log in first"))
    await _upload(request, session, principal, incident_id)
    return RedirectResponse(f"/incidents/{incident_id}#attachments", status_code=303)
