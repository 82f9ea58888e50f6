"""Classification levels, ordered, and the codes of the parties that own records."""

from __future__ import annotations

from enum import IntEnum

from accord.errors import InvalidInput

SECRETARIAT = "ORG"
EVERYONE = "ALL"


class Classification(IntEnum):
    """PUBLIC < RESTRICTED < CONFIDENTIAL < SECRET."""

    PUBLIC = 0
    RESTRICTED = 1
    CONFIDENTIAL = 2
    SECRET = 3

    @classmethod
    def parse(cls, value: object, *, field: str = "classification") -> Classification:
        if isinstance(value, cls):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return cls(value)
        try:
            return cls[str(value)]
        except KeyError:
            names = ", ".join(level.name for level in cls)
            raise InvalidInput(
                f"unknown level {value!r}; use one of {names}", field=field
            ) from None

    def __str__(self) -> str:
        return self.name


def highest(levels) -> Classification:
    """The highest of ``levels``: what a page combining them must be marked."""
    return max((Classification.parse(level) for level in levels), default=Classification.PUBLIC)
