"""CAP routes: import an alert, export an incident as one, the Atom feed, the upload page."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord.auth.dependencies import Principal, current_principal, get_session, get_settings
from accord.config import Settings
from accord.errors import TooLarge, UnsupportedMediaType
from accord.i18n import _
from accord.interop.cap import pages, service
from accord.interop.cap.parse import MAX_ALERT_BYTES

CAP_MEDIA_TYPES = ("application/cap+xml", "application/xml")
CAP_MEDIA_TYPE = "application/cap+xml"

router = APIRouter(tags=["cap"])
router.include_router(pages.router)


def _too_large() -> TooLarge:
    return TooLarge(
        _("alert: a CAP document has at most {limit} bytes").format(limit=MAX_ALERT_BYTES),
        field="alert",
    )


async def read_alert_body(request: Request) -> bytes:
    """The request body as one CAP document: the right media type, and not too large."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in CAP_MEDIA_TYPES:
        raise UnsupportedMediaType(
            _("Content-Type: send the alert as {types}, not {given}").format(
                types=" or ".join(CAP_MEDIA_TYPES), given=media_type or _("nothing")
            ),
            field="Content-Type",
        )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_ALERT_BYTES:
        raise _too_large()
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_ALERT_BYTES:
            raise _too_large()
    return bytes(body)


@router.post(
    "/api/v1/cap",
    status_code=201,
    responses={200: {"description": "Already imported, or it updated an existing incident"}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {media: {"schema": {"type": "string"}} for media in CAP_MEDIA_TYPES},
        }
    },
)
async def import_cap(
    request: Request,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> JSONResponse:
    """Import one CAP 1.2 alert: 201 for a new incident, 200 for a repeat or an update."""
    xml = await read_alert_body(request)
    result = await service.import_alert(
        session, principal.viewer, xml, language=principal.user.language
    )
    body = {
        "id": str(result.incident.id),
        "created": result.created,
        "updated": result.updated,
        "outcome": result.outcome,
        "mode": result.incident.mode,
    }
    return JSONResponse(body, status_code=201 if result.created else 200)


@router.get(
    "/api/v1/incidents/{incident_id}/cap",
    response_class=Response,
    responses={200: {"content": {CAP_MEDIA_TYPE: {}}}},
)
async def export_cap(
    incident_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> Response:
    """The incident as a CAP 1.2 alert, with Accord's markings in parameters."""
    xml = await service.export_alert(session, principal.viewer, incident_id)
    return Response(xml, media_type=CAP_MEDIA_TYPE)


@router.get(
    "/api/v1/cap/feed.atom",
    response_class=Response,
    responses={200: {"content": {"application/atom+xml": {}}}},
)
async def cap_feed(
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    settings: Settings = Depends(get_settings),
) -> Response:
    """An Atom feed of the newest 100 alerts the caller may see."""
    feed = await service.alert_feed(session, principal.viewer, base_url=settings.public_url)
    return Response(feed, media_type="application/atom+xml")
