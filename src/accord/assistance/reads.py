"""Records of the assistance domain as the API gives them."""

from __future__ import annotations

import uuid
from datetime import datetime

from accord.access import Classification
from accord.assistance.schemas import (
    DeploymentRead,
    HoldingRead,
    NeedLineRead,
    OfferRead,
    RequestRead,
)
from accord.clock import utcnow
from accord.models.assistance_request import AssistanceRequest
from accord.models.capability_holding import CapabilityHolding
from accord.models.deployment import Deployment
from accord.models.need_line import NeedLine
from accord.models.offer import Offer


def level(value) -> str:
    return Classification.parse(value).name


def is_lapsed(request: AssistanceRequest, now: datetime | None = None) -> bool:
    """An open request past its expiry has lapsed until it is renewed."""
    return request.status == "open" and request.expires_at <= (now or utcnow())


def shown_status(request: AssistanceRequest) -> str:
    return "lapsed" if is_lapsed(request) else request.status


def need_line_read(line: NeedLine, names: dict[str, str]) -> NeedLineRead:
    return NeedLineRead(
        id=line.id,
        position=line.position,
        capability=line.capability_code,
        capability_name=names.get(line.capability_code, line.capability_code),
        quantity=line.quantity,
        place=line.place,
        longitude=line.longitude,
        latitude=line.latitude,
        needed_by=line.needed_by,
        status=line.status,
    )


def request_read(
    request: AssistanceRequest, lines: list[NeedLine], names: dict[str, str]
) -> RequestRead:
    return RequestRead(
        id=request.id,
        crisis_id=request.crisis_id,
        title=request.title,
        description=request.description,
        contact=request.contact,
        status=request.status,
        lapsed=is_lapsed(request),
        revision=request.revision,
        expires_at=request.expires_at,
        need_lines=[need_line_read(line, names) for line in lines],
        owner=request.owner,
        classification=level(request.classification),
        releasable_to=request.releasable_to,
        posted_by=request.posted_by,
        posted_at=request.posted_at,
        updated_at=request.updated_at,
        version=request.version,
    )


def offer_read(offer: Offer, deployment_id: uuid.UUID | None = None) -> OfferRead:
    return OfferRead(
        id=offer.id,
        request_id=offer.request_id,
        need_line_id=offer.need_line_id,
        capability=offer.capability_code,
        quantity=offer.quantity,
        arrival_at=offer.arrival_at,
        conditions=offer.conditions,
        status=offer.status,
        request_revision=offer.request_revision,
        response_note=offer.response_note,
        responded_by=offer.responded_by,
        responded_at=offer.responded_at,
        deployment_id=deployment_id,
        owner=offer.owner,
        classification=level(offer.classification),
        releasable_to=offer.releasable_to,
        offered_by=offer.offered_by,
        offered_at=offer.offered_at,
        version=offer.version,
    )


def deployment_read(deployment: Deployment) -> DeploymentRead:
    return DeploymentRead(
        id=deployment.id,
        offer_id=deployment.offer_id,
        request_id=deployment.request_id,
        need_line_id=deployment.need_line_id,
        crisis_id=deployment.crisis_id,
        capability=deployment.capability_code,
        quantity=deployment.quantity,
        status=deployment.status,
        longitude=deployment.longitude,
        latitude=deployment.latitude,
        estimated_arrival=deployment.estimated_arrival,
        owner=deployment.owner,
        classification=level(deployment.classification),
        releasable_to=deployment.releasable_to,
        updated_by=deployment.updated_by,
        updated_at=deployment.updated_at,
        version=deployment.version,
    )


def holding_read(holding: CapabilityHolding) -> HoldingRead:
    return HoldingRead(
        id=holding.id,
        capability=holding.capability_code,
        quantity=holding.quantity,
        readiness_hours=holding.readiness_hours,
        home_base=holding.home_base,
        longitude=holding.longitude,
        latitude=holding.latitude,
        notes=holding.notes,
        owner=holding.owner,
        classification=level(holding.classification),
        releasable_to=holding.releasable_to,
        updated_by=holding.updated_by,
        updated_at=holding.updated_at,
        version=holding.version,
    )
