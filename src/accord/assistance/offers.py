"""Offers against need lines, the requester's answers, and deployments born of acceptance."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Classification, Viewer, can_change, highest
from accord.assistance import flows, repository
from accord.assistance.markings import (
    checked_level,
    deployment_audience,
    offer_audience,
)
from accord.assistance.reads import deployment_read, is_lapsed, offer_read
from accord.assistance.schemas import OfferCreate, OfferResponse
from accord.assistance.service import get_request
from accord.assistance.workflows import DUTY, OFFER
from accord.clock import utcnow
from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.events.service import markings_of, note_secret_read, record_event
from accord.i18n import _
from accord.models.assistance_request import AssistanceRequest
from accord.models.deployment import Deployment
from accord.models.deployment_update import DeploymentUpdate
from accord.models.offer import Offer


async def get_offer(session: AsyncSession, viewer: Viewer, offer_id: uuid.UUID) -> Offer:
    """One offer the viewer may see; 404 whether it is absent or hidden."""
    offer = await repository.get_offer_visible(session, viewer, offer_id)
    if offer is None:
        raise NotFound(_("no offer {id}").format(id=offer_id))
    note_secret_read(session, viewer, offer, "offer")
    return offer


def _require_standing(request: AssistanceRequest) -> None:
    if request.status != "open":
        raise Conflict(
            _("the request is {status}: it takes no offers and no answers").format(
                status=request.status
            ),
            field="need_line_id",
        )
    if is_lapsed(request):
        raise Conflict(
            _("the request lapsed on {date}: it takes no offers until it is renewed").format(
                date=request.expires_at.date().isoformat()
            ),
            field="need_line_id",
        )


async def make_offer(session: AsyncSession, viewer: Viewer, data: OfferCreate) -> Offer:
    """A state offers against one need line of a request it may see."""
    if not viewer.has_role(*DUTY):
        raise Forbidden(_("offers are made by duty officers"))
    line = await repository.get_need_line(session, data.need_line_id)
    request = None
    if line is not None:
        request = await repository.get_request_visible(session, viewer, line.request_id)
    if line is None or request is None:
        raise InvalidInput(
            _("need_line_id: no need line {id} that you can see").format(id=data.need_line_id),
            field="need_line_id",
        )
    if request.owner == viewer.state:
        raise Forbidden(_("a state does not offer against its own request"))
    _require_standing(request)
    if line.status != "open":
        raise Conflict(_("that need line was cancelled"), field="need_line_id")
    if data.quantity > line.quantity:
        raise InvalidInput(
            _("quantity: the need line asks for {needed}; offer at most that").format(
                needed=line.quantity
            ),
            field="quantity",
        )
    if data.arrival_at < utcnow():
        raise InvalidInput(_("arrival_at: the time lies in the past"), field="arrival_at")
    level = highest([request.classification, data.classification or Classification.PUBLIC])
    now = utcnow()
    offer = Offer(
        id=uuid.uuid4(),
        request_id=request.id,
        need_line_id=line.id,
        capability_code=line.capability_code,
        quantity=data.quantity,
        arrival_at=data.arrival_at,
        conditions=data.conditions,
        status="offered",
        request_revision=request.revision,
        response_note="",
        owner=viewer.state,
        classification=checked_level(viewer, level),
        releasable_to=offer_audience(request),
        offered_by=viewer.username,
        offered_at=now,
        updated_at=now,
    )
    session.add(offer)
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind="assistance.offered",
        subject=offer.id,
        payload=offer_read(offer),
        **markings_of(offer),
    )
    await flows.offer_made(session, viewer, request, offer)
    return offer


async def respond_to_offer(
    session: AsyncSession, viewer: Viewer, offer_id: uuid.UUID, answer: OfferResponse
) -> tuple[Offer, Deployment | None]:
    """The requester accepts, declines or provisionally accepts an offer.

    Acceptances of one need line are serialised by a lock on the line, so that two answers at
    the same moment cannot together accept more than the line asks for.
    """
    offer = await get_offer(session, viewer, offer_id)
    request = await get_request(session, viewer, offer.request_id)
    if not can_change(viewer, request, DUTY):
        raise Forbidden(_("only the requesting state's duty officers answer offers"))
    _require_standing(request)
    line = await repository.lock_need_line(session, offer.need_line_id)
    if line is None or (line.status != "open" and answer.response != "declined"):
        raise Conflict(_("that need line was cancelled"), field="response")
    # The offer as it stands now that the line is ours: another answer may have come first.
    await session.refresh(offer)
    if offer.status == answer.response:
        raise Conflict(
            _("the offer is already {status}").format(status=offer.status), field="response"
        )
    OFFER.check(offer.status, answer.response, viewer.roles)
    deployment = None
    if answer.response == "accepted":
        accepted = await repository.accepted_quantity(session, offer.need_line_id)
        if accepted + offer.quantity > line.quantity:
            raise Conflict(
                _(
                    "accepting {quantity} would exceed the need line: {accepted} of {needed} "
                    "are already accepted"
                ).format(quantity=offer.quantity, accepted=accepted, needed=line.quantity),
                field="response",
            )
    now = utcnow()
    before = offer.status
    offer.status = answer.response
    offer.response_note = answer.note
    offer.responded_by = viewer.username
    offer.responded_at = now
    offer.updated_at = now
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind=f"assistance.offer_{answer.response}",
        subject=offer.id,
        payload={"from": before, "to": offer.status, "note": answer.note, "version": offer.version},
        **markings_of(offer),
    )
    if answer.response == "accepted":
        deployment = await _deploy(session, viewer, request, offer)
    await flows.offer_answered(session, viewer, request, offer)
    return offer, deployment


async def _deploy(
    session: AsyncSession, viewer: Viewer, request: AssistanceRequest, offer: Offer
) -> Deployment:
    """An accepted offer becomes a deployment, status accepted, owned by the offering state."""
    level, audience = deployment_audience(request, offer)
    now = utcnow()
    deployment = Deployment(
        id=uuid.uuid4(),
        offer_id=offer.id,
        request_id=request.id,
        need_line_id=offer.need_line_id,
        crisis_id=request.crisis_id,
        capability_code=offer.capability_code,
        quantity=offer.quantity,
        status="accepted",
        longitude=None,
        latitude=None,
        estimated_arrival=offer.arrival_at,
        owner=offer.owner,
        classification=level,
        releasable_to=audience,
        updated_by=viewer.username,
        updated_at=now,
    )
    session.add(deployment)
    await session.flush()
    session.add(
        DeploymentUpdate(
            deployment_id=deployment.id,
            at=now,
            actor=viewer.username,
            from_status="offered",
            to_status="accepted",
            note="",
        )
    )
    record_event(
        session,
        actor=viewer.username,
        kind="deployment.status_changed",
        subject=deployment.id,
        payload=deployment_read(deployment),
        **markings_of(deployment),
    )
    return deployment


async def withdraw_offer(
    session: AsyncSession, viewer: Viewer, offer_id: uuid.UUID, version: int
) -> Offer:
    """The offering state takes back an offer not yet accepted."""
    offer = await get_offer(session, viewer, offer_id)
    if not can_change(viewer, offer, DUTY):
        raise Forbidden(_("only the offering state's duty officers withdraw an offer"))
    if offer.version != version:
        raise Conflict(_("someone changed this offer meanwhile: reload it"), field="version")
    OFFER.check(offer.status, "withdrawn", viewer.roles)
    before = offer.status
    offer.status = "withdrawn"
    offer.updated_at = utcnow()
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind="assistance.offer_withdrawn",
        subject=offer.id,
        payload={"from": before, "to": offer.status, "version": offer.version},
        **markings_of(offer),
    )
    return offer
