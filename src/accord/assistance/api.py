"""The assistance API: capabilities, requests, offers and deployments."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord.assistance import catalogue, deployments, offers, register, repository, service
from accord.assistance.reads import deployment_read, holding_read, offer_read
from accord.assistance.schemas import (
    CatalogueEntryChange,
    CatalogueEntryCreate,
    CatalogueEntryRead,
    CatalogueList,
    DeploymentChange,
    DeploymentList,
    DeploymentRead,
    HoldingChange,
    HoldingCreate,
    HoldingList,
    HoldingRead,
    MatchList,
    OfferCreate,
    OfferList,
    OfferRead,
    OfferResponse,
    Renewal,
    RequestChange,
    RequestCreate,
    RequestList,
    RequestRead,
    RevisionRead,
)
from accord.auth.dependencies import Principal, current_principal, get_session, require_roles
from accord.clock import utcnow
from accord.interop.edxl import export as edxl
from accord.models.assistance_request import AssistanceRequest
from accord.models.capability_holding import CapabilityHolding
from accord.models.deployment import Deployment
from accord.models.offer import Offer
from accord.paging import keyset_page

router = APIRouter(prefix="/api/v1", tags=["assistance"])
Limit = Query(50, ge=1, le=500)
Cursor = Query(None, max_length=200)
EDXL_MEDIA_TYPE = "application/xml"


def edxl_answer(document: bytes, name: str) -> Response:
    return Response(
        document,
        media_type=EDXL_MEDIA_TYPE,
        headers={"Content-Disposition": f'inline; filename="{name}.xml"'},
    )


# The catalogue


@router.get("/capabilities/catalogue", response_model=CatalogueList)
async def list_catalogue(
    _principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    include_inactive: bool = False,
) -> CatalogueList:
    entries = await catalogue.list_capability_types(session, include_inactive=include_inactive)
    return CatalogueList(items=[catalogue.entry_read(entry) for entry in entries])


@router.post("/capabilities/catalogue", response_model=CatalogueEntryRead, status_code=201)
async def extend_catalogue(
    body: CatalogueEntryCreate,
    principal: Principal = Depends(require_roles("admin")),
    session: AsyncSession = get_session,
) -> CatalogueEntryRead:
    entry = await catalogue.add_catalogue_entry(session, principal.viewer, body)
    return catalogue.entry_read(entry)


@router.patch("/capabilities/catalogue/{code}", response_model=CatalogueEntryRead)
async def change_catalogue_entry(
    code: str,
    body: CatalogueEntryChange,
    principal: Principal = Depends(require_roles("admin")),
    session: AsyncSession = get_session,
) -> CatalogueEntryRead:
    entry = await catalogue.set_catalogue_entry_active(session, principal.viewer, code, body.active)
    return catalogue.entry_read(entry)


# The register


@router.get("/capabilities", response_model=HoldingList)
async def list_holdings(
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    owner: list[str] = Query([], max_length=20),
    capability: list[str] = Query([], max_length=20),
    limit: int = Limit,
    cursor: str | None = Cursor,
) -> HoldingList:
    query = repository.holdings_query(principal.viewer, owners=owner, codes=capability)
    rows, next_cursor = await keyset_page(
        session, query, CapabilityHolding.updated_at, CapabilityHolding.id, cursor, limit
    )
    return HoldingList(items=[holding_read(row) for row in rows], next_cursor=next_cursor)


@router.post("/capabilities", response_model=HoldingRead, status_code=201)
async def add_holding(
    body: HoldingCreate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> HoldingRead:
    return holding_read(await register.add_holding(session, principal.viewer, body))


@router.get("/capabilities/{holding_id}", response_model=HoldingRead)
async def get_holding(
    holding_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> HoldingRead:
    return holding_read(await register.get_holding(session, principal.viewer, holding_id))


@router.patch("/capabilities/{holding_id}", response_model=HoldingRead)
async def change_holding(
    holding_id: uuid.UUID,
    body: HoldingChange,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> HoldingRead:
    holding = await register.change_holding(session, principal.viewer, holding_id, body)
    return holding_read(holding)


@router.delete("/capabilities/{holding_id}", status_code=204)
async def remove_holding(
    holding_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> Response:
    await register.remove_holding(session, principal.viewer, holding_id)
    return Response(status_code=204)


# Requests


@router.get("/assistance-requests", response_model=RequestList)
async def list_requests(
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    crisis_id: list[uuid.UUID] = Query([], max_length=50),
    status: list[str] = Query([], max_length=5),
    owner: list[str] = Query([], max_length=20),
    limit: int = Limit,
    cursor: str | None = Cursor,
) -> RequestList:
    query = repository.requests_query(
        principal.viewer, crisis_ids=crisis_id, statuses=status, owners=owner, now=utcnow()
    )
    rows, next_cursor = await keyset_page(
        session, query, AssistanceRequest.posted_at, AssistanceRequest.id, cursor, limit
    )
    return RequestList(items=await service.read_requests(session, rows), next_cursor=next_cursor)


@router.post("/assistance-requests", response_model=RequestRead, status_code=201)
async def post_request(
    body: RequestCreate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> RequestRead:
    request, _lines = await service.post_request(session, principal.viewer, body)
    return (await service.read_requests(session, [request]))[0]


@router.get("/assistance-requests/{request_id}", response_model=RequestRead)
async def get_request(
    request_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> RequestRead:
    request = await service.get_request(session, principal.viewer, request_id)
    return (await service.read_requests(session, [request]))[0]


@router.patch("/assistance-requests/{request_id}", response_model=RequestRead)
async def change_request(
    request_id: uuid.UUID,
    body: RequestChange,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> RequestRead:
    request, _lines = await service.change_request(session, principal.viewer, request_id, body)
    return (await service.read_requests(session, [request]))[0]


@router.post("/assistance-requests/{request_id}/renew", response_model=RequestRead)
async def renew_request(
    request_id: uuid.UUID,
    body: Renewal,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> RequestRead:
    request, _lines = await service.renew_request(
        session, principal.viewer, request_id, body.version
    )
    return (await service.read_requests(session, [request]))[0]


@router.get("/assistance-requests/{request_id}/matches", response_model=MatchList)
async def request_matches(
    request_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> MatchList:
    return MatchList(items=await service.matches(session, principal.viewer, request_id))


@router.get("/assistance-requests/{request_id}/revisions", response_model=list[RevisionRead])
async def request_revisions(
    request_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    since: int = Query(0, ge=0),
) -> list[RevisionRead]:
    request = await service.get_request(session, principal.viewer, request_id)
    return [
        RevisionRead(revision=row.revision, at=row.at, actor=row.actor, changes=row.changes)
        for row in await service.changes_since(session, request, since)
    ]


@router.get("/assistance-requests/{request_id}/edxl", response_class=Response)
async def request_edxl(
    request_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> Response:
    document = await edxl.request_document(session, principal.viewer, request_id)
    return edxl_answer(document, f"request-{request_id}")


@router.get("/assistance/crises/{crisis_id}")
async def crisis_panel(
    crisis_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> dict[str, Any]:
    """The crisis's need lines with how far each is met, and its deployments (as seen)."""
    panel = await service.crisis_assistance(session, principal.viewer, crisis_id)
    return panel.as_dict()


