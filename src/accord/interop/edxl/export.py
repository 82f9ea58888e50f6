"""EDXL-RM export of what the caller may see: requests, offers and deployments."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer
from accord.assistance import repository
from accord.assistance.catalogue import capability_names
from accord.assistance.deployments import get_deployment
from accord.assistance.offers import get_offer
from accord.assistance.service import get_request
from accord.clock import utcnow
from accord.interop.edxl.render import Message, Place, ResourceItem, Schedule, render

# An offer still standing is a provisional response; the requester's decline and a withdrawal
# are declines; an accepted offer is exported as the commitment it became.
OFFER_RESPONSE = {
    "offered": "Provisional",
    "provisional": "Provisional",
    "declined": "Decline",
    "withdrawn": "Decline",
}


def _message_id(kind: str, ident: uuid.UUID, version: int) -> str:
    return f"urn:accord:{kind}:{ident}:{version}"


def _request_id(request) -> str:
    return _message_id("request", request.id, request.revision)


async def request_document(session: AsyncSession, viewer: Viewer, request_id: uuid.UUID) -> bytes:
    """RequestResource: one ResourceInformation per open need line."""
    request = await get_request(session, viewer, request_id)
    lines = (await repository.need_lines_of(session, [request.id])).get(request.id, [])
    names = await capability_names(session)
    items = [
        ResourceItem(
            element_id=str(line.id),
            capability=line.capability_code,
            name=names.get(line.capability_code, line.capability_code),
            quantity=line.quantity,
            schedules=[
                Schedule(
                    "RequestedArrival",
                    line.needed_by,
                    Place(line.place, line.longitude, line.latitude),
                )
            ],
        )
        for line in lines
        if line.status == "open"
    ]
    message = Message(
        kind="RequestResource",
        message_id=_request_id(request),
        sent=request.updated_at,
        description=request.title,
        contact=f"{request.owner}: {request.contact}",
        contact_role="Requester",
        items=items,
        incident_id=f"urn:accord:crisis:{request.crisis_id}",
        incident_description=request.description,
    )
    return render(message)


async def offer_document(session: AsyncSession, viewer: Viewer, offer_id: uuid.UUID) -> bytes:
    """ResponseToRequestResource for an offer and its answer; CommitResource once accepted."""
    offer = await get_offer(session, viewer, offer_id)
    request = await get_request(session, viewer, offer.request_id)
    line = await repository.get_need_line(session, offer.need_line_id)
    names = await capability_names(session)
    accepted = offer.status == "accepted"
    reason = offer.response_note or offer.conditions
    item = ResourceItem(
        element_id=str(offer.id),
        capability=offer.capability_code,
        name=names.get(offer.capability_code, offer.capability_code),
        quantity=offer.quantity,
        resource_id=str(offer.id),
        response_to=str(offer.need_line_id),
        response_type=None if accepted else OFFER_RESPONSE[offer.status],
        response_reason=reason,
        instructions=offer.conditions if accepted else "",
        schedules=[
            Schedule(
                "Committed" if accepted else "EstimatedArrival",
                offer.arrival_at,
                Place(line.place, line.longitude, line.latitude) if line else None,
            )
        ],
    )
    message = Message(
        kind="CommitResource" if accepted else "ResponseToRequestResource",
        message_id=_message_id("offer", offer.id, offer.version),
        sent=offer.responded_at or offer.offered_at,
        description=request.title,
        contact=offer.owner,
        contact_role="Responder",
        items=[item],
        originating_id=_message_id("request", request.id, 1),
        preceding_id=_message_id("request", request.id, offer.request_revision),
        incident_id=f"urn:accord:crisis:{request.crisis_id}",
    )
    return render(message)


async def deployment_document(
    session: AsyncSession, viewer: Viewer, deployment_id: uuid.UUID
) -> bytes:
    """ReportResourceDeploymentStatus: status, current position and estimated arrival."""
    deployment = await get_deployment(session, viewer, deployment_id)
    names = await capability_names(session)
    line = await repository.get_need_line(session, deployment.need_line_id)
    schedules = []
    if deployment.longitude is not None and deployment.latitude is not None:
        schedules.append(
            Schedule(
                "Current",
                deployment.updated_at,
                Place(deployment.owner, deployment.longitude, deployment.latitude),
            )
        )
    if deployment.estimated_arrival is not None:
        place = Place(line.place, line.longitude, line.latitude) if line else None
        schedules.append(Schedule("EstimatedArrival", deployment.estimated_arrival, place))
    item = ResourceItem(
        element_id=str(deployment.id),
        capability=deployment.capability_code,
        name=names.get(deployment.capability_code, deployment.capability_code),
        quantity=deployment.quantity,
        resource_id=str(deployment.id),
        deployment_status=deployment.status,
        schedules=schedules,
    )
    message = Message(
        kind="ReportResourceDeploymentStatus",
        message_id=_message_id("deployment", deployment.id, deployment.version),
        sent=deployment.updated_at or utcnow(),
        description=f"{deployment.owner}: {deployment.status}",
        contact=deployment.owner,
        contact_role="Sender",
        items=[item],
        originating_id=_message_id("request", deployment.request_id, 1),
        incident_id=f"urn:accord:crisis:{deployment.crisis_id}",
    )
    return render(message)
