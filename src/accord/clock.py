"""The one source of the current time: aware UTC, replaceable in tests."""

from __future__ import annotations

from datetime import UTC, datetime

_frozen: datetime | None = None


def utcnow() -> datetime:
    return _frozen if _frozen is not None else datetime.now(UTC)


def freeze(at: datetime | None) -> None:
    """Pin the clock at ``at`` (aware), or release it with ``None``."""
    global _frozen
    if at is not None and at.utcoffset() is None:
        raise ValueError("the clock takes aware datetimes only")
    _frozen = at
