"""Properties of the outcome function across random rules, memberships and positions."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import assume, given
from hypothesis import strategies as st

from accord.council.outcome import (
    ABSENCE,
    BINDING,
    BLOCKING,
    POSITIONS,
    RULES,
    Member,
    Position,
    Rule,
    decide,
)
from accord.council.reasons import describe
from accord.council.rules import rule_for

CODES = ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK", "UZB", "AZE", "GEO")
NAMES = {"ARM": "Armenia", "BLR": "Belarus", "KAZ": "Kazakhstan", "KGZ": "Kyrgyzstan"}
CONSENSUS_RULES = ("consensus", "consensus_minus_concerned", "unanimity_constructive_abstention")

rules = st.builds(
    Rule,
    kind=st.sampled_from(RULES),
    absence=st.sampled_from(ABSENCE),
    written_positions=st.booleans(),
    qualified=st.sampled_from([Fraction(2, 3), Fraction(3, 4), Fraction(1, 2)]),
)


@st.composite
def memberships(draw):
    codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=len(CODES), unique=True))
    return [
        Member(
            code,
            draw(
                st.sampled_from(["member", "member", "member", "suspended", "observer", "partner"])
            ),
            draw(st.integers(min_value=1, max_value=150_000_000)),
        )
        for code in codes
    ]


@st.composite
def positions_for(draw, members):
    chosen = {}
    for member in members:
        if draw(st.booleans()):
            chosen[member.code] = Position(
                draw(st.sampled_from(POSITIONS)), written=draw(st.booleans())
            )
    return chosen


@st.composite
def cases(draw):
    members = draw(memberships())
    return (
        draw(rules),
        members,
        draw(positions_for(members)),
        draw(st.booleans()),
        draw(st.lists(st.sampled_from([m.code for m in members]), max_size=2, unique=True)),
    )


def consensus_like(rule: Rule, procedural: bool) -> bool:
    return rule.kind in CONSENSUS_RULES or not procedural


@given(cases())
def test_an_eligible_objection_always_blocks_under_consensus(case):
    rule, members, positions, procedural, concerned = case
    assume(consensus_like(rule, procedural))
    eligible = {
        m.code
        for m in members
        if m.status == "member"
        and not (rule.kind == "consensus_minus_concerned" and m.code in concerned)
    }
    objectors = {
        code
        for code, p in positions.items()
        if code in eligible and p.kind in BLOCKING and (rule.written_positions or not p.written)
    }
    outcome = decide(rule, members, positions, procedural=procedural, concerned=concerned)
    if objectors:
        assert not outcome.adopted
        assert set(outcome.reason.blocking) == objectors


@given(cases(), st.sampled_from(POSITIONS))
def test_suspended_members_and_observers_never_count(case, anything):
    rule, members, positions, procedural, concerned = case
    outsiders = [m.code for m in members if m.status != "member"]
    assume(outsiders)
    baseline = decide(rule, members, positions, procedural=procedural, concerned=concerned)
    changed = dict(positions) | {code: Position(anything) for code in outsiders}
    other = decide(rule, members, changed, procedural=procedural, concerned=concerned)
    assert other.adopted == baseline.adopted
    assert other.states_bound == baseline.states_bound
    assert not set(other.states_bound) & set(outsiders)


@given(cases())
def test_the_states_bound_are_eligible_and_never_objectors_or_declared_abstainers(case):
    rule, members, positions, procedural, concerned = case
    outcome = decide(rule, members, positions, procedural=procedural, concerned=concerned)
    eligible = set(outcome.reason.eligible)
    assert set(outcome.states_bound) <= eligible
    if not outcome.adopted:
        assert outcome.states_bound == ()
    for code in outcome.states_bound:
        position = positions.get(code)
        if position is not None and (rule.written_positions or not position.written):
            assert position.kind in BINDING or position.kind == "absent"
    for code in outcome.reason.declared_abstention + outcome.reason.non_participation:
        assert code not in outcome.states_bound


@given(cases())
def test_the_outcome_is_a_function_of_its_inputs_and_has_a_sentence(case):
    rule, members, positions, procedural, concerned = case
    first = decide(rule, members, positions, procedural=procedural, concerned=concerned)
    second = decide(
        rule, list(reversed(members)), dict(positions), procedural=procedural, concerned=concerned
    )
    assert first == second
    sentence = describe(first.reason, NAMES)
    assert sentence.startswith("adopted" if first.adopted else "not adopted")


@given(
    n=st.integers(min_value=3, max_value=30),
    abstainers=st.integers(min_value=0, max_value=30),
    population=st.lists(st.integers(min_value=1, max_value=10**8), min_size=30, max_size=30),
)
def test_constructive_abstention_fails_exactly_at_a_third_of_members_and_population(
    n, abstainers, population
):
    assume(abstainers <= n)
    codes = [f"S{index:02d}" for index in range(n)]
    members = [Member(code, "member", population[index]) for index, code in enumerate(codes)]
    positions = {code: Position("declared_abstention") for code in codes[:abstainers]}
    positions |= {code: Position("support") for code in codes[abstainers:]}
    rule = Rule(kind="unanimity_constructive_abstention")
    outcome = decide(rule, members, positions)
    total = sum(population[:n])
    abstaining = sum(population[:abstainers])
    too_many = 3 * abstainers >= n and 3 * abstaining >= total and abstainers > 0
    assert outcome.adopted == (not too_many)
    if too_many:
        assert outcome.reason.code == "abstention_threshold"
    else:
        assert set(outcome.states_bound) == set(codes[abstainers:])


def test_constructive_abstention_at_exactly_one_third_fails_and_just_below_passes():
    members = [Member(code, "member", 100) for code in ("A01", "A02", "A03", "A04", "A05", "A06")]
    rule = Rule(kind="unanimity_constructive_abstention")
    two = {"A01": Position("declared_abstention"), "A02": Position("declared_abstention")}
    assert not decide(rule, members, two).adopted
    one = {"A01": Position("declared_abstention")}
    assert decide(rule, members, one).adopted
    # A third of the members but less than a third of the population: adopted.
    weighted = [Member("A01", "member", 1), Member("A02", "member", 1), *members[2:]]
    assert decide(rule, weighted, two).adopted


def test_absence_counts_as_the_rule_says():
    members = [Member("ARM"), Member("BLR"), Member("KAZ")]
    positions = {"BLR": Position("support"), "KAZ": Position("support")}
    silent = decide(Rule(absence="no_objection"), members, positions)
    assert silent.adopted and silent.states_bound == ("ARM", "BLR", "KAZ")
    unbound = decide(Rule(absence="not_bound"), members, positions)
    assert unbound.adopted and unbound.states_bound == ("BLR", "KAZ")
    blocking = decide(Rule(absence="blocks"), members, positions)
    assert not blocking.adopted and blocking.reason.absent_blocking == ("ARM",)
    written = dict(positions) | {"ARM": Position("support", written=True)}
    assert decide(Rule(absence="blocks"), members, written).adopted
    assert not decide(Rule(absence="blocks", written_positions=False), members, written).adopted


def test_the_reason_reads_as_the_record_of_the_minsk_session():
    members = [Member(code) for code in ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK")]
    positions = {code: Position("support") for code in ("BLR", "KAZ", "KGZ", "RUS", "TJK")}
    positions["ARM"] = Position("support", written=True)
    outcome = decide(rule_for("consensus", "csc"), members, positions)
    assert describe(outcome.reason, NAMES) == (
        "adopted: no objection among 6 eligible members; Armenia did not attend, agreed in writing"
    )


def test_majority_decides_procedural_questions_only():
    members = [Member(code) for code in ("ARM", "BLR", "KAZ")]
    positions = {"ARM": Position("object"), "BLR": Position("support"), "KAZ": Position("support")}
    rule = Rule(kind="simple_majority")
    assert decide(rule, members, positions, procedural=True).adopted
    substantive = decide(rule, members, positions, procedural=False)
    assert not substantive.adopted and substantive.reason.fallback
    qualified = Rule(kind="qualified_majority", qualified=Fraction(3, 4))
    assert not decide(qualified, members, positions, procedural=True).adopted


def test_consensus_minus_the_state_concerned_ignores_its_objection():
    members = [Member(code) for code in ("ARM", "BLR", "KAZ")]
    positions = {"ARM": Position("object"), "BLR": Position("support")}
    rule = Rule(kind="consensus_minus_concerned")
    outcome = decide(rule, members, positions, concerned=["ARM"])
    assert outcome.adopted and "ARM" not in outcome.states_bound
    assert not decide(Rule(kind="consensus"), members, positions).adopted


def test_a_non_participant_that_accedes_later_is_bound():
    members = [Member(code) for code in ("ARM", "BLR")]
    positions = {"ARM": Position("non_participation"), "BLR": Position("support")}
    assert decide(Rule(), members, positions).states_bound == ("BLR",)
    joined = decide(Rule(), members, positions, accessions=["ARM"])
    assert joined.states_bound == ("ARM", "BLR")
