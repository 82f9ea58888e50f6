"""The hash chain: how an event's payload hash and chain hash are computed (pure)."""

from __future__ import annotations

import hashlib
from typing import Any

import rfc8785

GENESIS = "0" * 64
REDACTED_KEY = "redacted"


def payload_digest(payload: dict[str, Any]) -> str:
    return hashlib.sha256(rfc8785.dumps(payload)).hexdigest()


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
    return hashlib.sha256(rfc8785.dumps(fields)).hexdigest()


def is_redacted(payload: dict[str, Any]) -> bool:
    return payload.get(REDACTED_KEY) is True and set(payload) <= {REDACTED_KEY, "event", "reason"}
