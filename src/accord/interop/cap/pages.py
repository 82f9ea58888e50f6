"""The CAP upload page: one or several alert files, and what became of each."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile

from accord.access import Classification
from accord.auth.dependencies import Principal, get_session, require_page_roles
from accord.errors import AccordError, InvalidInput
from accord.i18n import _
from accord.incidents import labels
from accord.incidents.service import REPORTING_ROLES
from accord.interop.cap import service
from accord.interop.cap.parse import MAX_ALERT_BYTES
from accord.web.rendering import render

router = APIRouter(include_in_schema=False)
reporter_page = require_page_roles(*REPORTING_ROLES)
MAX_FILES = 100


def outcome_names() -> dict[str, str]:
    return {
        "created": _("created"),
        "updated": _("updated an existing incident"),
        "already_imported": _("already imported"),
        "refused": _("refused"),
    }


def _page(
    request: Request, results: list[dict[str, Any]], error: str | None = None, status: int = 200
) -> Response:
    context = {
        "results": results,
        "error": error,
        "outcomes": outcome_names(),
        "labels": labels.all_labels(),
        "max_files": MAX_FILES,
        "max_megabytes": MAX_ALERT_BYTES // (1024 * 1024),
    }
    shown = [row["classification"] for row in results if row.get("classification")]
    return render(request, "cap_upload.html", context, shown=shown, status_code=status)


async def _read(upload: UploadFile) -> bytes:
    data = await upload.read(MAX_ALERT_BYTES + 1)
    if len(data) > MAX_ALERT_BYTES:
        raise InvalidInput(
            _("alert: a CAP document has at most {limit} bytes").format(limit=MAX_ALERT_BYTES),
            field="alert",
        )
    return data


def _row(outcome: service.ImportOutcome) -> dict[str, Any]:
    row: dict[str, Any] = {"name": outcome.name, "outcome": outcome.outcome}
    if outcome.result is not None:
        incident = outcome.result.incident
        row.update(
            id=incident.id,
            title=incident.title,
            mode=incident.mode,
            classification=Classification.parse(incident.classification),
        )
    elif outcome.error is not None:
        row["reason"] = outcome.error.message
    return row


@router.get("/cap/upload", response_class=HTMLResponse)
async def upload_page(request: Request, _principal: Principal = Depends(reporter_page)) -> Response:
    return _page(request, [])


@router.post("/cap/upload", response_class=HTMLResponse)
async def upload_alerts(
    request: Request,
    principal: Principal = Depends(reporter_page),
    session: AsyncSession = get_session,
) -> Response:
    form = await request.form()
    files = [item for item in form.getlist("files") if isinstance(item, UploadFile)]
    files = [item for item in files if item.filename]
    if not files:
        return _page(request, [], _("Choose at least one CAP file."), status=422)
    if len(files) > MAX_FILES:
        message = _("At most {limit} files at a time.").format(limit=MAX_FILES)
        return _page(request, [], message, status=413)
    readings: list[tuple[str, bytes | AccordError]] = []
    for upload in files:
        try:
            readings.append((upload.filename or "", await _read(upload)))
        except AccordError as error:
            readings.append((upload.filename or "", error))
    documents = [(name, data) for name, data in readings if isinstance(data, bytes)]
    outcomes = iter(
        await service.import_alerts(
            session, principal.viewer, documents, language=principal.user.language
        )
    )
    rows = [
        _row(next(outcomes) if isinstance(data, bytes) else service.ImportOutcome(name, error=data))
        for name, data in readings
    ]
    return _page(request, rows)
