"""This domain's part of the demo scenario, loaded idempotently by `accord demo`."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


async def load(session: AsyncSession) -> None:
    """Add this domain's demo records unless they are there already."""
    return None
