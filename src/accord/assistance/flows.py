"""Telling people: who is notified when a request, an offer or a deployment changes.

Notifications go through ``accord.notifications``, which checks each recipient against the
record's markings, so nobody is told of a record they could not open.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer
from accord.i18n import N_
from accord.models.assistance_request import AssistanceRequest
from accord.models.offer import Offer

log = logging.getLogger(__name__)
DUTY_OFFICERS = ["duty_officer"]


async def _notify(session: AsyncSession, record: Any, **values: Any) -> int:
    try:
        from accord.notifications.service import notify_viewers
    except ImportError:  # notifications not installed: the live stream still carries the event
        return 0
    return await notify_viewers(session, record, **values)


def request_link(request: AssistanceRequest) -> str:
    return f"/assistance/requests/{request.id}"


async def request_posted(session: AsyncSession, viewer: Viewer, request: AssistanceRequest) -> int:
    """Every duty officer who may see the new request is told at once."""
    return await _notify(
        session,
        request,
        kind="assistance.requested",
        message=N_("{state} asks for assistance: {title}"),
        params={"state": request.owner, "title": request.title},
        link=request_link(request),
        roles=DUTY_OFFICERS,
        exclude_users=[viewer.user_id] if viewer.user_id else [],
    )


async def request_changed(session: AsyncSession, viewer: Viewer, request: AssistanceRequest) -> int:
    """States that offered against the request are told it changed."""
    query = select(Offer.owner).where(Offer.request_id == request.id).distinct()
    states = [state for state in (await session.execute(query)).scalars() if state != request.owner]
    if not states:
        return 0
    return await _notify(
        session,
        request,
        kind="assistance.request_changed",
        message=N_("The request you offered against changed: {title} (revision {revision})"),
        params={"title": request.title, "revision": request.revision},
        link=request_link(request),
        roles=DUTY_OFFICERS,
        states=states,
    )


async def offer_made(
    session: AsyncSession, viewer: Viewer, request: AssistanceRequest, offer: Offer
) -> int:
    """The requesting state's duty officers are told of a new offer."""
    return await _notify(
        session,
        offer,
        kind="assistance.offered",
        message=N_("{state} offers {quantity} × {capability} for: {title}"),
        params={
            "state": offer.owner,
            "quantity": offer.quantity,
            "capability": offer.capability_code,
            "title": request.title,
        },
        link=request_link(request),
        roles=DUTY_OFFICERS,
        states=[request.owner],
    )


async def offer_answered(
    session: AsyncSession, viewer: Viewer, request: AssistanceRequest, offer: Offer
) -> int:
    """The offering state's duty officers are told of the answer."""
    return await _notify(
        session,
        offer,
        kind="assistance.offer_answered",
        message=N_("Your offer for {title} was answered: {response}"),
        params={"title": request.title, "response": offer.status},
        link=request_link(request),
        roles=DUTY_OFFICERS,
        states=[offer.owner],
    )


async def request_lapsed(session: AsyncSession, request: AssistanceRequest) -> int:
    """The requesting state's duty officers are told their request lapsed."""
    return await _notify(
        session,
        request,
        kind="assistance.request_lapsed",
        message=N_("Your request lapsed; renew it to receive offers again: {title}"),
        params={"title": request.title},
        link=request_link(request),
        roles=DUTY_OFFICERS,
        states=[request.owner],
    )
