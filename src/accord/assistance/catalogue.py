"""The catalogue of capability modules that registers, requests and offers name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from accord.access import SECRETARIAT, Viewer
from accord.assistance.schemas import CatalogueEntryCreate, CatalogueEntryRead
from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.events.service import for_everyone, record_event
from accord.i18n import _, current_language
from accord.models.capability_type import CapabilityType


class CapabilityData(Protocol):
    code: str
    category: str
    unit: str
    names: dict[str, str]


def add_capability_types(session: AsyncSession, entries: Iterable[CapabilityData]) -> None:
    """Add catalogue entries (reference data loaded with the organisation)."""
    for position, entry in enumerate(entries):
        session.add(
            CapabilityType(
                code=entry.code,
                category=entry.category,
                unit=entry.unit,
                names=dict(entry.names),
                position=position,
            )
        )


async def list_capability_types(
    session: AsyncSession, *, include_inactive: bool = False
) -> list[CapabilityType]:
    query = select(CapabilityType).order_by(CapabilityType.position, CapabilityType.code)
    if not include_inactive:
        query = query.where(CapabilityType.active.is_(True))
    return list((await session.scalars(query)).all())


def capability_name(capability: CapabilityType) -> str:
    """The capability's name in the reader's language, else English, else its code."""
    names = capability.names or {}
    return names.get(current_language()) or names.get("en") or capability.code


CATALOGUE_CACHE = "accord.capability_catalogue"


@event.listens_for(Session, "after_soft_rollback")
def _forget_catalogue(session: Session, _transaction) -> None:
    # The cached rows are expired by a rollback; an async session cannot reload them lazily.
    session.info.pop(CATALOGUE_CACHE, None)


async def catalogue(session: AsyncSession) -> dict[str, CapabilityType]:
    """Every catalogue entry by code, active or not, loaded once per transaction."""
    cached = session.info.get(CATALOGUE_CACHE)
    if cached is None:
        entries = await list_capability_types(session, include_inactive=True)
        cached = {entry.code: entry for entry in entries}
        session.info[CATALOGUE_CACHE] = cached
    return cached


async def capability_names(session: AsyncSession) -> dict[str, str]:
    """Each code's name in the reader's language."""
    return {code: capability_name(entry) for code, entry in (await catalogue(session)).items()}


async def active_capability(session: AsyncSession, code: str, *, field: str) -> CapabilityType:
    """The active catalogue entry ``code``, or InvalidInput naming ``field``."""
    entry = (await catalogue(session)).get(code)
    if entry is None or not entry.active:
        raise InvalidInput(
            _("{field}: {code} is not a capability of the catalogue").format(
                field=field, code=code
            ),
            field=field,
        )
    return entry


async def add_catalogue_entry(
    session: AsyncSession, viewer: Viewer, data: CatalogueEntryCreate
) -> CapabilityType:
    """An administrator extends the catalogue."""
    _require_admin(viewer)
    if "en" not in data.names:
        raise InvalidInput(_("names.en: give the English name"), field="names.en")
    if (await catalogue(session)).get(data.code) is not None:
        raise Conflict(_("the catalogue already has {code}").format(code=data.code), field="code")
    last = await session.scalar(select(func.max(CapabilityType.position)))
    entry = CapabilityType(
        code=data.code,
        names=dict(data.names),
        category=data.category,
        unit=data.unit,
        active=True,
        position=(last or 0) + 1,
    )
    session.add(entry)
    await session.flush()
    session.info.pop(CATALOGUE_CACHE, None)
    record_event(
        session,
        actor=viewer.username,
        kind="capability.catalogue_extended",
        subject=entry.code,
        payload=entry_read(entry).model_dump(mode="json"),
        **for_everyone(SECRETARIAT),
    )
    return entry


async def set_catalogue_entry_active(
    session: AsyncSession, viewer: Viewer, code: str, active: bool
) -> CapabilityType:
    """Deactivate (or bring back) a module: no new needs or holdings name an inactive one."""
    _require_admin(viewer)
    entry = (await catalogue(session)).get(code)
    if entry is None:
        raise NotFound(_("no capability {code}").format(code=code[:48]))
    if entry.active != active:
        entry.active = active
        record_event(
            session,
            actor=viewer.username,
            kind="capability.catalogue_changed",
            subject=entry.code,
            payload={"code": entry.code, "active": active},
            **for_everyone(SECRETARIAT),
        )
    return entry


def entry_read(entry: CapabilityType) -> CatalogueEntryRead:
    return CatalogueEntryRead(
        code=entry.code,
        names=dict(entry.names or {}),
        name=capability_name(entry),
        category=entry.category,
        unit=entry.unit,
        active=entry.active,
    )


def _require_admin(viewer: Viewer) -> None:
    if not viewer.has_role("admin"):
        raise Forbidden(_("changing the catalogue needs the admin role"))
