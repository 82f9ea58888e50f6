"""The quota-posts API: /api/v1/posts — terms, their distribution, posts and nominees."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query
from sqlalchemy.ext.asyncio import AsyncSession

from accord.auth.dependencies import Principal, current_principal, get_session, require_roles
from accord.staffing import posts, repository, service
from accord.staffing.schemas import (
    Adoption,
    DistributionCreate,
    DistributionRead,
    NomineeAssignment,
    PostChange,
    PostCreate,
    PostList,
    PostRead,
    TermCreate,
    TermList,
    TermRead,
)

router = APIRouter(prefix="/api/v1", tags=["posts"])
EDITOR = Depends(require_roles(*service.EDITING_ROLES))


async def _term_read(session: AsyncSession, term) -> TermRead:
    return service.term_read(term, await repository.all_posts_of(session, term.id))


async def _post_read(session: AsyncSession, post) -> PostRead:
    distribution = await repository.latest_distribution(session, post.term_id)
    return posts.post_read(post, distribution)


# Terms and distributions (before /posts/{post_id}, which would take "terms" for an id)


@router.get("/posts/terms", response_model=TermList)
async def list_terms(
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=200),
) -> TermList:
    """The terms, newest first (a handful: one every three years, so one page)."""
    terms = await repository.list_terms(session, principal.viewer)
    return TermList(items=[await _term_read(session, t) for t in terms[:limit]], next_cursor=None)


@router.post("/posts/terms", response_model=TermRead, status_code=201)
async def create_term(
    body: TermCreate, principal: Principal = EDITOR, session: AsyncSession = get_session
) -> TermRead:
    return await _term_read(session, await service.create_term(session, principal.viewer, body))


@router.get("/posts/terms/{term_id}", response_model=TermRead)
async def get_term(
    term_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> TermRead:
    return await _term_read(session, await service.get_term(session, principal.viewer, term_id))


@router.get("/posts/terms/{term_id}/distribution", response_model=DistributionRead)
async def get_distribution(
    term_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> DistributionRead:
    """The adopted distribution of the term, or else the newest computed one."""
    distribution = await service.get_distribution(session, principal.viewer, term_id)
    return service.distribution_read(distribution)


@router.post(
    "/posts/terms/{term_id}/distribution", response_model=DistributionRead, status_code=201
)
async def compute_distribution(
    term_id: uuid.UUID,
    body: DistributionCreate | None = None,
    principal: Principal = EDITOR,
    session: AsyncSession = get_session,
) -> DistributionRead:
    """Compute the distribution by Webster/Sainte-Laguë and store it as a record of the term."""
    distribution = await service.compute_distribution(
        session, principal.viewer, term_id, body or DistributionCreate()
    )
    return service.distribution_read(distribution)


@router.post("/posts/terms/{term_id}/distribution/adoption", response_model=DistributionRead)
async def adopt_distribution(
    term_id: uuid.UUID,
    body: Adoption,
    principal: Principal = EDITOR,
    session: AsyncSession = get_session,
) -> DistributionRead:
    """Record the council decision adopting the distribution and the states it binds."""
    distribution = await service.adopt_distribution(session, principal.viewer, term_id, body)
    return service.distribution_read(distribution)


# Posts


@router.get("/posts", response_model=PostList)
async def list_posts(
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    term_id: uuid.UUID | None = Query(None),
    limit: int = Query(50, ge=1, le=500),
    cursor: uuid.UUID | None = Query(None),
) -> PostList:
    """The posts (of one term with ``term_id``), in a stable order, paged."""
    rows = await repository.list_posts(
        session, principal.viewer, term_id=term_id, cursor=cursor, limit=limit + 1
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return PostList(
        items=[await _post_read(session, row) for row in rows],
        next_cursor=str(rows[-1].id) if more and rows else None,
    )


@router.post("/posts", response_model=PostRead, status_code=201)
async def create_post(
    body: PostCreate, principal: Principal = EDITOR, session: AsyncSession = get_session
) -> PostRead:
    return await _post_read(session, await posts.create_post(session, principal.viewer, body))


@router.get("/posts/{post_id}", response_model=PostRead)
async def get_post(
    post_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> PostRead:
    return await _post_read(session, await posts.get_post(session, principal.viewer, post_id))


@router.patch("/posts/{post_id}", response_model=PostRead)
async def change_post(
    post_id: uuid.UUID,
    body: PostChange,
    principal: Principal = EDITOR,
    session: AsyncSession = get_session,
) -> PostRead:
    post = await posts.change_post(session, principal.viewer, post_id, body)
    return await _post_read(session, post)


@router.post("/posts/{post_id}/nominee", response_model=PostRead)
async def assign_nominee(
    post_id: uuid.UUID,
    body: NomineeAssignment,
    principal: Principal = EDITOR,
    session: AsyncSession = get_session,
) -> PostRead:
    """Fill the post with a nominee of its state (or vacate it with an empty nominee)."""
    post = await posts.assign_nominee(session, principal.viewer, post_id, body)
    return await _post_read(session, post)
