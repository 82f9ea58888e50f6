"""The outcome of a draft decision: a pure function of the body's rule, its members and positions.

No database and no clock: the same inputs always give the same outcome, reason and states bound,
which is what the property tests check and what the record of a decision stores.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Any

RULES = (
    "consensus",
    "consensus_minus_concerned",
    "unanimity_constructive_abstention",
    "simple_majority",
    "qualified_majority",
)
POSITIONS = (
    "support",
    "no_objection",
    "abstain",
    "declared_abstention",
    "non_participation",
    "object",
    "amend",
    "statement",
    "absent",
)
BLOCKING = frozenset({"object", "amend"})
BINDING = frozenset({"support", "no_objection", "abstain", "statement"})
IN_FAVOUR = frozenset({"support", "no_objection", "statement"})
MAJORITY_RULES = frozenset({"simple_majority", "qualified_majority"})
# How an absent member without a counted written position is treated.
ABSENCE = ("no_objection", "not_bound", "blocks")


@dataclass(frozen=True)
class Rule:
    """A body's decision rule and its parameters (configuration, not code)."""

    kind: str = "consensus"
    absence: str = "no_objection"
    written_positions: bool = True
    majority: Fraction = Fraction(1, 2)
    qualified: Fraction = Fraction(2, 3)
    abstention_members: Fraction = Fraction(1, 3)
    abstention_population: Fraction = Fraction(1, 3)
    # Majority rules decide procedural questions only; a substantive one falls back to this.
    substantive_fallback: str = "consensus"

    def __post_init__(self) -> None:
        if self.kind not in RULES:
            raise ValueError(f"unknown decision rule {self.kind!r}")
        if self.absence not in ABSENCE:
            raise ValueError(f"unknown treatment of absence {self.absence!r}")
        if self.substantive_fallback in MAJORITY_RULES or self.substantive_fallback not in RULES:
            raise ValueError("a substantive question falls back to a consensus rule")

    def params(self) -> dict[str, Any]:
        """The parameters as plain JSON values, for the decision's record."""
        values = asdict(self)
        return {
            key: str(value) if isinstance(value, Fraction) else value
            for key, value in values.items()
        }

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Rule:
        values = dict(params)
        for key in ("majority", "qualified", "abstention_members", "abstention_population"):
            if key in values:
                values[key] = Fraction(str(values[key]))
        return cls(**values)


@dataclass(frozen=True)
class Member:
    """A state as the rule sees it: its status and population."""

    code: str
    status: str = "member"
    population: int | None = None


@dataclass(frozen=True)
class Position:
    """A state's position; ``written`` when sent in writing by an absent member."""

    kind: str
    written: bool = False
    text: str = ""


@dataclass(frozen=True)
class Reason:
    """Why a draft was adopted or not, as data; ``describe`` turns it into a sentence."""

    code: str
    rule: str
    eligible: tuple[str, ...] = ()
    blocking: tuple[str, ...] = ()
    absent_blocking: tuple[str, ...] = ()
    written: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    declared_abstention: tuple[str, ...] = ()
    non_participation: tuple[str, ...] = ()
    statements: tuple[str, ...] = ()
    concerned: tuple[str, ...] = ()
    not_eligible: tuple[str, ...] = ()
    in_favour: int = 0
    against: int = 0
    required: str = ""
    fallback: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            key: list(value) if isinstance(value, tuple) else value
            for key, value in asdict(self).items()
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reason:
        known = cls.__dataclass_fields__
        return cls(
            **{
                key: tuple(value) if isinstance(value, list) else value
                for key, value in data.items()
                if key in known
            }
        )


@dataclass(frozen=True)
class Outcome:
    adopted: bool
    reason: Reason
    states_bound: tuple[str, ...] = field(default=())


def effective_positions(
    rule: Rule, eligible: Iterable[str], positions: Mapping[str, Position]
) -> dict[str, str]:
    """Each eligible member's position as counted: written ones only where the rule allows."""
    counted = {}
    for code in eligible:
        position = positions.get(code)
        if position is None or (position.written and not rule.written_positions):
            counted[code] = "absent"
        else:
            counted[code] = position.kind
    return counted


