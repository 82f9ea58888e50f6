from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from accord.members.rotation import chair_years

DEMO_ORDER = ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"]
DEMO_HELD = {2022: "ARM", 2023: "BLR", 2024: "KAZ"}


def chairs(
    order=DEMO_ORDER,
    held=None,
    declined=frozenset(),
    eligible=None,
    *,
    first_year=2022,
    last_year=2030,
    this_year=2025,
):
    years = chair_years(
        order,
        DEMO_HELD if held is None else held,
        set(declined),
        set(order) if eligible is None else set(eligible),
        first_year=first_year,
        last_year=last_year,
        this_year=this_year,
    )
    return {entry.year: entry.state for entry in years}


def test_the_demo_order_passes_the_chair_yearly_in_alphabetical_order():
    assert chairs() == {
        2022: "ARM",
        2023: "BLR",
        2024: "KAZ",
        2025: "KGZ",
        2026: "RUS",
        2027: "TJK",
        2028: "ARM",
        2029: "BLR",
        2030: "KAZ",
    }


def test_without_recorded_chairs_the_rotation_starts_at_the_head_of_the_order():
    assert chairs(held={}, first_year=2022, last_year=2025) == {
        2022: "ARM",
        2023: "BLR",
        2024: "KAZ",
        2025: "KGZ",
    }


def test_recorded_years_are_held_this_year_is_current_and_later_years_planned():
    years = chair_years(
        DEMO_ORDER,
        DEMO_HELD,
        set(),
        set(DEMO_ORDER),
        first_year=2022,
        last_year=2027,
        this_year=2025,
    )
    statuses = {entry.year: entry.status for entry in years}
    assert statuses == {
        2022: "held",
        2023: "held",
        2024: "held",
        2025: "current",
        2026: "planned",
        2027: "planned",
    }


def test_a_recorded_chair_in_this_year_is_the_current_one():
    years = chair_years(
        DEMO_ORDER,
        DEMO_HELD,
        set(),
        set(DEMO_ORDER),
        first_year=2022,
        last_year=2025,
        this_year=2024,
    )
    current = [entry for entry in years if entry.status == "current"]
    assert [(entry.year, entry.state) for entry in current] == [(2024, "KAZ")]


def test_a_declined_turn_passes_to_the_next_state_for_that_year_only():
    computed = chairs(declined={(2025, "KGZ")}, last_year=2031)
    assert computed[2025] == "RUS"
    assert computed[2026] == "TJK"
    assert "KGZ" in {computed[year] for year in range(2026, 2032)}


def test_declining_a_year_that_is_not_ones_turn_changes_nothing():
    assert chairs(declined={(2027, "KGZ")}) == chairs()


def test_suspended_and_observer_states_are_skipped():
    eligible = set(DEMO_ORDER) - {"KGZ", "RUS"}
    computed = chairs(eligible=eligible, last_year=2029)
    assert [computed[year] for year in range(2025, 2030)] == ["TJK", "ARM", "BLR", "KAZ", "TJK"]


def test_a_year_nobody_can_take_is_vacant():
    years = chair_years(
        ["ARM", "BLR"],
        {},
        {(2025, "ARM"), (2025, "BLR")},
        {"ARM", "BLR"},
        first_year=2024,
        last_year=2026,
        this_year=2024,
    )
    assert [(entry.year, entry.state, entry.status) for entry in years] == [
        (2024, "ARM", "current"),
        (2025, None, "vacant"),
        (2026, "BLR", "planned"),
    ]


def test_no_eligible_state_leaves_every_computed_year_vacant():
    computed = chairs(eligible=set(), first_year=2022, last_year=2027)
    assert [computed[year] for year in range(2025, 2028)] == [None, None, None]


CODES = ["ARM", "AZE", "BLR", "KAZ", "KGZ", "RUS", "TJK", "UZB"]


@st.composite
def rotations(draw):
    order = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=8, unique=True))
    eligible = draw(st.sets(st.sampled_from(order), min_size=1))
    first = draw(st.integers(2000, 2030))
    held_years = draw(st.sets(st.integers(first, first + 5), max_size=4))
    held = {year: draw(st.sampled_from(order)) for year in held_years}
    last = first + draw(st.integers(0, 25))
    return order, held, eligible, first, last


def computed_years(order, held, eligible, first, last, declined=frozenset()):
    years = chair_years(
        order, held, set(declined), eligible, first_year=first, last_year=last, this_year=first
    )
    return [entry for entry in years if entry.year not in held]


@given(rotations())
def test_every_computed_year_has_an_eligible_chair_and_never_the_same_twice_running(rotation):
    order, held, eligible, first, last = rotation
    computed = computed_years(order, held, eligible, first, last)
    assert all(entry.state in eligible for entry in computed)
    if len(eligible) > 1:
        for earlier, later in pairwise(computed):
            if later.year == earlier.year + 1:
                assert earlier.state != later.state


@given(rotations())
def test_without_declines_each_eligible_state_chairs_once_per_round(rotation):
    order, held, eligible, first, last = rotation
    computed = computed_years(order, held, eligible, first, last)
    for start in range(len(computed) - len(eligible) + 1):
        window = computed[start : start + len(eligible)]
        assert sorted(entry.state for entry in window) == sorted(eligible)


@given(rotations(), st.data())
def test_a_declining_state_never_chairs_the_year_it_declined(rotation, data):
    order, held, eligible, first, last = rotation
    declined = data.draw(
        st.sets(st.tuples(st.integers(first, last), st.sampled_from(order)), max_size=10)
    )
    computed = computed_years(order, held, eligible, first, last, declined)
    for entry in computed:
        available = {code for code in eligible if (entry.year, code) not in declined}
        if available:
            assert entry.state in available
        else:
            assert (entry.state, entry.status) == (None, "vacant")
