"""A state's capability register: what it holds ready, kept by its duty officers."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer, can_change
from accord.assistance import repository
from accord.assistance.catalogue import active_capability
from accord.assistance.markings import (
    checked_level,
    checked_releasability,
    default_markings,
)
from accord.assistance.reads import holding_read, level
from accord.assistance.schemas import HoldingChange, HoldingCreate
from accord.assistance.workflows import DUTY
from accord.clock import utcnow
from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.events.service import markings_of, record_event
from accord.i18n import _
from accord.models.capability_holding import CapabilityHolding


def _require_duty_officer(viewer: Viewer) -> None:
    if not viewer.has_role(*DUTY):
        raise Forbidden(_("a state's register is kept by its duty officers"))


def _check_position(longitude: float | None, latitude: float | None) -> None:
    if (longitude is None) != (latitude is None):
        raise InvalidInput(
            _("longitude: give both longitude and latitude, or neither"), field="longitude"
        )


async def get_holding(
    session: AsyncSession, viewer: Viewer, holding_id: uuid.UUID
) -> CapabilityHolding:
    holding = await repository.get_holding_visible(session, viewer, holding_id)
    if holding is None:
        raise NotFound(_("no register entry {id}").format(id=holding_id))
    return holding


async def add_holding(
    session: AsyncSession, viewer: Viewer, data: HoldingCreate
) -> CapabilityHolding:
    """A new entry of the viewer's state's register."""
    _require_duty_officer(viewer)
    await active_capability(session, data.capability, field="capability")
    _check_position(data.longitude, data.latitude)
    classification, releasable = await default_markings(
        session, viewer, data.classification, data.releasable_to
    )
    holding = CapabilityHolding(
        id=uuid.uuid4(),
        capability_code=data.capability,
        quantity=data.quantity,
        readiness_hours=data.readiness_hours,
        home_base=data.home_base,
        longitude=data.longitude,
        latitude=data.latitude,
        notes=data.notes,
        owner=viewer.state,
        classification=classification,
        releasable_to=releasable,
        updated_by=viewer.username,
        updated_at=utcnow(),
    )
    session.add(holding)
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind="capability.registered",
        subject=holding.id,
        payload=holding_read(holding),
        **markings_of(holding),
    )
    return holding


async def change_holding(
    session: AsyncSession, viewer: Viewer, holding_id: uuid.UUID, change: HoldingChange
) -> CapabilityHolding:
    holding = await get_holding(session, viewer, holding_id)
    if not can_change(viewer, holding, DUTY):
        raise Forbidden(_("only the holding state's duty officers change its register"))
    if holding.version != change.version:
        raise Conflict(
            _("someone changed this register entry meanwhile: reload it"), field="version"
        )
    given = change.model_dump(
        exclude_unset=True, exclude={"version", "classification", "releasable_to"}
    )
    changes: dict[str, list] = {}
    with session.no_autoflush:
        for name, value in given.items():
            if value is not None and value != getattr(holding, name):
                changes[name] = [getattr(holding, name), value]
                setattr(holding, name, value)
        _check_position(holding.longitude, holding.latitude)
        if change.classification is not None and change.classification != holding.classification:
            checked_level(viewer, change.classification)
            changes["classification"] = [level(holding.classification), change.classification.name]
            holding.classification = change.classification
        if change.releasable_to is not None:
            codes = await checked_releasability(session, change.releasable_to)
            if codes != sorted(holding.releasable_to):
                changes["releasable_to"] = [holding.releasable_to, codes]
                holding.releasable_to = codes
    if not changes:
        return holding
    holding.updated_by = viewer.username
    holding.updated_at = utcnow()
    await session.flush()
    record_event(
        session,
        actor=viewer.username,
        kind="capability.changed",
        subject=holding.id,
        payload={"changes": changes, "version": holding.version},
        **markings_of(holding),
    )
    return holding


async def remove_holding(session: AsyncSession, viewer: Viewer, holding_id: uuid.UUID) -> None:
    holding = await get_holding(session, viewer, holding_id)
    if not can_change(viewer, holding, DUTY):
        raise Forbidden(_("only the holding state's duty officers change its register"))
    record_event(
        session,
        actor=viewer.username,
        kind="capability.removed",
        subject=holding.id,
        payload={"capability": holding.capability_code},
        **markings_of(holding),
    )
    await session.delete(holding)
    await session.flush()
