"""State machines written as data: which moves exist and which roles may make each.

Every lifecycle in Accord (a crisis's escalation, a request, an offer, a deployment, a decision,
a press release) is one ``Workflow`` built from a table of moves, so the rule lives in one place
and an illegal move is refused with the same clear message everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from accord.errors import Conflict, Forbidden
from accord.i18n import _

ANY_ROLE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Move:
    """One allowed move; ``roles`` empty means any role that may change the record."""

    source: str
    target: str
    roles: frozenset[str] = ANY_ROLE


class Workflow:
    """The states a record of one kind passes through, and the moves between them."""

    def __init__(self, name: str, states: Iterable[str], moves: Iterable[Move]) -> None:
        self.name = name
        self.states = tuple(states)
        self._moves = {(move.source, move.target): move for move in moves}
        for source, target in self._moves:
            if source not in self.states or target not in self.states:
                raise ValueError(f"{name}: move {source} -> {target} names an unknown state")

    def targets(self, current: str, roles: Iterable[str] | None = None) -> list[str]:
        """The states reachable from ``current`` in one move (by ``roles``, when given)."""
        held = None if roles is None else frozenset(roles)
        return [
            target
            for (source, target), move in self._moves.items()
            if source == current and (held is None or _allowed(move, held))
        ]

    def check(self, current: str, target: str, roles: Iterable[str]) -> Move:
        """The move from ``current`` to ``target``, or the error that refuses it."""
        move = self._moves.get((current, target))
        if move is None:
            possible = ", ".join(self.targets(current)) or _("none")
            raise Conflict(
                _(
                    "{name} cannot move from '{current}' to '{target}'; "
                    "from '{current}' it can move to: {possible}"
                ).format(name=self.name, current=current, target=target, possible=possible),
                field="status",
            )
        if not _allowed(move, frozenset(roles)):
            raise Forbidden(
                _("moving {name} from '{current}' to '{target}' needs the role: {roles}").format(
                    name=self.name,
                    current=current,
                    target=target,
                    roles=", ".join(sorted(move.roles)),
                )
            )
        return move


def _allowed(move: Move, roles: frozenset[str]) -> bool:
    return not move.roles or bool(move.roles & roles)
