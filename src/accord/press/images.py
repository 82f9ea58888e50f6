"""Images attached to releases: checked like incident attachments, kept once by hash."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer
from accord.blobs import store_blob
from accord.clock import utcnow
from accord.errors import InvalidInput, NotFound
from accord.i18n import _
from accord.incidents.attachment_service import check_file, clean_filename
from accord.models.press_image import PressImage
from accord.press import repository
from accord.press.service import _event, _require_change, get_release
from accord.programme import links as linked

IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


async def add_image(
    session: AsyncSession,
    viewer: Viewer,
    release_id: uuid.UUID,
    *,
    filename: str | None,
    content_type: str | None,
    data: bytes,
    alt: str,
) -> PressImage:
    """Attach a checked image (PNG, JPEG, GIF or WebP); its content is kept once by hash."""
    release = await get_release(session, viewer, release_id)
    _require_change(viewer, release)
    name = clean_filename(filename)
    media_type = check_file(name, content_type, data)
    if media_type not in IMAGE_TYPES:
        raise InvalidInput(_("file: a release takes PNG, JPEG, GIF or WebP images"), field="file")
    digest = await store_blob(session, data)
    image = PressImage(
        id=uuid.uuid4(),
        release_id=release.id,
        filename=name,
        media_type=media_type,
        size=len(data),
        sha256=digest,
        alt=alt.strip()[:300],
        created_at=utcnow(),
        created_by=viewer.username,
    )
    session.add(image)
    release.updated_at = image.created_at
    await session.flush()
    _event(session, viewer, release, "image_added", {"image": str(image.id), "filename": name})
    return image


async def get_image(
    session: AsyncSession, viewer: Viewer | None, release_id: uuid.UUID, image_id: uuid.UUID
) -> tuple[PressImage, bytes]:
    """An image of a release the viewer may read (the public: of a published release)."""
    if viewer is None:
        release = await repository.get_visible(session, linked.PUBLIC_VIEWER, release_id)
        texts = await repository.texts(session, release_id) if release else []
        if not any(text.status == "published" for text in texts):
            raise NotFound(_("no image {id}").format(id=image_id))
    else:
        await get_release(session, viewer, release_id)
    found = await repository.get_image(session, release_id, image_id)
    if found is None:
        raise NotFound(_("no image {id}").format(id=image_id))
    return found
