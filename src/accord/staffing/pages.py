"""The quota-posts pages: /posts shows a term, its distribution beside exact quotas, its posts."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord.auth.dependencies import Principal, get_session, page_principal, undo
from accord.errors import AccordError, Conflict, Forbidden, InvalidInput, NotFound
from accord.i18n import _
from accord.members import service as members
from accord.staffing import posts, repository, service
from accord.staffing.schemas import (
    Adoption,
    DistributionCreate,
    NomineeAssignment,
    PostChange,
    PostCreate,
    TermCreate,
)
from accord.web.forms import form_values, parse_form
from accord.web.rendering import redirect, render

router = APIRouter(include_in_schema=False)
SAVED = {
    "term": lambda: _("Term created."),
    "post": lambda: _("Post added."),
    "distribution": lambda: _("Distribution computed."),
    "adoption": lambda: _("Adoption recorded."),
    "state": lambda: _("Post given to the state's quota."),
    "nominee": lambda: _("Nominee recorded."),
}


def status_names() -> dict[str, str]:
    return {
        "filled": _("filled"),
        "reassigned": _("temporarily reassigned"),
        "vacant": _("vacant"),
        "vacant_reserved": _("vacant, reserved"),
        "unallocated": _("not yet given to a state"),
    }


def tie_break_names() -> dict[str, str]:
    return {
        "population_desc": _("larger population first"),
        "code_asc": _("alphabetical by state code"),
    }


def basis_names() -> dict[str, str]:
    return {
        "budget_share": _("budget share"),
        "shares": _("given shares"),
        "weighted": _("weighted mix"),
    }


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(_("nothing here")) from None


async def _posts_page(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    term_id: uuid.UUID | None,
    *,
    error: AccordError | None = None,
) -> Response:
    viewer = principal.viewer
    terms = await repository.list_terms(session, viewer)
    term = next((t for t in terms if t.id == term_id), None) if term_id else None
    if term_id and term is None:
        raise NotFound(_("no term {id}").format(id=term_id))
    term = term or (terms[0] if terms else None)
    distribution = rows = None
    post_rows: list = []
    if term is not None:
        distribution = await repository.latest_distribution(session, term.id)
        post_rows = await repository.list_posts(session, viewer, term_id=term.id)
    if distribution is not None:
        rows = service.distribution_read(distribution).result
    held: dict[str, int] = {}
    for post in post_rows:
        if post.state:
            held[post.state] = held.get(post.state, 0) + 1
    saved = request.query_params.get("saved", "")
    context = {
        "terms": terms,
        "term": term,
        "term_name": service.term_name,
        "distribution": distribution,
        "rows": rows or [],
        "held": held,
        "posts": [posts.post_read(post, distribution) for post in post_rows],
        "states": await members.list_states(session),
        "state_names": await members.state_names(session),
        "bodies": {b.code: members.body_name(b) for b in await members.list_bodies(session)},
        "status_names": status_names(),
        "tie_break_names": tie_break_names(),
        "basis_names": basis_names(),
        "can_edit": viewer.state == "ORG" and viewer.has_role(*service.EDITING_ROLES),
        "error": error,
        "message": SAVED[saved]() if saved in SAVED and not error else None,
    }
    shown = [t.classification for t in terms] + [p.classification for p in post_rows]
    return render(
        request,
        "staffing/posts.html",
        context,
        shown=shown,
        status_code=error.status if error else 200,
    )


@router.get("/posts", response_class=HTMLResponse)
async def posts_page(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    term = request.query_params.get("term")
    return await _posts_page(request, session, principal, _uuid(term) if term else None)


async def _act(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    term_id: uuid.UUID | None,
    saved: str,
    action: Callable[[dict[str, Any]], Awaitable[uuid.UUID]],
    *,
    lists: tuple[str, ...] = (),
) -> Response:
    """Run a form's change; a refused one shows the page again with the reason."""
    if not principal.viewer.has_role(*service.EDITING_ROLES):
        raise Forbidden(_("only the secretariat edits quota posts"))
    values = form_values(await request.form(), lists=lists)
    try:
        term_id = await action(values)
        await session.flush()
    except (InvalidInput, Conflict) as error:
        await undo(session, principal)
        return await _posts_page(request, session, principal, term_id, error=error)
    return redirect(f"/posts?term={term_id}&saved={saved}")


def _blank(values: dict[str, Any], *names: str) -> dict[str, Any]:
    return {key: value for key, value in values.items() if not (key in names and value == "")}


@router.post("/posts/terms")
async def create_term(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    async def action(values: dict[str, Any]) -> uuid.UUID:
        weights = {
            part: values.pop(f"weight_{part}", "")
            for part in ("equal", "population", "contribution")
        }
        values = _blank(values, "cap", "scale_year")
        if values.get("basis") == "weighted":
            values["weights"] = {part: w for part, w in weights.items() if w}
        data = parse_form(TermCreate, values)
        return (await service.create_term(session, principal.viewer, data)).id

    return await _act(request, session, principal, None, "term", action)


@router.post("/posts/terms/{term_id}/posts")
async def add_post(
    request: Request,
    term_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    ident = _uuid(term_id)

    async def action(values: dict[str, Any]) -> uuid.UUID:
        values["reserved"] = values.get("reserved") == "on"
        data = parse_form(PostCreate, {**values, "term_id": str(ident)})
        await posts.create_post(session, principal.viewer, data)
        return ident

    return await _act(request, session, principal, ident, "post", action)


@router.post("/posts/terms/{term_id}/distribution")
async def compute_distribution(
    request: Request,
    term_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    ident = _uuid(term_id)

    async def action(values: dict[str, Any]) -> uuid.UUID:
        await service.compute_distribution(session, principal.viewer, ident, DistributionCreate())
        return ident

    return await _act(request, session, principal, ident, "distribution", action)


@router.post("/posts/terms/{term_id}/adoption")
async def adopt_distribution(
    request: Request,
    term_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    ident = _uuid(term_id)

    async def action(values: dict[str, Any]) -> uuid.UUID:
        if values.get("decision_id"):
            # The council knows whom its decision binds.
            values.pop("states_bound")
        data = parse_form(Adoption, _blank(values, "decision_id"))
        await service.adopt_distribution(session, principal.viewer, ident, data)
        return ident

    return await _act(
        request, session, principal, ident, "adoption", action, lists=("states_bound",)
    )


@router.post("/posts/{post_id}/state")
async def give_post(
    request: Request,
    post_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    post = await posts.get_post(session, principal.viewer, _uuid(post_id))
    ident, term_id = post.id, post.term_id  # read now: a refused change expires the record

    async def action(values: dict[str, Any]) -> uuid.UUID:
        values = {"version": values.get("version"), "state": values.get("state") or None}
        await posts.change_post(session, principal.viewer, ident, parse_form(PostChange, values))
        return term_id

    return await _act(request, session, principal, term_id, "state", action)


@router.post("/posts/{post_id}/nominee")
async def nominate(
    request: Request,
    post_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    post = await posts.get_post(session, principal.viewer, _uuid(post_id))
    ident, term_id = post.id, post.term_id  # read now: a refused change expires the record

    async def action(values: dict[str, Any]) -> uuid.UUID:
        data = parse_form(NomineeAssignment, _blank(values, "nominee_state"))
        await posts.assign_nominee(session, principal.viewer, ident, data)
        return term_id

    return await _act(request, session, principal, term_id, "nominee", action)
