"""The hash chain's digests: stable for the same content, different for any change."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from accord.access import Classification
from accord.events.chain import (
    GENESIS,
    REDACTED_KEY,
    chain_digest,
    is_redacted,
    payload_digest,
)

EXAMPLES = settings(max_examples=100, deadline=None)

# Canonical JSON (RFC 8785) admits only the integers a double holds exactly.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
payloads = st.dictionaries(st.text(max_size=12), json_values, max_size=6)


@dataclass(frozen=True)
class Sealable:
    """The fields of an event the chain hash covers."""

    id: uuid.UUID
    at: datetime
    actor: str
    state: str
    kind: str
    subject: str
    classification: Classification
    releasable_to: list[str]
    payload_hash: str


events = st.builds(
    Sealable,
    id=st.uuids(),
    at=st.datetimes(timezones=st.just(UTC)),
    actor=st.text(min_size=1, max_size=10),
    state=st.sampled_from(["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK", "ORG"]),
    kind=st.sampled_from(["user.created", "incident.reported", "event.redacted"]),
    subject=st.text(max_size=10),
    classification=st.sampled_from(list(Classification)),
    releasable_to=st.lists(st.sampled_from(["ARM", "KAZ", "ALL"]), unique=True),
    payload_hash=payloads.map(payload_digest),
)


def changed(event: Sealable, field: str) -> Sealable:
    """``event`` with one field given a different value."""
    value = getattr(event, field)
    different = {
        "id": lambda: uuid.UUID(int=(value.int + 1) % 2**128),
        "at": lambda: (
            value + timedelta(microseconds=1)
            if value.year < 9999
            else value - timedelta(microseconds=1)
        ),
        "classification": lambda: Classification((value + 1) % 4),
        "releasable_to": lambda: [*value, "TJK"],
        "payload_hash": lambda: payload_digest({"other": value}),
    }.get(field, lambda: value + "x")
    return dataclasses.replace(event, **{field: different()})


@EXAMPLES
@given(payload=payloads)
def test_payload_digest_does_not_depend_on_key_order(payload):
    reordered = dict(reversed(list(payload.items())))
    assert payload_digest(reordered) == payload_digest(payload)


@EXAMPLES
@given(payload=payloads, key=st.text(max_size=12), value=json_values)
def test_any_change_to_a_payload_changes_its_digest(payload, key, value):
    altered = {**payload, key: value}
    if altered != payload:
        assert payload_digest(altered) != payload_digest(payload)


@EXAMPLES
@given(
    event=events,
    seq=st.integers(1, 2**40),
    field=st.sampled_from([field.name for field in dataclasses.fields(Sealable)]),
)
def test_any_change_to_a_sealed_field_changes_the_chain_hash(event, seq, field):
    assert chain_digest(changed(event, field), seq, GENESIS) != chain_digest(event, seq, GENESIS)


@EXAMPLES
@given(
    event=events,
    seq=st.integers(1, 2**40),
    prev_hash=st.text("0123456789abcdef", min_size=64, max_size=64),
)
def test_the_chain_hash_binds_the_position_and_the_event_before(event, seq, prev_hash):
    digest = chain_digest(event, seq, prev_hash)
    assert chain_digest(event, seq + 1, prev_hash) != digest
    if prev_hash != GENESIS:
        assert chain_digest(event, seq, GENESIS) != digest


@EXAMPLES
@given(event=events)
def test_the_order_of_the_releasability_list_does_not_change_the_chain_hash(event):
    shuffled = dataclasses.replace(event, releasable_to=list(reversed(event.releasable_to)))
    assert chain_digest(shuffled, 1, GENESIS) == chain_digest(event, 1, GENESIS)


def test_a_redaction_marker_is_recognised():
    assert is_redacted({REDACTED_KEY: True, "reason": "entered by mistake"})
    assert is_redacted({REDACTED_KEY: True})


@EXAMPLES
@given(payload=payloads)
def test_a_payload_that_merely_mentions_redaction_is_not_a_marker(payload):
    assert not is_redacted({**payload, REDACTED_KEY: False})
    assert not is_redacted({**payload, REDACTED_KEY: "yes"})
    if set(payload) - {REDACTED_KEY, "event", "reason"}:
        assert not is_redacted({**payload, REDACTED_KEY: True})
