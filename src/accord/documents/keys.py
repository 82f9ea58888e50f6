"""Signatories' public keys: registration, rotation, revocation and validity."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import EVERYONE, Classification, Viewer
from accord.clock import utcnow
from accord.documents import repository
from accord.documents.manifest import KeyFormatError, b64encode, public_key_raw, sha256_hex
from accord.documents.schemas import KeyCreate, KeyRead
from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.events.service import record_event
from accord.i18n import _
from accord.models.signing_key import SigningKey

SIGNATORY_ROLES = frozenset({"delegate"})
KEY_MANAGERS = frozenset({"admin", "secretariat"})
DEFAULT_VALIDITY = timedelta(days=3 * 365)


def key_read(key: SigningKey) -> KeyRead:
    return KeyRead(
        id=key.id,
        username=key.username,
        state=key.state,
        label=key.label,
        public_key=key.public_key,
        fingerprint=key.fingerprint,
        valid_from=key.valid_from,
        valid_until=key.valid_until,
        revoked_at=key.revoked_at,
        revoked_reason=key.revoked_reason,
        created_at=key.created_at,
    )


def key_info(key: SigningKey) -> dict[str, Any]:
    """Whose key it is and when it was valid, as a bundle (and a verifier's folder) holds it."""
    return {
        "key_id": str(key.id),
        "holder": key.username,
        "state": key.state,
        "fingerprint_sha256": key.fingerprint,
        "valid_from": key.valid_from.isoformat(),
        "valid_until": key.valid_until.isoformat() if key.valid_until else None,
        "revoked_at": key.revoked_at.isoformat() if key.revoked_at else None,
        "revoked_reason": key.revoked_reason,
    }


def key_status(key: SigningKey, at: datetime) -> str:
    """``revoked``, ``expired``, ``pending`` (not valid yet) or ``valid`` at ``at``."""
    if key.revoked_at is not None and key.revoked_at <= at:
        return "revoked"
    if key.valid_until is not None and at >= key.valid_until:
        return "expired"
    if at < key.valid_from:
        return "pending"
    return "valid"


def _markings(key: SigningKey) -> dict:
    # Public keys are meant to be handed out: every member may see their history.
    return {
        "state": key.state,
        "classification": Classification.RESTRICTED,
        "releasable_to": [EVERYONE],
    }


def key_problem(key: SigningKey, at: datetime) -> str | None:
    """Why ``key`` cannot sign at ``at`` (revoked, expired, not yet valid), or None."""
    if key.revoked_at is not None and key.revoked_at <= at:
        return _("key {id} was revoked on {when}: {reason}").format(
            id=key.id, when=key.revoked_at.isoformat(), reason=key.revoked_reason
        )
    if key.valid_until is not None and at >= key.valid_until:
        return _("key {id} expired on {when}").format(id=key.id, when=key.valid_until.isoformat())
    if at < key.valid_from:
        return _("key {id} is valid only from {when}").format(
            id=key.id, when=key.valid_from.isoformat()
        )
    return None


async def register_key(session: AsyncSession, viewer: Viewer, data: KeyCreate) -> SigningKey:
    """Register the caller's own public key; with ``replaces``, revoke that key (rotation)."""
    if not viewer.has_role(*SIGNATORY_ROLES):
        raise Forbidden(_("only signatories (delegates) register signing keys"))
    try:
        raw = public_key_raw(data.public_key)
    except KeyFormatError:
        raise InvalidInput(
            _("public_key: not an Ed25519 public key; give PEM or the raw 32 bytes in base64"),
            field="public_key",
        ) from None
    now = utcnow()
    valid_from = data.valid_from or now
    valid_until = data.valid_until or valid_from + DEFAULT_VALIDITY
    if valid_until <= valid_from:
        raise InvalidInput(_("valid_until: must lie after valid_from"), field="valid_until")
    if valid_until <= now:
        raise InvalidInput(_("valid_until: the key would be expired already"), field="valid_until")
    fingerprint = sha256_hex(raw)
    if await repository.key_by_fingerprint(session, fingerprint) is not None:
        raise Conflict(_("this public key is registered already"), field="public_key")
    old = None
    if data.replaces is not None:
        old = await _own_key(session, viewer, data.replaces, field="replaces")
        if old.revoked_at is not None:
            raise Conflict(_("replaces: that key is revoked already"), field="replaces")
    key = SigningKey(
        id=uuid.uuid4(),
        user_id=viewer.user_id,
        username=viewer.username,
        state=viewer.state,
        label=data.label,
        public_key=b64encode(raw),
        fingerprint=fingerprint,
        valid_from=valid_from,
        valid_until=valid_until,
        revoked_at=None,
        revoked_reason="",
        created_at=now,
    )
    session.add(key)
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind="signing_key.registered",
        subject=key.id,
        payload=key_read(key),
        **_markings(key),
    )
    if old is not None:
        _revoke(session, viewer, old, _("rotated: replaced by key {id}").format(id=key.id))
    return key


async def get_key(session: AsyncSession, viewer: Viewer, key_id: uuid.UUID) -> SigningKey:
    """One key: the holder's own, or any for the secretariat and administrators; else 404."""
    return await _own_key(session, viewer, key_id)


async def _own_key(
    session: AsyncSession, viewer: Viewer, key_id: uuid.UUID, *, field: str | None = None
) -> SigningKey:
    key = await repository.get_key(session, key_id)
    if key is None or (key.user_id != viewer.user_id and not viewer.has_role(*KEY_MANAGERS)):
        if field:
            raise InvalidInput(
                _("{field}: no key {id} of yours").format(field=field, id=key_id), field=field
            )
        raise NotFound(_("no signing key {id}").format(id=key_id))
    return key


def _revoke(session: AsyncSession, viewer: Viewer, key: SigningKey, reason: str) -> None:
    key.revoked_at = utcnow()
    key.revoked_reason = reason
    record_event(
        session,
        actor=viewer.username,
        kind="signing_key.revoked",
        subject=key.id,
        payload={"reason": reason, "revoked_at": key.revoked_at.isoformat()},
        **_markings(key),
    )


async def revoke_key(
    session: AsyncSession, viewer: Viewer, key_id: uuid.UUID, reason: str
) -> SigningKey:
    """Revoke a key from now on; signatures made before stay valid, later ones are refused."""
    key = await _own_key(session, viewer, key_id)
    if key.user_id != viewer.user_id and not viewer.has_role("admin"):
        raise Forbidden(_("only the key's holder or an administrator revokes it"))
    if key.revoked_at is not None:
        raise Conflict(_("key {id} is revoked already").format(id=key.id))
    _revoke(session, viewer, key, reason)
    await session.flush()
    return key


async def list_keys(
    session: AsyncSession,
    viewer: Viewer,
    *,
    state: str | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[SigningKey], str | None]:
    """The caller's own keys; the secretariat and administrators see everyone's."""
    everyone = viewer.has_role(*KEY_MANAGERS)
    return await repository.list_keys(
        session,
        user_id=None if everyone else viewer.user_id,
        state=state,
        cursor=cursor,
        limit=limit,
    )
