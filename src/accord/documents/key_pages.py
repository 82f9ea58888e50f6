"""The signing keys page: a signatory's keys with their validity, registering, rotating, revoking.

A key made in the browser (``documents.js``) never leaves it; a key made with ``accord keygen``
is registered here by pasting its public half. The public halves can be downloaded as the
``.pub`` and ``.json`` files that ``accord verify --trusted-keys DIR`` reads.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, time
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Classification
from accord.auth.dependencies import Principal, get_session, page_principal, undo
from accord.clock import utcnow
from accord.documents import keys
from accord.documents.manifest import b64decode, public_pem
from accord.documents.schemas import KeyCreate, KeyRevoke
from accord.errors import AccordError, InvalidInput, NotFound
from accord.i18n import _
from accord.members import service as members
from accord.web.forms import form_values, parse_form
from accord.web.rendering import redirect, render

router = APIRouter(include_in_schema=False)
SAVED = {
    "registered": lambda: _("The key is registered."),
    "rotated": lambda: _("The new key is registered and the old one revoked."),
    "revoked": lambda: _("The key is revoked."),
}


def status_labels() -> dict[str, str]:
    return {
        "valid": _("valid"),
        "expired": _("expired"),
        "revoked": _("revoked"),
        "pending": _("not valid yet"),
    }


def _key_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(_("no signing key {id}").format(id=value[:40])) from None


async def _keys_page(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    error: AccordError | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    viewer = principal.viewer
    rows, _next = await keys.list_keys(session, viewer, state=None, cursor=None, limit=500)
    now = utcnow()
    status = {row.id: keys.key_status(row, now) for row in rows}
    own_active = [
        row for row in rows if row.user_id == viewer.user_id and status[row.id] != "revoked"
    ]
    saved = request.query_params.get("saved", "")
    context = {
        "keys": rows,
        "status": status,
        "statuses": status_labels(),
        "own_active": own_active,
        "signatory": viewer.has_role(*keys.SIGNATORY_ROLES),
        "everyone": viewer.has_role(*keys.KEY_MANAGERS),
        "state_names": await members.state_names(session),
        "replaces": request.query_params.get("replaces", ""),
        "message": SAVED[saved]() if saved in SAVED else None,
        "error": error,
        "values": values or {},
    }
    # Public keys are marked RESTRICTED, releasable to every member, like their events.
    shown = [Classification.RESTRICTED] if rows else []
    return render(
        request,
        "documents/keys.html",
        context,
        shown=shown,
        status_code=error.status if error else 200,
    )


@router.get("/documents/keys", response_class=HTMLResponse)
async def keys_page(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    return await _keys_page(request, session, principal)


def _until(value: str) -> datetime | None:
    """The last day of validity from the form (a date, the key valid through its end, UTC)."""
    if not value.strip():
        return None
    try:
        day = datetime.fromisoformat(value.strip()).date()
    except ValueError:
        raise InvalidInput(
            _("valid_until: give a date like 2027-12-31"), field="valid_until"
        ) from None
    return datetime.combine(day, time.max, tzinfo=UTC).replace(microsecond=0)


async def _act(request, session, principal, action) -> Response:
    values = form_values(await request.form())
    try:
        target = await action(values)
    except AccordError as error:
        if error.status not in (403, 404, 409, 422):
            raise
        await undo(session, principal)
        return await _keys_page(request, session, principal, error, values)
    return redirect(target)


@router.post("/documents/keys", response_class=HTMLResponse)
async def register_key(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    async def action(values: dict[str, Any]) -> str:
        data = parse_form(
            KeyCreate,
            {
                "public_key": str(values.get("public_key", "")).strip(),
                "label": str(values.get("label", "")).strip(),
                "valid_until": _until(str(values.get("valid_until", ""))),
                "replaces": values.get("replaces") or None,
            },
        )
        await keys.register_key(session, principal.viewer, data)
        return "/documents/keys?saved=" + ("rotated" if data.replaces else "registered")

    return await _act(request, session, principal, action)


@router.post("/documents/keys/{key_id}/revoke", response_class=HTMLResponse)
async def revoke_key(
    request: Request,
    key_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    ident = _key_id(key_id)

    async def action(values: dict[str, Any]) -> str:
        data = parse_form(KeyRevoke, {"reason": str(values.get("reason", "")).strip()})
        await keys.revoke_key(session, principal.viewer, ident, data.reason)
        return "/documents/keys?saved=revoked"

    return await _act(request, session, principal, action)


@router.get("/documents/keys/{name}")
async def key_file(
    name: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    """``ID.pub`` (PEM) or ``ID.json`` (holder and validity), for a verifier's trusted folder."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or suffix not in ("pub", "json"):
        raise NotFound(_("no signing key {id}").format(id=name[:40]))
    key = await keys.get_key(session, principal.viewer, _key_id(stem))
    if suffix == "pub":
        body = public_pem(b64decode(key.public_key))
        media = "application/x-pem-file"
    else:
        body = json.dumps(keys.key_info(key), indent=2, ensure_ascii=False) + "\n"
        media = "application/json"
    disposition = f'attachment; filename="{key.id}.{suffix}"'
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})
