"""Webster/Sainte-Laguë apportionment on exact fractions, with a minimum, a cap and a tie-break.

Pure: numbers in, numbers out. Seats are handed out one at a time to the member with the highest
priority ``entitlement / (seats + 1/2)``, each member starting at the minimum and none going past
the cap. This is the divisor method (every member gets ``max(minimum, min(cap, round(e / d)))``
for one divisor ``d``), and handing out one seat at a time makes it house monotone by
construction: the result for ``n + 1`` posts is the result for ``n`` plus one post.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from accord.errors import InvalidInput
from accord.i18n import _

HALF = Fraction(1, 2)
MAX_POSTS = 10_000


@dataclass(frozen=True)
class Share:
    """One member's result: its posts and its exact quota of the posts shared."""

    code: str
    entitlement: Fraction
    quota: Fraction
    posts: int


@dataclass(frozen=True)
class Apportionment:
    """The whole result; ``tie_broken`` says whether the tie-break decided a post."""

    posts: int
    shares: tuple[Share, ...]
    tie_broken: bool

    def seats(self) -> dict[str, int]:
        return {share.code: share.posts for share in self.shares}


def quota_decimal(quota: Fraction, places: int = 4) -> str:
    """A quota as a decimal string, rounded half-even to ``places`` places (for display)."""
    value = Decimal(quota.numerator) / Decimal(quota.denominator)
    return str(value.quantize(Decimal(1).scaleb(-places)))


def _check(entitlements: Mapping[str, Fraction], posts: int, minimum: int, cap: int | None) -> None:
    members = len(entitlements)
    if posts < 0:
        raise InvalidInput(_("posts: the number of posts cannot be negative"), field="posts")
    if posts > MAX_POSTS:
        raise InvalidInput(
            _("posts: at most {limit} posts are shared").format(limit=MAX_POSTS), field="posts"
        )
    if not members:
        raise InvalidInput(
            _("entitlement: no member to share the posts among"), field="entitlement"
        )
    for code, value in entitlements.items():
        if value < 0:
            raise InvalidInput(
                _("entitlement: {code} has a negative entitlement").format(code=code),
                field=f"entitlement.{code}",
            )
    if posts and not any(entitlements.values()):
        raise InvalidInput(_("entitlement: every entitlement is zero"), field="entitlement")
    if minimum < 0:
        raise InvalidInput(_("minimum: the minimum cannot be negative"), field="minimum")
    if minimum * members > posts:
        raise InvalidInput(
            _(
                "minimum: {minimum} posts for each of {members} members needs {needed} posts, "
                "but only {posts} are shared"
            ).format(minimum=minimum, members=members, needed=minimum * members, posts=posts),
            field="minimum",
        )
    if cap is not None:
        if cap < minimum:
            raise InvalidInput(
                _("cap: the cap {cap} is below the minimum {minimum}").format(
                    cap=cap, minimum=minimum
                ),
                field="cap",
            )
        if cap * members < posts:
            raise InvalidInput(
                _(
                    "cap: {members} members with at most {cap} posts each cannot fill {posts} posts"
                ).format(members=members, cap=cap, posts=posts),
                field="cap",
            )


