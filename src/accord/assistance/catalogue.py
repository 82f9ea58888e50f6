"""The catalogue of capability modules that registers, requests and offers name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accord.i18n import current_language
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
