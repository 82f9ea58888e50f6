"""The assistance pages: open requests, one request with its offers, the register, deployments."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Classification, can_change
from accord.assistance import (
    catalogue,
    deployments,
    forms,
    offers,
    register,
    repository,
    revision_notes,
    revision_pages,
    service,
)
from accord.assistance.page_parts import common, parse_id, refused, saved_message
from accord.assistance.reads import is_lapsed, shown_status
from accord.assistance.schemas import RequestChange
from accord.assistance.workflows import DEPLOYMENT, DUTY, REQUEST
from accord.auth.dependencies import Principal, get_session, page_principal
from accord.clock import utcnow
from accord.crises.repository import CrisisFilter
from accord.crises.repository import list_crises as crisis_list
from accord.errors import AccordError, Conflict, InvalidInput
from accord.i18n import _
from accord.members import service as members
from accord.models.assistance_request import AssistanceRequest
from accord.models.capability_holding import CapabilityHolding
from accord.models.offer import Offer
from accord.paging import keyset_page
from accord.web.rendering import redirect, render

router = APIRouter(include_in_schema=False)
router.include_router(revision_pages.router)
PAGE_SIZE = 50
REFUSED = (InvalidInput, Conflict)


# The overview


@router.get("/assistance", response_class=HTMLResponse)
async def overview(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    viewer = principal.viewer
    query = repository.requests_query(viewer, statuses=["open", "lapsed"], now=utcnow())
    rows, next_cursor = await keyset_page(
        session,
        query,
        AssistanceRequest.posted_at,
        AssistanceRequest.id,
        request.query_params.get("cursor") or None,
        PAGE_SIZE,
    )
    lines = await repository.need_lines_of(session, [row.id for row in rows])
    pairs = [(line, row) for row in rows for line in lines.get(row.id, []) if line.status == "open"]
    fulfilment = await service.fulfilment(session, viewer, pairs)
    by_request: dict[uuid.UUID, list] = {row.id: [] for row in rows}
    for line in fulfilment:
        by_request[line.request_id].append(line)
    holdings = list(
        (
            await session.execute(
                repository.holdings_query(viewer, owners=[viewer.state]).order_by(
                    CapabilityHolding.capability_code
                )
            )
        ).scalars()
    )
    context = {
        **await common(session, principal),
        "requests": [(row, shown_status(row), by_request[row.id]) for row in rows],
        "holdings": holdings,
        "next_cursor": next_cursor,
        "message": saved_message(request),
    }
    shown = [row.classification for row in rows] + [h.classification for h in holdings]
    return render(request, "assistance/overview.html", context, shown=shown)


# Posting a request


async def _request_form(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    values: dict[str, Any],
    error: AccordError | None = None,
) -> Response:
    context = {
        **await common(session, principal),
        "values": values,
        "error": error,
        "error_field": (error.field or "") if error else "",
        "catalogue": await catalogue.list_capability_types(session),
        "levels": [level for level in Classification if level <= principal.viewer.clearance],
        "states": await members.list_states(session),
        "rows": forms.NEED_LINE_ROWS,
        "crises": await _my_crises(session, principal),
    }
    return render(
        request,
        "assistance/request_form.html",
        context,
        shown=[values.get("classification") or Classification.PUBLIC],
        status_code=error.status if error else 200,
    )


async def _my_crises(session: AsyncSession, principal: Principal) -> list:
    """Open crises the viewer's state is affected by: those it may ask for assistance in."""
    wanted = CrisisFilter(levels=service.OPEN_CRISIS_LEVELS, states=(principal.viewer.state,))
    rows, _next = await crisis_list(session, principal.viewer, wanted, limit=100)
    return rows


