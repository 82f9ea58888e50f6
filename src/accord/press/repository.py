"""All SQL of the press domain; lists go through the access filter."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer, visible
from accord.blobs import read_blob
from accord.models.press_image import PressImage
from accord.models.press_release import PressRelease
from accord.models.press_release_step import PressReleaseStep
from accord.models.press_release_text import PressReleaseText
from accord.paging import keyset_page


def _published_ids():
    return select(PressReleaseText.release_id).where(PressReleaseText.status == "published")


async def list_releases(
    session: AsyncSession,
    viewer: Viewer,
    *,
    published_only: bool,
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[PressRelease], str | None]:
    """Releases the viewer may see, last changed first."""
    query = select(PressRelease).where(visible(viewer, PressRelease))
    if published_only:
        query = query.where(PressRelease.id.in_(_published_ids()))
    return await keyset_page(
        session, query, PressRelease.updated_at, PressRelease.id, cursor, limit
    )


async def published_in(
    session: AsyncSession, viewer: Viewer, language: str, *, limit: int = 50
) -> list[tuple[PressRelease, PressReleaseText]]:
    """Releases published in ``language``, newest first, with that language's text."""
    query = (
        select(PressRelease, PressReleaseText)
        .join(PressReleaseText, PressReleaseText.release_id == PressRelease.id)
        .where(
            visible(viewer, PressRelease),
            PressReleaseText.language == language,
            PressReleaseText.status == "published",
        )
        .order_by(PressReleaseText.published_at.desc(), PressRelease.id.desc())
        .limit(limit)
    )
    return [(row[0], row[1]) for row in (await session.execute(query)).all()]


async def get_visible(
    session: AsyncSession, viewer: Viewer, release_id: uuid.UUID
) -> PressRelease | None:
    query = select(PressRelease).where(PressRelease.id == release_id, visible(viewer, PressRelease))
    return (await session.execute(query)).scalar_one_or_none()


async def texts(session: AsyncSession, release_id: uuid.UUID) -> list[PressReleaseText]:
    query = (
        select(PressReleaseText)
        .where(PressReleaseText.release_id == release_id)
        .order_by(PressReleaseText.language)
    )
    return list((await session.execute(query)).scalars())


async def steps(session: AsyncSession, release_id: uuid.UUID) -> list[PressReleaseStep]:
    query = (
        select(PressReleaseStep)
        .where(PressReleaseStep.release_id == release_id)
        .order_by(PressReleaseStep.at, PressReleaseStep.language)
    )
    return list((await session.execute(query)).scalars())


async def images(session: AsyncSession, release_id: uuid.UUID) -> list[PressImage]:
    query = (
        select(PressImage)
        .where(PressImage.release_id == release_id)
        .order_by(PressImage.created_at, PressImage.id)
    )
    return list((await session.execute(query)).scalars())


async def get_image(
    session: AsyncSession, release_id: uuid.UUID, image_id: uuid.UUID
) -> tuple[PressImage, bytes] | None:
    query = select(PressImage).where(PressImage.id == image_id, PressImage.release_id == release_id)
    image = (await session.execute(query)).scalar_one_or_none()
    if image is None:
        return None
    return image, await read_blob(session, image.sha256)
