"""Adding and removing one linked record on a release, each checked on its own.

Only the record being added is checked for being PUBLIC: removing a link must stay possible
even when another linked record was reclassified meanwhile (that one blocks approval and
publication until it is removed).
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer
from accord.clock import utcnow
from accord.errors import InvalidInput
from accord.i18n import _
from accord.models.press_release import PressRelease
from accord.press.schemas import LinkRef
from accord.press.service import (
    _event,
    _not_public_reason,
    _require_change,
    _require_version,
    get_release,
)

FIELD = "link"
MAX_LINKS = 20


def _same(link: dict[str, str], kind: str, ident: uuid.UUID) -> bool:
    return link["kind"] == kind and link["id"] == str(ident)


async def link_record(
    session: AsyncSession, viewer: Viewer, release_id: uuid.UUID, ref: LinkRef, version: int
) -> PressRelease:
    """Link one more record to the release; it must be one the public may read."""
    release = await get_release(session, viewer, release_id)
    _require_change(viewer, release)
    _require_version(release, version)
    links = list(release.links or [])
    if any(_same(link, ref.kind, ref.id) for link in links):
        raise InvalidInput(_("link: the release links this record already"), field=FIELD)
    if len(links) >= MAX_LINKS:
        raise InvalidInput(
            _("link: a release links at most {count} records").format(count=MAX_LINKS),
            field=FIELD,
        )
    reason = await _not_public_reason(session, viewer, ref.kind, ref.id)
    if reason:
        raise InvalidInput(
            _("link: {reason}; a release may link only PUBLIC records").format(reason=reason),
            field=FIELD,
        )
    release.links = [*links, {"kind": ref.kind, "id": str(ref.id)}]
    release.updated_at = utcnow()
    await session.flush()
    _event(session, viewer, release, "linked", {"kind": ref.kind, "id": str(ref.id)})
    return release


async def unlink_record(
    session: AsyncSession, viewer: Viewer, release_id: uuid.UUID, ref: LinkRef, version: int
) -> PressRelease:
    """Remove one linked record from the release."""
    release = await get_release(session, viewer, release_id)
    _require_change(viewer, release)
    _require_version(release, version)
    links = list(release.links or [])
    kept = [link for link in links if not _same(link, ref.kind, ref.id)]
    if len(kept) == len(links):
        raise InvalidInput(_("link: the release does not link this record"), field=FIELD)
    release.links = kept
    release.updated_at = utcnow()
    await session.flush()
    _event(session, viewer, release, "unlinked", {"kind": ref.kind, "id": str(ref.id)})
    return release
