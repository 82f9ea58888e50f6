"""Adding and removing one link of an activity (to what advanced it), each checked on its own.

Only the record being added is checked: a link the editor can no longer see must not block
removing another one. The events name the kind only: the programme's events go to everyone,
the linked record may not.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer
from accord.errors import InvalidInput, NotFound
from accord.i18n import _
from accord.models.programme_activity import ProgrammeActivity
from accord.programme import links as linked
from accord.programme import repository
from accord.programme.schemas import LinkRef
from accord.programme.service import (
    _event,
    _require_editor,
    _require_version,
    _touch,
    get_programme,
)

FIELD = "link"
MAX_LINKS = 50


async def _activity(
    session: AsyncSession, viewer: Viewer, programme_id: uuid.UUID, activity_id: uuid.UUID
):
    programme = await get_programme(session, viewer, programme_id)
    _require_editor(viewer)
    activity = await repository.get_activity(session, programme.id, activity_id)
    if activity is None:
        raise NotFound(_("no activity {id} in this programme").format(id=activity_id))
    return programme, activity


def _same(link: dict, ref: LinkRef) -> bool:
    return link["kind"] == ref.kind and link["id"] == str(ref.id)


async def link_activity(
    session: AsyncSession,
    viewer: Viewer,
    programme_id: uuid.UUID,
    activity_id: uuid.UUID,
    ref: LinkRef,
    version: int,
) -> ProgrammeActivity:
    """Link a record the editor can see to the activity, against its ``version``."""
    programme, activity = await _activity(session, viewer, programme_id, activity_id)
    _require_version(_("activity"), activity.version, version)
    links = list(activity.links or [])
    if any(_same(link, ref) for link in links):
        raise InvalidInput(_("link: the activity links this record already"), field=FIELD)
    if len(links) >= MAX_LINKS:
        raise InvalidInput(
            _("link: an activity links at most {count} records").format(count=MAX_LINKS),
            field=FIELD,
        )
    if await linked.resolve(session, viewer, ref.kind, ref.id) is None:
        raise InvalidInput(
            _("link: no {kind} {id} that you can see").format(kind=ref.kind, id=ref.id),
            field=FIELD,
        )
    activity.links = [*links, {"kind": ref.kind, "id": str(ref.id)}]
    await session.flush()
    _touch(programme)
    _event(
        session,
        viewer,
        "activity_linked",
        programme.id,
        {"activity": str(activity.id), "kind": ref.kind},
    )
    return activity


async def unlink_activity(
    session: AsyncSession,
    viewer: Viewer,
    programme_id: uuid.UUID,
    activity_id: uuid.UUID,
    ref: LinkRef,
    version: int,
) -> ProgrammeActivity:
    """Remove one link of the activity, against its ``version``."""
    programme, activity = await _activity(session, viewer, programme_id, activity_id)
    _require_version(_("activity"), activity.version, version)
    links = list(activity.links or [])
    kept = [link for link in links if not _same(link, ref)]
    if len(kept) == len(links):
        raise InvalidInput(_("link: the activity does not link this record"), field=FIELD)
    activity.links = kept
    await session.flush()
    _touch(programme)
    _event(
        session,
        viewer,
        "activity_unlinked",
        programme.id,
        {"activity": str(activity.id), "kind": ref.kind},
    )
    return activity
