"""Files attached to incidents: accepted types, content checks, storage by content hash."""

from __future__ import annotations

import io
import json
import re
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer, can_change
from accord.blobs import read_blob, store_blob
from accord.clock import utcnow
from accord.errors import Forbidden, InvalidInput, NotFound, UnsupportedMediaType
from accord.events.service import markings_of, record_event
from accord.i18n import _
from accord.incidents.service import REPORTING_ROLES, get_incident
from accord.models import Attachment, Incident, IncidentUpdate

FIELD = "file"
MAX_FILENAME = 255
UNDECLARED = frozenset({"", "application/octet-stream", "binary/octet-stream"})
# Names browsers and office suites send for the same formats.
ALIASES = {
    "text/xml": "application/xml",
    "application/x-zip-compressed": "application/zip",
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "application/csv": "text/csv",
    "text/x-csv": "text/csv",
    "application/vnd.ms-excel": "text/csv",
}
BINARY_SIGNATURES = (
    b"%PDF-",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"RIFF",
    b"PK\x03\x04",
    b"PK\x05\x06",
)
# Text may hold tabs, line ends, form feeds and escapes; any other control byte means binary.
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def _is_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


def _is_png(data: bytes) -> bool:
    return data.startswith(b"\x89PNG\r\n\x1a\n")


def _is_jpeg(data: bytes) -> bool:
    return data.startswith(b"\xff\xd8\xff")


def _is_gif(data: bytes) -> bool:
    return data.startswith((b"GIF87a", b"GIF89a"))


def _is_webp(data: bytes) -> bool:
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def _is_text(data: bytes) -> bool:
    if data.startswith(BINARY_SIGNATURES):
        return False
    return CONTROL_BYTES.search(data) is None


def _is_json(data: bytes) -> bool:
    if not _is_text(data):
        return False
    try:
        json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        return False
    return True


def _is_xml(data: bytes) -> bool:
    # Only recognised, never parsed: the file is stored and served as it came.
    return _is_text(data) and data.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")


def _zip_names(data: bytes) -> set[str] | None:
    if not data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, EOFError):
        return None


def _is_zip(data: bytes) -> bool:
    return _zip_names(data) is not None


def _office(part: str) -> Callable[[bytes], bool]:
    def check(data: bytes) -> bool:
        names = _zip_names(data)
        return names is not None and "[Content_Types].xml" in names and part in names

    return check


@dataclass(frozen=True)
class FileType:
    media_type: str
    label: str
    matches: Callable[[bytes], bool]


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCEPTED: dict[str, FileType] = {
    ".pdf": FileType("application/pdf", "PDF", _is_pdf),
    ".png": FileType("image/png", "PNG", _is_png),
    ".jpg": FileType("image/jpeg", "JPEG", _is_jpeg),
    ".jpeg": FileType("image/jpeg", "JPEG", _is_jpeg),
    ".gif": FileType("image/gif", "GIF", _is_gif),
    ".webp": FileType("image/webp", "WebP", _is_webp),
    ".txt": FileType("text/plain", "text", _is_text),
    ".csv": FileType("text/csv", "CSV", _is_text),
    ".xml": FileType("application/xml", "XML", _is_xml),
    ".json": FileType("application/json", "JSON", _is_json),
    ".zip": FileType("application/zip", "ZIP", _is_zip),
    ".docx": FileType(DOCX, "DOCX", _office("word/document.xml")),
    ".xlsx": FileType(XLSX, "XLSX", _office("xl/workbook.xml")),
}


def accepted_extensions() -> str:
    """The ``accept`` attribute of an upload field."""
    return ",".join(ACCEPTED)