# Offers


@router.get("/offers", response_model=OfferList)
async def list_offers(
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    request_id: list[uuid.UUID] = Query([], max_length=50),
    need_line_id: list[uuid.UUID] = Query([], max_length=50),
    owner: list[str] = Query([], max_length=20),
    status: list[str] = Query([], max_length=5),
    limit: int = Limit,
    cursor: str | None = Cursor,
) -> OfferList:
    query = repository.offers_query(
        principal.viewer,
        request_ids=request_id,
        need_line_ids=need_line_id,
        owners=owner,
        statuses=status,
    )
    rows, next_cursor = await keyset_page(session, query, Offer.offered_at, Offer.id, cursor, limit)
    deployed = await repository.deployment_of_offers(session, [row.id for row in rows])
    return OfferList(
        items=[offer_read(row, deployed.get(row.id)) for row in rows], next_cursor=next_cursor
    )


@router.post("/offers", response_model=OfferRead, status_code=201)
async def make_offer(
    body: OfferCreate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> OfferRead:
    return offer_read(await offers.make_offer(session, principal.viewer, body))


@router.get("/offers/{offer_id}", response_model=OfferRead)
async def get_offer(
    offer_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> OfferRead:
    offer = await offers.get_offer(session, principal.viewer, offer_id)
    deployed = await repository.deployment_of_offers(session, [offer.id])
    return offer_read(offer, deployed.get(offer.id))


@router.post("/offers/{offer_id}/response", response_model=OfferRead)
async def respond_to_offer(
    offer_id: uuid.UUID,
    body: OfferResponse,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> OfferRead:
    offer, deployment = await offers.respond_to_offer(session, principal.viewer, offer_id, body)
    return offer_read(offer, deployment.id if deployment else None)


@router.post("/offers/{offer_id}/withdraw", response_model=OfferRead)
async def withdraw_offer(
    offer_id: uuid.UUID,
    body: Renewal,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> OfferRead:
    offer = await offers.withdraw_offer(session, principal.viewer, offer_id, body.version)
    return offer_read(offer)


@router.get("/offers/{offer_id}/edxl", response_class=Response)
async def offer_edxl(
    offer_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> Response:
    document = await edxl.offer_document(session, principal.viewer, offer_id)
    return edxl_answer(document, f"offer-{offer_id}")


# Deployments


@router.get("/deployments", response_model=DeploymentList)
async def list_deployments(
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    crisis_id: list[uuid.UUID] = Query([], max_length=50),
    request_id: list[uuid.UUID] = Query([], max_length=50),
    owner: list[str] = Query([], max_length=20),
    status: list[str] = Query([], max_length=6),
    limit: int = Limit,
    cursor: str | None = Cursor,
) -> DeploymentList:
    query = repository.deployments_query(
        principal.viewer,
        crisis_ids=crisis_id,
        request_ids=request_id,
        owners=owner,
        statuses=status,
    )
    rows, next_cursor = await keyset_page(
        session, query, Deployment.updated_at, Deployment.id, cursor, limit
    )
    return DeploymentList(items=[deployment_read(row) for row in rows], next_cursor=next_cursor)


@router.get("/deployments/{deployment_id}", response_model=DeploymentRead)
async def get_deployment(
    deployment_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> DeploymentRead:
    deployment = await deployments.get_deployment(session, principal.viewer, deployment_id)
    return deployment_read(deployment)


@router.patch("/deployments/{deployment_id}", response_model=DeploymentRead)
async def change_deployment(
    deployment_id: uuid.UUID,
    body: DeploymentChange,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> DeploymentRead:
    deployment = await deployments.change_deployment(session, principal.viewer, deployment_id, body)
    return deployment_read(deployment)


@router.get("/deployments/{deployment_id}/edxl", response_class=Response)
async def deployment_edxl(
    deployment_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> Response:
    document = await edxl.deployment_document(session, principal.viewer, deployment_id)
    return edxl_answer(document, f"deployment-{deployment_id}")