def _with(kind: str, counted: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(sorted(code for code, position in counted.items() if position == kind))


def _bound(rule: Rule, counted: Mapping[str, str], accessions: Iterable[str]) -> tuple[str, ...]:
    bound = {code for code, kind in counted.items() if kind in BINDING}
    if rule.absence == "no_objection":
        bound |= {code for code, kind in counted.items() if kind == "absent"}
    bound |= {code for code in accessions if counted.get(code) == "non_participation"}
    return tuple(sorted(bound))


def _majority(rule: Rule, kind: str, counted: Mapping[str, str]) -> tuple[bool, int, int, str]:
    yes = sum(1 for position in counted.values() if position in IN_FAVOUR)
    no = sum(1 for position in counted.values() if position in BLOCKING)
    if kind == "simple_majority":
        # More in favour than the fraction of the votes cast.
        cast = yes + no
        return cast > 0 and Fraction(yes, cast) > rule.majority, yes, no, str(rule.majority)
    members = len(counted)
    return members > 0 and Fraction(yes, members) >= rule.qualified, yes, no, str(rule.qualified)


def decide(
    rule: Rule,
    members: Iterable[Member],
    positions: Mapping[str, Position],
    *,
    procedural: bool = False,
    concerned: Iterable[str] = (),
    accessions: Iterable[str] = (),
) -> Outcome:
    """Whether a draft is adopted under ``rule``, why, and which states it binds.

    Only members with status ``member`` are eligible: suspended members, observers and partners
    never count. ``concerned`` names the states left out under consensus minus the state
    concerned; ``accessions`` the non-participants that joined later.
    """
    members = list(members)
    concerned_set = set(concerned) if rule.kind == "consensus_minus_concerned" else set()
    eligible = sorted(
        m.code for m in members if m.status == "member" and m.code not in concerned_set
    )
    counted = effective_positions(rule, eligible, positions)
    kind = rule.kind
    fallback = False
    if kind in MAJORITY_RULES and not procedural:
        kind, fallback = rule.substantive_fallback, True
    blocking = tuple(sorted(c for c, p in counted.items() if p in BLOCKING))
    absent = _with("absent", counted)
    written = tuple(
        sorted(
            code
            for code in eligible
            if code in positions and positions[code].written and counted[code] != "absent"
        )
    )
    common = {
        "rule": rule.kind,
        "eligible": tuple(eligible),
        "blocking": blocking,
        "written": written,
        "absent": absent,
        "declared_abstention": _with("declared_abstention", counted),
        "non_participation": _with("non_participation", counted),
        "statements": _with("statement", counted),
        "concerned": tuple(sorted(concerned_set)),
        "not_eligible": tuple(sorted(m.code for m in members if m.status != "member")),
        "fallback": fallback,
    }
    if not eligible:
        return Outcome(False, Reason(code="no_eligible", **common))
    if kind in MAJORITY_RULES:
        passed, yes, no, required = _majority(rule, kind, counted)
        reason = Reason(
            code="majority" if passed else "no_majority",
            in_favour=yes,
            against=no,
            required=required,
            **common,
        )
        return Outcome(passed, reason, _bound(rule, counted, accessions) if passed else ())
    absent_blocking = absent if rule.absence == "blocks" else ()
    if blocking or absent_blocking:
        reason = Reason(code="objection", absent_blocking=absent_blocking, **common)
        return Outcome(False, reason)
    if kind == "unanimity_constructive_abstention" and _abstention_too_large(
        rule, members, eligible, common["declared_abstention"]
    ):
        return Outcome(False, Reason(code="abstention_threshold", **common))
    return Outcome(True, Reason(code="no_objection", **common), _bound(rule, counted, accessions))


def _abstention_too_large(
    rule: Rule, members: list[Member], eligible: list[str], abstainers: tuple[str, ...]
) -> bool:
    """Declared abstainers are at least the set share of the members and of their population."""
    if not abstainers:
        return False
    population = {m.code: m.population or 0 for m in members}
    total = sum(population[code] for code in eligible)
    share_of_members = Fraction(len(abstainers), len(eligible))
    share_of_population = (
        Fraction(sum(population[code] for code in abstainers), total) if total else Fraction(1)
    )
    return (
        share_of_members >= rule.abstention_members
        and share_of_population >= rule.abstention_population
    )
