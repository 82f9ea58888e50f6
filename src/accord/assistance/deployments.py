"""Deployments: the providing state moves its team through the workflow and reports position."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer, can_change
from accord.assistance import repository
from accord.assistance.schemas import DeploymentChange
from accord.assistance.workflows import DEPLOYMENT, DUTY
from accord.clock import utcnow
from accord.errors import Conflict, Forbidden, NotFound
from accord.events.service import markings_of, note_secret_read, record_event
from accord.i18n import _
from accord.models.deployment import Deployment
from accord.models.deployment_update import DeploymentUpdate


async def get_deployment(
    session: AsyncSession, viewer: Viewer, deployment_id: uuid.UUID
) -> Deployment:
    """One deployment the viewer may see; 404 whether it is absent or hidden."""
    deployment = await repository.get_deployment_visible(session, viewer, deployment_id)
    if deployment is None:
        raise NotFound(_("no deployment {id}").format(id=deployment_id))
    note_secret_read(session, viewer, deployment, "deployment")
    return deployment


async def change_deployment(
    session: AsyncSession, viewer: Viewer, deployment_id: uuid.UUID, change: DeploymentChange
) -> Deployment:
    """Record a status move, a position or an estimated arrival; each one an update and event."""
    deployment = await get_deployment(session, viewer, deployment_id)
    if not can_change(viewer, deployment, DUTY):
        raise Forbidden(_("only the providing state's duty officers update a deployment"))
    if deployment.version != change.version:
        raise Conflict(
            _(
                "someone changed this deployment meanwhile (you edited version {yours}, it is "
                "now version {current}): reload it and apply your change again"
            ).format(yours=change.version, current=deployment.version),
            field="version",
        )
    before = deployment.status
    changes: dict[str, list] = {}
    if change.status is not None and change.status != deployment.status:
        DEPLOYMENT.check(deployment.status, change.status, viewer.roles)
        changes["status"] = [deployment.status, change.status]
        deployment.status = change.status
    if change.position is not None:
        position = [change.position.longitude, change.position.latitude]
        if position != [deployment.longitude, deployment.latitude]:
            changes["position"] = [[deployment.longitude, deployment.latitude], position]
            deployment.longitude, deployment.latitude = position
    if change.estimated_arrival is not None and change.estimated_arrival != (
        deployment.estimated_arrival
    ):
        old = deployment.estimated_arrival
        changes["estimated_arrival"] = [
            old.isoformat() if old else None,
            change.estimated_arrival.isoformat(),
        ]
        deployment.estimated_arrival = change.estimated_arrival
    if not changes and not change.note:
        return deployment
    now = utcnow()
    deployment.updated_by = viewer.username
    deployment.updated_at = now
    await session.flush()
    session.add(
        DeploymentUpdate(
            deployment_id=deployment.id,
            at=now,
            actor=viewer.username,
            from_status=before,
            to_status=deployment.status,
            longitude=deployment.longitude,
            latitude=deployment.latitude,
            note=change.note,
        )
    )
    kind = "deployment.status_changed" if "status" in changes else "deployment.updated"
    record_event(
        session,
        actor=viewer.username,
        kind=kind,
        subject=deployment.id,
        payload={
            "changes": changes,
            "status": deployment.status,
            "longitude": deployment.longitude,
            "latitude": deployment.latitude,
            "crisis_id": str(deployment.crisis_id),
            "request_id": str(deployment.request_id),
            "note": change.note,
            "version": deployment.version,
        },
        **markings_of(deployment),
    )
    return deployment


async def deployment_history(
    session: AsyncSession, deployment: Deployment
) -> list[DeploymentUpdate]:
    query = (
        select(DeploymentUpdate)
        .where(DeploymentUpdate.deployment_id == deployment.id)
        .order_by(DeploymentUpdate.at, DeploymentUpdate.id)
    )
    return list((await session.execute(query)).scalars())
