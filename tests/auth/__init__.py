"""Tests of the auth domain, and what they share: a clock moved by hand, admin and headers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import httpx

from accord.clock import freeze
from tests.factories import user_with_session

ADMIN = {"roles": ["admin"], "state": "ORG", "clearance": "SECRET"}


class Clock:
    """The application's clock, pinned at ``now`` and moved only by ``advance``."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)
        freeze(self.now)

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        freeze(self.now)
        return self.now


@contextmanager
def frozen_clock() -> Iterator[Clock]:
    """Freeze the clock for the block and always release it afterwards."""
    try:
        yield Clock()
    finally:
        freeze(None)


def csrf(token: str) -> dict[str, str]:
    return {"X-CSRF-Token": token}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def as_admin(client: httpx.AsyncClient) -> str:
    """Log ``client`` in as a new administrator; return the CSRF token."""
    _admin, token = await user_with_session(client, **ADMIN)
    return token