def clean_filename(filename: str | None) -> str:
    """The file's own name, without any folder a browser or client put in front of it."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if char.isprintable()).strip()
    if not name or name in (".", ".."):
        raise InvalidInput(_("file: the file has no name"), field=FIELD)
    if len(name) > MAX_FILENAME:
        raise InvalidInput(
            _("file: the name is longer than {limit} characters").format(limit=MAX_FILENAME),
            field=FIELD,
        )
    return name


def _declared(content_type: str | None) -> str:
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    return ALIASES.get(media_type, media_type)


def check_file(filename: str, content_type: str | None, data: bytes) -> str:
    """The media type a file is stored with; 415 or 422 naming ``file`` when it is refused."""
    file_type = ACCEPTED.get(PurePosixPath(filename).suffix.lower())
    if file_type is None:
        labels = ", ".join(dict.fromkeys(kind.label for kind in ACCEPTED.values()))
        raise UnsupportedMediaType(
            _("file: {name} is not a type accepted here; send one of {labels}").format(
                name=filename, labels=labels
            ),
            field=FIELD,
        )
    declared = _declared(content_type)
    if declared not in UNDECLARED and declared != file_type.media_type:
        raise InvalidInput(
            _("file: declared as {declared}, but the name {name} says {expected}").format(
                declared=declared, name=filename, expected=file_type.media_type
            ),
            field=FIELD,
        )
    if not data:
        raise InvalidInput(_("file: the file is empty"), field=FIELD)
    if not file_type.matches(data):
        raise InvalidInput(
            _("file: the content of {name} is not {label}").format(
                name=filename, label=file_type.label
            ),
            field=FIELD,
        )
    return file_type.media_type


def _require_uploader(viewer: Viewer, incident: Incident) -> None:
    if not can_change(viewer, incident, REPORTING_ROLES):
        raise Forbidden(_("only the reporting state's duty officers and analysts attach files"))


async def add_attachment(
    session: AsyncSession,
    viewer: Viewer,
    incident_id: uuid.UUID,
    *,
    filename: str | None,
    content_type: str | None,
    data: bytes,
) -> Attachment:
    """Attach a checked file to an incident of the viewer's state; the content is kept once."""
    incident = await get_incident(session, viewer, incident_id)
    _require_uploader(viewer, incident)
    name = clean_filename(filename)
    media_type = check_file(name, content_type, data)
    digest = await store_blob(session, data)
    attachment = Attachment(
        id=uuid.uuid4(),
        incident_id=incident.id,
        filename=name,
        media_type=media_type,
        size=len(data),
        sha256=digest,
        created_at=utcnow(),
        created_by=viewer.username,
    )
    session.add(attachment)
    session.add(
        IncidentUpdate(
            incident_id=incident.id,
            at=attachment.created_at,
            actor=viewer.username,
            kind="attachment_added",
            changes={"attachment": name},
        )
    )
    record_event(
        session,
        actor=viewer.username,
        kind="incident.attachment_added",
        subject=incident.id,
        payload=attachment_json(attachment),
        **markings_of(incident),
    )
    return attachment


def attachment_json(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": str(attachment.id),
        "incident_id": str(attachment.incident_id),
        "filename": attachment.filename,
        "media_type": attachment.media_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "created_at": attachment.created_at.isoformat(),
        "created_by": attachment.created_by,
    }


async def list_attachments(
    session: AsyncSession,
    incident: Incident,
    *,
    after: tuple[datetime, uuid.UUID] | None = None,
    limit: int = 100,
) -> list[Attachment]:
    """The files of an incident the caller was allowed to see, oldest first."""
    query = select(Attachment).where(Attachment.incident_id == incident.id)
    if after is not None:
        at, last_id = after
        query = query.where(
            or_(
                Attachment.created_at > at,
                and_(Attachment.created_at == at, Attachment.id > last_id),
            )
        )
    query = query.order_by(Attachment.created_at, Attachment.id).limit(limit)
    return list((await session.execute(query)).scalars())


async def get_attachment(
    session: AsyncSession, viewer: Viewer, incident_id: uuid.UUID, attachment_id: uuid.UUID
) -> tuple[Incident, Attachment, bytes]:
    """A file with its content, through the incident's access rule; 404 if either is hidden."""
    incident = await get_incident(session, viewer, incident_id)
    query = select(Attachment).where(
        Attachment.id == attachment_id, Attachment.incident_id == incident.id
    )
    attachment = (await session.execute(query)).scalar_one_or_none()
    if attachment is None:
        raise NotFound(_("no attachment {id}").format(id=attachment_id))
    return incident, attachment, await read_blob(session, attachment.sha256)


async def attachments_context(
    session: AsyncSession,
    viewer: Viewer,
    incident: Incident,
    *,
    max_upload_bytes: int | None = None,
) -> dict[str, Any]:
    """What ``incident_attachments.html`` needs, for a page that shows ``incident``."""
    return {
        "incident": incident,
        "attachments": await list_attachments(session, incident, limit=500),
        "can_attach": can_change(viewer, incident, REPORTING_ROLES),
        "accepted_extensions": accepted_extensions(),
        "max_upload_bytes": max_upload_bytes,
    }
