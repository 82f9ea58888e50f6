"""The press API: /api/v1/releases, their review steps and images."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord.auth.dependencies import Principal, current_principal, get_session, require_roles
from accord.errors import InvalidInput, TooLarge
from accord.i18n import _
from accord.press import images, repository, service
from accord.press.schemas import (
    ImageRead,
    ReleaseChange,
    ReleaseCreate,
    ReleaseList,
    ReleaseMove,
    ReleaseRead,
    StepRead,
)

router = APIRouter(prefix="/api/v1", tags=["press"])
press_officer = require_roles("press")
MAX_IMAGE_BYTES = 10 * 1024 * 1024


@router.get("/releases", response_model=ReleaseList)
async def list_releases(
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=200),
) -> ReleaseList:
    """Press officers see every release; other users see the published ones."""
    viewer = principal.viewer
    rows, next_cursor = await repository.list_releases(
        session,
        viewer,
        published_only=not viewer.has_role(*service.PRESS),
        cursor=cursor,
        limit=limit,
    )
    items = [await service.release_read(session, viewer, row) for row in rows]
    return ReleaseList(items=items, next_cursor=next_cursor)


@router.post("/releases", response_model=ReleaseRead, status_code=201)
async def draft_release(
    body: ReleaseCreate,
    principal: Principal = Depends(press_officer),
    session: AsyncSession = get_session,
) -> ReleaseRead:
    release = await service.draft_release(session, principal.viewer, body)
    return await service.release_read(session, principal.viewer, release)


@router.get("/releases/{release_id}", response_model=ReleaseRead)
async def get_release(
    release_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> ReleaseRead:
    release = await service.get_release(session, principal.viewer, release_id)
    return await service.release_read(session, principal.viewer, release)


@router.patch("/releases/{release_id}", response_model=ReleaseRead)
async def change_release(
    release_id: uuid.UUID,
    body: ReleaseChange,
    principal: Principal = Depends(press_officer),
    session: AsyncSession = get_session,
) -> ReleaseRead:
    release = await service.change_release(session, principal.viewer, release_id, body)
    return await service.release_read(session, principal.viewer, release)


@router.get("/releases/{release_id}/history", response_model=list[StepRead])
async def release_history(
    release_id: uuid.UUID,
    principal: Principal = Depends(press_officer),
    session: AsyncSession = get_session,
) -> list[StepRead]:
    """Every review step of every language version, oldest first."""
    release = await service.get_release(session, principal.viewer, release_id)
    return await service.history(session, release)


@router.post("/releases/{release_id}/images", response_model=ImageRead, status_code=201)
async def add_image(
    release_id: uuid.UUID,
    request: Request,
    principal: Principal = Depends(press_officer),
    session: AsyncSession = get_session,
) -> ImageRead:
    """Upload an image as multipart form data: ``file`` and an optional ``alt`` text."""
    if int(request.headers.get("content-length") or 0) > MAX_IMAGE_BYTES + 64 * 1024:
        raise TooLarge(_("an image may be at most 10 MB"))
    form = await request.form()
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise InvalidInput(_("file: send the image as the form field file"), field="file")
    data = await upload.read()
    if len(data) > MAX_IMAGE_BYTES:
        raise TooLarge(_("an image may be at most 10 MB"))
    image = await images.add_image(
        session,
        principal.viewer,
        release_id,
        filename=upload.filename,
        content_type=upload.content_type,
        data=data,
        alt=str(form.get("alt") or ""),
    )
    return ImageRead(
        id=image.id,
        filename=image.filename,
        media_type=image.media_type,
        size=image.size,
        sha256=image.sha256,
        alt=image.alt,
        url=service.image_url(image),
    )


@router.get("/releases/{release_id}/images/{image_id}")
async def get_image(
    release_id: uuid.UUID,
    image_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> Response:
    image, data = await images.get_image(session, principal.viewer, release_id, image_id)
    return Response(data, media_type=image.media_type, headers={"Cache-Control": "private"})


# Last: its path would otherwise answer for /images too.
@router.post("/releases/{release_id}/{action}", response_model=ReleaseRead)
async def move_release(
    release_id: uuid.UUID,
    action: Literal["submit", "return", "approve", "publish", "unpublish"],
    body: ReleaseMove,
    principal: Principal = Depends(press_officer),
    session: AsyncSession = get_session,
) -> ReleaseRead:
    """A review step: submit, return (to draft), approve, publish or unpublish."""
    release = await service.move_release(session, principal.viewer, release_id, action, body)
    return await service.release_read(session, principal.viewer, release)
