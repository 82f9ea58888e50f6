"""The chairmanship rotation (pure): who chairs each year, from the order stored as data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChairYear:
    year: int
    state: str | None
    status: str  # held, current, planned, or vacant when nobody can take the turn


def chair_years(
    order: list[str],
    held: dict[int, str],
    declined: set[tuple[int, str]],
    eligible: set[str],
    *,
    first_year: int,
    last_year: int,
    this_year: int,
) -> list[ChairYear]:
    """Chairs from ``first_year`` to ``last_year``: recorded years as held, the rest computed.

    After the last recorded year the turn passes to the next state in ``order``, skipping
    states that are not full members and states that declined that year's turn.
    """
    years: list[ChairYear] = []
    last_held = max(held, default=None)
    pointer = order.index(held[last_held]) + 1 if last_held is not None else 0
    for year in range(first_year, last_year + 1):
        if year in held:
            status = "current" if year == this_year else "held"
            years.append(ChairYear(year, held[year], status))
            continue
        if last_held is not None and year < last_held:
            continue
        chosen = None
        for step in range(len(order)):
            candidate = order[(pointer + step) % len(order)]
            if candidate in eligible and (year, candidate) not in declined:
                chosen = candidate
                pointer = (pointer + step + 1) % len(order)
                break
        status = "current" if year == this_year else ("held" if year < this_year else "planned")
        years.append(ChairYear(year, chosen, status if chosen else "vacant"))
    return years
