"""All SQL of the assistance domain; every read a user asks for goes through the access filter."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Select, and_, case, func, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer, visible
from accord.assistance.workflows import STANDING_OFFERS
from accord.models.assistance_request import AssistanceRequest
from accord.models.capability_holding import CapabilityHolding
from accord.models.deployment import Deployment
from accord.models.need_line import NeedLine
from accord.models.offer import Offer
from accord.models.request_revision import RequestRevision

# The register


def holdings_query(viewer: Viewer, owners: Iterable[str] = (), codes: Iterable[str] = ()) -> Select:
    query = select(CapabilityHolding).where(visible(viewer, CapabilityHolding))
    if owners := list(owners):
        query = query.where(CapabilityHolding.owner.in_(owners))
    if codes := list(codes):
        query = query.where(CapabilityHolding.capability_code.in_(codes))
    return query


async def get_holding_visible(
    session: AsyncSession, viewer: Viewer, holding_id: uuid.UUID
) -> CapabilityHolding | None:
    query = holdings_query(viewer).where(CapabilityHolding.id == holding_id)
    return (await session.execute(query)).scalar_one_or_none()


async def matching_holdings(
    session: AsyncSession, viewer: Viewer, codes: Iterable[str]
) -> list[CapabilityHolding]:
    """The viewer's own state's holdings of these capabilities."""
    codes = list(codes)
    if not codes:
        return []
    query = holdings_query(viewer, owners=[viewer.state], codes=codes)
    query = query.order_by(CapabilityHolding.readiness_hours, CapabilityHolding.id)
    return list((await session.execute(query)).scalars())


# Requests


def requests_query(
    viewer: Viewer,
    *,
    crisis_ids: Iterable[uuid.UUID] = (),
    statuses: Iterable[str] = (),
    owners: Iterable[str] = (),
    now: datetime | None = None,
) -> Select:
    query = select(AssistanceRequest).where(visible(viewer, AssistanceRequest))
    if crisis_ids := list(crisis_ids):
        query = query.where(AssistanceRequest.crisis_id.in_(crisis_ids))
    if statuses := list(statuses):
        query = query.where(_status_condition(statuses, now))
    if owners := list(owners):
        query = query.where(AssistanceRequest.owner.in_(owners))
    return query


def _status_condition(statuses: list[str], now: datetime | None):
    # "open" means open and not lapsed; "lapsed" is an open request past its expiry.
    conditions = []
    stored = [status for status in statuses if status not in ("open", "lapsed")]
    if stored:
        conditions.append(AssistanceRequest.status.in_(stored))
    if "open" in statuses:
        condition = AssistanceRequest.status == "open"
        if now is not None:
            condition = and_(condition, AssistanceRequest.expires_at > now)
        conditions.append(condition)
    if "lapsed" in statuses and now is not None:
        conditions.append(
            and_(AssistanceRequest.status == "open", AssistanceRequest.expires_at <= now)
        )
    return or_(*conditions) if conditions else AssistanceRequest.status.is_(None)


async def get_request_visible(
    session: AsyncSession, viewer: Viewer, request_id: uuid.UUID
) -> AssistanceRequest | None:
    query = requests_query(viewer).where(AssistanceRequest.id == request_id)
    return (await session.execute(query)).scalar_one_or_none()


async def need_lines_of(
    session: AsyncSession, request_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[NeedLine]]:
    """The need lines of these requests, in their order (cancelled ones included)."""
    ids = list(request_ids)
    lines: dict[uuid.UUID, list[NeedLine]] = defaultdict(list)
    if not ids:
        return lines
    query = (
        select(NeedLine)
        .where(NeedLine.request_id.in_(ids))
        .order_by(NeedLine.request_id, NeedLine.position)
    )
    for line in (await session.execute(query)).scalars():
        lines[line.request_id].append(line)
    return lines


async def lock_need_line(session: AsyncSession, line_id: uuid.UUID) -> NeedLine | None:
    """The need line, locked until the transaction ends (PostgreSQL), so answers serialise."""
    query = select(NeedLine).where(NeedLine.id == line_id).with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def get_need_line(session: AsyncSession, line_id: uuid.UUID) -> NeedLine | None:
    return await session.get(NeedLine, line_id)


async def accepted_quantity(session: AsyncSession, line_id: uuid.UUID) -> int:
    """Every accepted unit on the line, seen or not: the rule counts them all."""
    query = select(func.coalesce(func.sum(Offer.quantity), 0)).where(
        Offer.need_line_id == line_id, Offer.status == "accepted"
    )
    return int((await session.execute(query)).scalar_one())


async def revisions_after(
    session: AsyncSession, request_id: uuid.UUID, revision: int
) -> list[RequestRevision]:
    query = (
        select(RequestRevision)
        .where(RequestRevision.request_id == request_id, RequestRevision.revision > revision)
        .order_by(RequestRevision.revision)
    )
    return list((await session.execute(query)).scalars())


# Offers and deployments


def offers_query(
    viewer: Viewer,
    *,
    request_ids: Iterable[uuid.UUID] = (),
    need_line_ids: Iterable[uuid.UUID] = (),
    owners: Iterable[str] = (),
    statuses: Iterable[str] = (),
) -> Select:
    query = select(Offer).where(visible(viewer, Offer))
    for column, values in (
        (Offer.request_id, request_ids),
        (Offer.need_line_id, need_line_ids),
        (Offer.owner, owners),
        (Offer.status, statuses),
    ):
        if values := list(values):
            query = query.where(column.in_(values))
    return query


async def get_offer_visible(
    session: AsyncSession, viewer: Viewer, offer_id: uuid.UUID
) -> Offer | None:
    query = offers_query(viewer).where(Offer.id == offer_id)
    return (await session.execute(query)).scalar_one_or_none()


def deployments_query(
    viewer: Viewer,
    *,
    crisis_ids: Iterable[uuid.UUID] = (),
    request_ids: Iterable[uuid.UUID] = (),
    owners: Iterable[str] = (),
    statuses: Iterable[str] = (),
) -> Select:
    query = select(Deployment).where(visible(viewer, Deployment))
    for column, values in (
        (Deployment.crisis_id, crisis_ids),
        (Deployment.request_id, request_ids),
        (Deployment.owner, owners),
        (Deployment.status, statuses),
    ):
        if values := list(values):
            query = query.where(column.in_(values))
    return query


async def get_deployment_visible(
    session: AsyncSession, viewer: Viewer, deployment_id: uuid.UUID
) -> Deployment | None:
    query = deployments_query(viewer).where(Deployment.id == deployment_id)
    return (await session.execute(query)).scalar_one_or_none()


async def deployment_of_offers(
    session: AsyncSession, offer_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    ids = list(offer_ids)
    if not ids:
        return {}
    query = select(Deployment.offer_id, Deployment.id).where(Deployment.offer_id.in_(ids))
    return {offer_id: ident for offer_id, ident in (await session.execute(query)).all()}


async def offered_per_line(
    session: AsyncSession, viewer: Viewer, request_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """Units offered and still standing per need line, over the offers the viewer may see.

    An accepted offer the viewer may not see still counts: its deployment, which the viewer
    does see, already tells that it was made (so "offered" is never below "accepted").
    """
    ids = list(request_ids)
    if not ids:
        return {}
    query = (
        select(Offer.need_line_id, func.sum(Offer.quantity))
        .where(
            visible(viewer, Offer),
            Offer.request_id.in_(ids),
            Offer.status.in_(STANDING_OFFERS),
        )
        .group_by(Offer.need_line_id)
    )
    totals = {line: int(total) for line, total in (await session.execute(query)).all()}
    known_by_deployment = (
        select(Deployment.need_line_id, func.sum(Deployment.quantity))
        .join(Offer, Offer.id == Deployment.offer_id)
        .where(
            visible(viewer, Deployment),
            not_(visible(viewer, Offer)),
            Deployment.request_id.in_(ids),
        )
        .group_by(Deployment.need_line_id)
    )
    for line, total in (await session.execute(known_by_deployment)).all():
        totals[line] = totals.get(line, 0) + int(total)
    return totals


async def deployments_per_line(
    session: AsyncSession, viewer: Viewer, request_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, tuple[int, int]]:
    """Per need line: units accepted (every deployment) and units deployed, as far as seen."""
    ids = list(request_ids)
    if not ids:
        return {}
    deployed = func.sum(func.coalesce(_deployed_case(), 0))
    query = (
        select(Deployment.need_line_id, func.sum(Deployment.quantity), deployed)
        .where(visible(viewer, Deployment), Deployment.request_id.in_(ids))
        .group_by(Deployment.need_line_id)
    )
    return {
        line: (int(accepted), int(done or 0))
        for line, accepted, done in (await session.execute(query)).all()
    }


def _deployed_case():
    return case((Deployment.status == "deployed", Deployment.quantity), else_=0)


async def crisis_need_lines(
    session: AsyncSession, viewer: Viewer, crisis_id: uuid.UUID
) -> list[tuple[NeedLine, AssistanceRequest]]:
    """Open need lines of the crisis's visible, still standing requests, in one query."""
    query = (
        select(NeedLine, AssistanceRequest)
        .join(AssistanceRequest, AssistanceRequest.id == NeedLine.request_id)
        .where(
            AssistanceRequest.crisis_id == crisis_id,
            AssistanceRequest.status.in_(("open", "closed")),
            visible(viewer, AssistanceRequest),
            NeedLine.status == "open",
        )
        .order_by(AssistanceRequest.posted_at, NeedLine.position)
    )
    return [(line, request) for line, request in (await session.execute(query)).all()]


async def crisis_deployments(
    session: AsyncSession, viewer: Viewer, crisis_id: uuid.UUID, *, limit: int = 5000
) -> list[Deployment]:
    """Every deployment of the crisis the viewer may see, newest change first (capped)."""
    query = (
        deployments_query(viewer, crisis_ids=[crisis_id])
        .order_by(Deployment.updated_at.desc(), Deployment.id)
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())
