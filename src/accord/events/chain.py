"""The hash chain: how an event's payload hash and chain hash are computed (pure)."""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

import rfc8785

GENESIS = "0" * 64
REDACTED_KEY = "redacted"
SAFE_INTEGER = 2**53 - 1
_ENCODER = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":")
)


def canonical_json(value: Any) -> bytes:
    """``value`` in RFC 8785 canonical form, byte for byte what ``rfc8785.dumps`` writes.

    The standard library's encoder writes the same bytes for most values, several times faster
    (an incident's payload carries a polygon of floats); values it would write differently, and
    values it refuses, go to ``rfc8785``, which writes or refuses them as the standard says.
    """
    if _encoder_agrees(value):
        try:
            return _ENCODER.encode(value).encode()
        except (TypeError, ValueError):  # lone surrogates, types JSON does not have
            pass
    return rfc8785.dumps(value)


def _encoder_agrees(value: Any) -> bool:
    if isinstance(value, str) or value is None:
        return True
    if isinstance(value, float):
        # Whole numbers lose their ".0" and small ones their exponent in RFC 8785.
        return math.isfinite(value) and not value.is_integer() and abs(value) >= 1e-4
    if isinstance(value, int):
        return -SAFE_INTEGER <= value <= SAFE_INTEGER
    if isinstance(value, list | tuple):
        return all(_encoder_agrees(item) for item in value)
    if isinstance(value, dict):
        return all(_sorts_alike(key) and _encoder_agrees(item) for key, item in value.items())
    return False


def _sorts_alike(key: Any) -> bool:
    # RFC 8785 orders keys by UTF-16 code units, json by code points: alike below U+D800.
    return isinstance(key, str) and (key.isascii() or max(key) < "\ud800")


def payload_digest(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(payload)).hexdigest()


def chain_digest(event: Any, seq: int, prev_hash: str) -> str:
    """The hash that links ``event`` at position ``seq`` to the one before it."""
    fields = [
        seq,
        str(event.id),
        event.at.isoformat(),
        event.actor,
        event.state,
        event.kind,
        event.subject,
        int(event.classification),
        sorted(event.releasable_to or []),
        event.payload_hash,
        prev_hash,
    ]
    return hashlib.sha256(canonical_json(fields)).hexdigest()


def is_redacted(payload: dict[str, Any]) -> bool:
    return payload.get(REDACTED_KEY) is True and set(payload) <= {REDACTED_KEY, "event", "reason"}
