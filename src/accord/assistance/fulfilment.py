"""How far needs are met: need lines with requested/offered/accepted/deployed, and deployments.

Counts go as far as the viewer may see: offers by the access filter, deployments likewise.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Classification, Viewer, highest
from accord.assistance import repository
from accord.assistance.catalogue import capability_names
from accord.assistance.reads import is_lapsed
from accord.assistance.workflows import STANDING_OFFERS
from accord.models.assistance_request import AssistanceRequest
from accord.models.deployment import Deployment
from accord.models.need_line import NeedLine


@dataclass
class NeedFulfilment:
    """One need line and how far it is met, as the viewer may see."""

    id: uuid.UUID
    request_id: uuid.UUID
    request_title: str
    request_owner: str
    request_status: str
    capability: str
    capability_name: str
    place: str
    longitude: float | None
    latitude: float | None
    needed_by: datetime
    requested: int
    offered: int
    accepted: int
    deployed: int

    @property
    def gap(self) -> int:
        return max(0, self.requested - self.accepted)

    def as_dict(self) -> dict[str, Any]:
        return {
            **{name: getattr(self, name) for name in self.__dataclass_fields__},
            "gap": self.gap,
        }


@dataclass
class DeploymentView:
    id: uuid.UUID
    offer_id: uuid.UUID
    request_id: uuid.UUID
    need_line_id: uuid.UUID
    capability: str
    capability_name: str
    quantity: int
    status: str
    longitude: float | None
    latitude: float | None
    eta: datetime | None
    owner: str
    classification: Classification

    def as_dict(self) -> dict[str, Any]:
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        values["classification"] = self.classification.name
        return values


@dataclass
class CrisisAssistance:
    """The assistance panel of a crisis: need lines with fulfilment, and deployments."""

    need_lines: list[NeedFulfilment] = field(default_factory=list)
    deployments: list[DeploymentView] = field(default_factory=list)
    classifications: list[Classification] = field(default_factory=list)
    crisis_id: uuid.UUID | None = None

    @property
    def classification(self) -> Classification:
        return highest(self.classifications)

    def as_dict(self) -> dict[str, Any]:
        return {
            "need_lines": [line.as_dict() for line in self.need_lines],
            "deployments": [deployment.as_dict() for deployment in self.deployments],
            "classification": self.classification.name,
        }


async def fulfilment(
    session: AsyncSession,
    viewer: Viewer,
    pairs: list[tuple[NeedLine, AssistanceRequest]],
    deployed: dict[uuid.UUID, tuple[int, int]] | None = None,
) -> list[NeedFulfilment]:
    """How far each need line is met, counting only offers and deployments the viewer may see.

    ``deployed`` (units accepted and deployed per line) saves a query when the caller has the
    deployments already.
    """
    request_ids = {request.id for _line, request in pairs}
    offered = await repository.offered_per_line(session, viewer, request_ids)
    if deployed is None:
        deployed = await repository.deployments_per_line(session, viewer, request_ids)
    names = await capability_names(session)
    return [
        NeedFulfilment(
            id=line.id,
            request_id=request.id,
            request_title=request.title,
            request_owner=request.owner,
            request_status="lapsed" if is_lapsed(request) else request.status,
            capability=line.capability_code,
            capability_name=names.get(line.capability_code, line.capability_code),
            place=line.place,
            longitude=line.longitude,
            latitude=line.latitude,
            needed_by=line.needed_by,
            requested=line.quantity,
            offered=offered.get(line.id, 0),
            accepted=deployed.get(line.id, (0, 0))[0],
            deployed=deployed.get(line.id, (0, 0))[1],
        )
        for line, request in pairs
    ]


def deployment_view(deployment: Deployment, names: dict[str, str]) -> DeploymentView:
    return DeploymentView(
        id=deployment.id,
        offer_id=deployment.offer_id,
        request_id=deployment.request_id,
        need_line_id=deployment.need_line_id,
        capability=deployment.capability_code,
        capability_name=names.get(deployment.capability_code, deployment.capability_code),
        quantity=deployment.quantity,
        status=deployment.status,
        longitude=deployment.longitude,
        latitude=deployment.latitude,
        eta=deployment.estimated_arrival,
        owner=deployment.owner,
        classification=Classification.parse(deployment.classification),
    )


async def crisis_assistance(
    session: AsyncSession, viewer: Viewer, crisis_id: uuid.UUID
) -> CrisisAssistance:
    """The need lines of a crisis with requested/offered/accepted/deployed and the gap, and its
    deployments, all as far as ``viewer`` may see (the crisis page and situation reports)."""
    pairs = await repository.crisis_need_lines(session, viewer, crisis_id)
    rows = await repository.crisis_deployments(session, viewer, crisis_id)
    per_line: dict[uuid.UUID, tuple[int, int]] = {}
    for row in rows:
        accepted, done = per_line.get(row.need_line_id, (0, 0))
        done += row.quantity if row.status == "deployed" else 0
        per_line[row.need_line_id] = (accepted + row.quantity, done)
    lines = await fulfilment(session, viewer, pairs, per_line)
    names = await capability_names(session)
    deployments = [deployment_view(row, names) for row in rows]
    levels = {Classification.parse(request.classification) for _line, request in pairs}
    levels |= {deployment.classification for deployment in deployments}
    return CrisisAssistance(lines, deployments, sorted(levels), crisis_id)


async def crisis_assistance_records(
    session: AsyncSession, viewer: Viewer, crisis_id: uuid.UUID
) -> list[Any]:
    """The requests, standing offers and deployments :func:`crisis_assistance` counts, as
    records, for a report that must carry the markings of everything it draws on."""
    pairs = await repository.crisis_need_lines(session, viewer, crisis_id)
    requests = {request.id: request for _line, request in pairs}
    offers: list[Any] = []
    if requests:
        query = repository.offers_query(
            viewer, request_ids=list(requests), statuses=STANDING_OFFERS
        )
        offers = list((await session.execute(query)).scalars())
    deployments = await repository.crisis_deployments(session, viewer, crisis_id)
    return [*requests.values(), *offers, *deployments]
