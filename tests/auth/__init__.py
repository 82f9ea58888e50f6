"""Tests of the auth domain, and what they share: a clock the tests move by hand."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from accord.clock import freeze


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
