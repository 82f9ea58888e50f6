"""Canonical JSON: the fast encoding writes exactly the bytes of the RFC 8785 reference."""

from __future__ import annotations

import pytest
import rfc8785
from hypothesis import example, given, settings
from hypothesis import strategies as st

from accord.events.chain import canonical_json

# Every character, lone surrogates included, and numbers of every kind RFC 8785 treats apart.
any_text = st.text(st.characters(codec=None, categories=None), max_size=12)
numbers = st.floats() | st.integers() | st.sampled_from([1e-7, 1e-5, 1e16, 1e21, -0.0, 5e-324])
values = st.recursive(
    st.none() | st.booleans() | numbers | any_text,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(any_text, inner, max_size=4)
    ),
    max_leaves=16,
)


def reference(value: object) -> bytes | type[Exception]:
    try:
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, UnicodeError) as error:
        return type(error)


def fast(value: object) -> bytes | type[Exception]:
    try:
        return canonical_json(value)
    except (rfc8785.CanonicalizationError, UnicodeError) as error:
        return type(error)


@settings(max_examples=500, deadline=None)
@given(value=values)
@example({"\U0001f600": 1, "\uffff": 2})
@example({"location": {"type": "Point", "coordinates": [71.0, 51.125]}})
@example({1: "a key that is not a string"})
@example([float("nan")])
def test_the_canonical_encoding_writes_what_the_reference_writes_or_refuses_alike(value):
    assert fast(value) == reference(value)


@pytest.mark.parametrize("value", [object(), {"when": __import__("datetime").date(2024, 1, 1)}])
def test_values_json_does_not_have_are_refused(value):
    with pytest.raises(rfc8785.CanonicalizationError):
        canonical_json(value)