@router.get("/assistance/requests/new", response_class=HTMLResponse)
async def new_request(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    values: dict[str, Any] = {
        "crisis_id": (request.query_params.get("crisis") or "")[:40],
        "lines": [{} for _row in range(forms.NEED_LINE_ROWS)],
        "releasable_to": [],
    }
    return await _request_form(request, session, principal, values)


@router.post("/assistance/requests/new", response_class=HTMLResponse)
async def submit_request(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    form = await request.form()
    try:
        data = forms.request_from_form(form)
        posted, _lines = await service.post_request(session, principal.viewer, data)
        await session.flush()
    except REFUSED as error:
        await refused(session, principal)
        return await _request_form(request, session, principal, forms.request_values(form), error)
    return redirect(f"/assistance/requests/{posted.id}?saved=request")


# One request


async def _request_page(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    request_id: uuid.UUID,
    error: AccordError | None = None,
) -> Response:
    viewer = principal.viewer
    record = await service.get_request(session, viewer, request_id)
    lines = (await repository.need_lines_of(session, [record.id])).get(record.id, [])
    open_lines = [line for line in lines if line.status == "open"]
    fulfilment = await service.fulfilment(session, viewer, [(line, record) for line in open_lines])
    offer_rows = list(
        (
            await session.execute(
                repository.offers_query(viewer, request_ids=[record.id]).order_by(Offer.offered_at)
            )
        ).scalars()
    )
    mine = [offer for offer in offer_rows if offer.owner == viewer.state]
    since = min((offer.request_revision for offer in mine), default=record.revision)
    changes = await service.changes_since(session, record, since) if mine else []
    requester = can_change(viewer, record, DUTY)
    standing = record.status == "open" and not is_lapsed(record)
    shared = await common(session, principal)
    context = {
        **shared,
        "record": record,
        "status": shown_status(record),
        "lines": fulfilment,
        "cancelled": [line for line in lines if line.status != "open"],
        "offers": offer_rows,
        "deployed": await repository.deployment_of_offers(session, [o.id for o in offer_rows]),
        "matches": await service.matches(session, viewer, record.id),
        "changes": revision_notes.describe(changes, lines, shared["names"]),
        "since": since,
        "editable": requester and record.status == "open",
        "requester": requester,
        "may_offer": standing and viewer.has_role(*DUTY) and record.owner != viewer.state,
        "moves": REQUEST.targets(record.status, viewer.roles) if requester else [],
        "error": error,
        "error_field": (error.field or "") if error else "",
        "message": None if error else saved_message(request),
    }
    shown = [record.classification] + [offer.classification for offer in offer_rows]
    status = error.status if error else 200
    return render(request, "assistance/request.html", context, shown=shown, status_code=status)


@router.get("/assistance/requests/{request_id}", response_class=HTMLResponse)
async def request_page(
    request: Request,
    request_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    ident = parse_id(request_id, _("request"))
    return await _request_page(request, session, principal, ident)


async def _on_request(request, session, principal, request_id: str, saved: str, action) -> Response:
    """Run a form's change on a request page; a refused change shows on the page again."""
    ident = parse_id(request_id, _("request"))
    form = await request.form()
    try:
        await action(ident, form)
        await session.flush()
    except REFUSED as error:
        await refused(session, principal)
        return await _request_page(request, session, principal, ident, error)
    return redirect(f"/assistance/requests/{ident}?saved={saved}")


@router.post("/assistance/requests/{request_id}/offers")
async def offer_on_page(
    request: Request,
    request_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    async def action(_ident: uuid.UUID, form) -> None:
        await offers.make_offer(session, principal.viewer, forms.offer_from_form(form))

    return await _on_request(request, session, principal, request_id, "offer", action)


@router.post("/assistance/requests/{request_id}/answers")
async def answer_on_page(
    request: Request,
    request_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    async def action(_ident: uuid.UUID, form) -> None:
        offer_id = parse_id(forms.text(form, "offer_id"), _("offer"))
        answer = forms.response_from_form(form)
        await offers.respond_to_offer(session, principal.viewer, offer_id, answer)

    return await _on_request(request, session, principal, request_id, "answer", action)


@router.post("/assistance/requests/{request_id}/status")
async def status_on_page(
    request: Request,
    request_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    async def action(ident: uuid.UUID, form) -> None:
        version = forms.version(form)
        target = forms.text(form, "status")
        if target == "renew":
            await service.renew_request(session, principal.viewer, ident, version)
            return
        change = RequestChange(version=version, status=target or None)
        await service.change_request(session, principal.viewer, ident, change)

    return await _on_request(request, session, principal, request_id, "changed", action)


# The register


async def _register_page(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    values: dict[str, Any] | None = None,
    error: AccordError | None = None,
) -> Response:
    viewer = principal.viewer
    everyone = request.query_params.get("owner") == "all"
    query = repository.holdings_query(viewer, owners=[] if everyone else [viewer.state])
    query = query.order_by(
        CapabilityHolding.owner, CapabilityHolding.capability_code, CapabilityHolding.id
    )
    holdings = list((await session.execute(query.limit(500))).scalars())
    context = {
        **await common(session, principal),
        "holdings": holdings,
        "everyone": everyone,
        "catalogue": await catalogue.list_capability_types(session),
        "levels": [level for level in Classification if level <= viewer.clearance],
        "values": values or {},
        "error": error,
        "error_field": (error.field or "") if error else "",
        "message": None if error else saved_message(request),
    }
    shown = [holding.classification for holding in holdings]
    status = error.status if error else 200
    return render(request, "assistance/register.html", context, shown=shown, status_code=status)


@router.get("/capabilities", response_class=HTMLResponse)
async def register_page(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    return await _register_page(request, session, principal)


@router.post("/capabilities", response_class=HTMLResponse)
async def add_to_register(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    form = await request.form()
    try:
        await register.add_holding(session, principal.viewer, forms.holding_from_form(form))
        await session.flush()
    except REFUSED as error:
        await refused(session, principal)
        values = {name: forms.text(form, name) for name in form if name != "csrf_token"}
        return await _register_page(request, session, principal, values, error)
    return redirect("/capabilities?saved=holding")


@router.post("/capabilities/{holding_id}/delete")
async def remove_from_register(
    holding_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    ident = parse_id(holding_id, _("register entry"))
    await register.remove_holding(session, principal.viewer, ident)
    return redirect("/capabilities?saved=holding")


# Deployments


async def _deployment_page(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    deployment_id: uuid.UUID,
    error: AccordError | None = None,
) -> Response:
    viewer = principal.viewer
    deployment = await deployments.get_deployment(session, viewer, deployment_id)
    changeable = can_change(viewer, deployment, DUTY)
    context = {
        **await common(session, principal),
        "deployment": deployment,
        "history": await deployments.deployment_history(session, deployment),
        "changeable": changeable,
        "moves": DEPLOYMENT.targets(deployment.status, viewer.roles) if changeable else [],
        "error": error,
        "error_field": (error.field or "") if error else "",
        "message": None if error else saved_message(request),
    }
    status = error.status if error else 200
    return render(
        request,
        "assistance/deployment.html",
        context,
        shown=[deployment.classification],
        status_code=status,
    )


@router.get("/assistance/deployments/{deployment_id}", response_class=HTMLResponse)
async def deployment_page(
    request: Request,
    deployment_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    ident = parse_id(deployment_id, _("deployment"))
    return await _deployment_page(request, session, principal, ident)


@router.post("/assistance/deployments/{deployment_id}", response_class=HTMLResponse)
async def update_deployment(
    request: Request,
    deployment_id: str,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    ident = parse_id(deployment_id, _("deployment"))
    form = await request.form()
    try:
        change = forms.deployment_from_form(form)
        await deployments.change_deployment(session, principal.viewer, ident, change)
        await session.flush()
    except REFUSED as error:
        await refused(session, principal)
        return await _deployment_page(request, session, principal, ident, error)
    return redirect(f"/assistance/deployments/{ident}?saved=deployment")