def apportion(
    entitlements: Mapping[str, Fraction],
    posts: int,
    *,
    minimum: int = 0,
    cap: int | None = None,
    order: Sequence[str] | None = None,
) -> Apportionment:
    """Share ``posts`` among the members of ``entitlements`` by Webster/Sainte-Laguë.

    ``order`` is the published tie-break: on equal priority the member named earlier wins
    (default: alphabetical by code). Errors name the field at fault; nothing is half computed.
    """
    _check(entitlements, posts, minimum, cap)
    ranking = list(order) if order is not None else sorted(entitlements)
    rank = {code: index for index, code in enumerate(ranking)}
    missing = sorted(set(entitlements) - set(rank))
    if missing:
        raise InvalidInput(
            _("tie_break: the order does not name {codes}").format(codes=", ".join(missing)),
            field="tie_break",
        )
    seats = dict.fromkeys(entitlements, minimum)
    tie_broken = False
    for _step in range(posts - minimum * len(entitlements)):
        open_members = [code for code in entitlements if cap is None or seats[code] < cap]
        priority = {code: entitlements[code] / (seats[code] + HALF) for code in open_members}
        best = max(priority.values())
        tied = [code for code in open_members if priority[code] == best]
        if len(tied) > 1:
            tie_broken = True
        winner = min(tied, key=rank.__getitem__)
        seats[winner] += 1
    total = sum(entitlements.values())
    shares = tuple(
        Share(
            code=code,
            entitlement=entitlements[code],
            quota=(Fraction(posts) * entitlements[code] / total) if total else Fraction(0),
            posts=seats[code],
        )
        for code in sorted(entitlements, key=rank.__getitem__)
    )
    return Apportionment(posts=posts, shares=shares, tie_broken=tie_broken)


def parse_fraction(value: str | int | Fraction | Decimal, field: str) -> Fraction:
    """A weight, share or entitlement given as ``"1/3"``, ``"0.25"`` or a number."""
    try:
        result = Fraction(str(value)) if not isinstance(value, Fraction) else value
    except (ValueError, ZeroDivisionError):
        raise InvalidInput(
            _("{field}: {value} is not a number or a fraction like 1/3").format(
                field=field, value=str(value)[:40]
            ),
            field=field,
        ) from None
    return result


def shares_entitlement(shares: Mapping[str, Decimal | str]) -> dict[str, Fraction]:
    """Budget shares in percent, which must sum to exactly 100, as entitlements."""
    parsed = {code: parse_fraction(value, f"shares.{code}") for code, value in shares.items()}
    for code, value in parsed.items():
        if value < 0:
            raise InvalidInput(
                _("shares: {code} has a negative share").format(code=code), field=f"shares.{code}"
            )
    total = sum(parsed.values(), Fraction(0))
    if total != 100:
        raise InvalidInput(
            _("shares: the shares sum to {total} %, not 100 %").format(
                total=quota_decimal(total, 6).rstrip("0").rstrip(".")
            ),
            field="shares",
        )
    return {code: value / 100 for code, value in parsed.items()}


WEIGHT_PARTS = ("equal", "population", "contribution")


def weighted_entitlement(
    weights: Mapping[str, Fraction],
    populations: Mapping[str, int],
    contributions: Mapping[str, Fraction],
) -> dict[str, Fraction]:
    """A weighted mix of an equal part, population and contribution; weights must sum to 1."""
    for part, weight in weights.items():
        if part not in WEIGHT_PARTS:
            raise InvalidInput(
                _("weights: unknown part {part}; use equal, population or contribution").format(
                    part=part
                ),
                field=f"weights.{part}",
            )
        if weight < 0:
            raise InvalidInput(
                _("weights: the weight of {part} is negative").format(part=part),
                field=f"weights.{part}",
            )
    if sum(weights.values(), Fraction(0)) != 1:
        raise InvalidInput(_("weights: the weights must sum to 1"), field="weights")
    codes = sorted(populations)
    people = sum(populations.values())
    paid = sum(contributions.get(code, Fraction(0)) for code in codes)
    if weights.get("population") and not people:
        raise InvalidInput(_("weights: no member has a population"), field="weights.population")
    if weights.get("contribution") and not paid:
        raise InvalidInput(_("weights: no member has a contribution"), field="weights.contribution")
    result = {}
    for code in codes:
        value = weights.get("equal", Fraction(0)) / len(codes)
        if weights.get("population"):
            value += weights["population"] * Fraction(populations[code], people)
        if weights.get("contribution"):
            value += weights["contribution"] * contributions.get(code, Fraction(0)) / paid
        result[code] = value
    return result
