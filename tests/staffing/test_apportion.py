"""Webster/Sainte-Laguë on exact fractions: known results, properties, and the reference package."""

from __future__ import annotations

from fractions import Fraction

import pytest
from apportionment import methods
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from accord.errors import InvalidInput
from accord.staffing.apportion import (
    apportion,
    quota_decimal,
    shares_entitlement,
    weighted_entitlement,
)

CODES = ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK", "UZB", "AZE"]

entitlement_maps = st.integers(min_value=1, max_value=len(CODES)).flatmap(
    lambda size: st.fixed_dictionaries(
        {
            code: st.fractions(min_value=0, max_value=1000, max_denominator=1000)
            for code in CODES[:size]
        }
    )
)


def test_a_small_example_by_hand():
    # Priorities 53/0.5=106, 24/0.5=48, 53/1.5≈35.3, 23/0.5=46 … gives 3, 1, 1 of five.
    result = apportion({"A": Fraction(53), "B": Fraction(24), "C": Fraction(23)}, 5)
    assert result.seats() == {"A": 3, "B": 1, "C": 1}
    assert [share.quota for share in result.shares] == [
        Fraction(53, 20),
        1 + Fraction(1, 5),
        Fraction(23, 20),
    ]
    assert quota_decimal(Fraction(53, 20)) == "2.6500"


def test_the_published_tie_break_decides_an_exact_tie():
    equal = {"ARM": Fraction(1), "BLR": Fraction(1)}
    assert apportion(equal, 1, order=["BLR", "ARM"]).seats() == {"ARM": 0, "BLR": 1}
    assert apportion(equal, 1, order=["ARM", "BLR"]).seats() == {"ARM": 1, "BLR": 0}
    assert apportion(equal, 1).tie_broken
    assert not apportion(equal, 2).tie_broken or apportion(equal, 2).seats() == {"ARM": 1, "BLR": 1}


def test_minimum_and_cap_bind():
    big = {"RUS": Fraction(90), "ARM": Fraction(5), "KGZ": Fraction(5)}
    assert apportion(big, 10).seats() == {"ARM": 1, "KGZ": 0, "RUS": 9}  # the tie: by code
    assert apportion(big, 10, minimum=2).seats() == {"ARM": 2, "KGZ": 2, "RUS": 6}
    assert apportion(big, 10, minimum=1, cap=4).seats() == {"ARM": 3, "KGZ": 3, "RUS": 4}


@pytest.mark.parametrize(
    ("posts", "minimum", "cap", "field"),
    [
        (-1, 0, None, "posts"),
        (5, 2, None, "minimum"),
        (10, -1, None, "minimum"),
        (10, 2, 1, "cap"),
        (10, 0, 3, "cap"),
    ],
)
def test_impossible_rules_are_refused_naming_the_field(posts, minimum, cap, field):
    with pytest.raises(InvalidInput) as refused:
        apportion(
            {"A": Fraction(1), "B": Fraction(2), "C": Fraction(3)}, posts, minimum=minimum, cap=cap
        )
    assert refused.value.field == field


def test_shares_must_sum_to_a_hundred_percent():
    assert shares_entitlement({"A": "60.5", "B": "39.5"}) == {
        "A": Fraction(121, 200),
        "B": Fraction(79, 200),
    }
    with pytest.raises(InvalidInput) as refused:
        shares_entitlement({"A": "60.5", "B": "39.4"})
    assert refused.value.field == "shares"
    assert "99.9" in refused.value.message
    with pytest.raises(InvalidInput) as refused:
        shares_entitlement({"A": "-10", "B": "110"})
    assert refused.value.field == "shares.A"


def test_weights_must_sum_to_one():
    populations = {"A": 3, "B": 1}
    contributions = {"A": Fraction(1, 2), "B": Fraction(1, 2)}
    mix = weighted_entitlement(
        {"equal": Fraction(1, 2), "population": Fraction(1, 2)}, populations, contributions
    )
    assert mix == {"A": Fraction(1, 4) + Fraction(3, 8), "B": Fraction(1, 4) + Fraction(1, 8)}
    assert sum(mix.values()) == 1
    with pytest.raises(InvalidInput) as refused:
        weighted_entitlement({"equal": Fraction(1, 2)}, populations, contributions)
    assert refused.value.field == "weights"
    with pytest.raises(InvalidInput) as refused:
        weighted_entitlement({"size": Fraction(1)}, populations, contributions)
    assert refused.value.field == "weights.size"


@settings(max_examples=100, deadline=None)
@given(entitlements=entitlement_maps, posts=st.integers(0, 60), data=st.data())
def test_adding_a_post_never_takes_one_away_from_anybody(entitlements, posts, data):
    assume(any(entitlements.values()))
    members = len(entitlements)
    minimum = data.draw(st.integers(0, posts // members))
    cap = data.draw(st.none() | st.integers(max(minimum, -(-(posts + 1) // members)), posts + 1))
    before = apportion(entitlements, posts, minimum=minimum, cap=cap).seats()
    after = apportion(entitlements, posts + 1, minimum=minimum, cap=cap).seats()
    assert sum(after.values()) == posts + 1
    assert all(after[code] >= before[code] for code in entitlements)


@settings(max_examples=100, deadline=None)
@given(entitlements=entitlement_maps, posts=st.integers(0, 60), data=st.data())
def test_every_member_gets_the_minimum_and_none_passes_the_cap(entitlements, posts, data):
    assume(any(entitlements.values()))
    members = len(entitlements)
    minimum = data.draw(st.integers(0, posts // members))
    cap = data.draw(st.none() | st.integers(max(minimum, -(-posts // members)), posts + 1))
    seats = apportion(entitlements, posts, minimum=minimum, cap=cap).seats()
    assert sum(seats.values()) == posts
    assert all(count >= minimum for count in seats.values())
    assert cap is None or all(count <= cap for count in seats.values())


def test_a_member_without_entitlement_gets_only_the_minimum():
    entitlements = {"ARM": Fraction(0), "KAZ": Fraction(7), "RUS": Fraction(13)}
    assert apportion(entitlements, 12).seats()["ARM"] == 0
    assert apportion(entitlements, 12, minimum=2).seats()["ARM"] == 2


@settings(max_examples=200, deadline=None)
@given(
    votes=st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=8),
    posts=st.integers(0, 60),
)
def test_the_same_result_as_the_apportionment_package(votes, posts):
    codes = CODES[: len(votes)]
    result = apportion({code: Fraction(v) for code, v in zip(codes, votes, strict=True)}, posts)
    # Where a tie decides a post the two tie-breaks may differ; compare where none does.
    assume(not result.tie_broken)
    expected = methods.compute("saintelague", votes, posts)
    assert [result.seats()[code] for code in codes] == list(expected)
