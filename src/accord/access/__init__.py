"""The one place that decides who may see and change a record."""

from accord.access.levels import EVERYONE, SECRETARIAT, Classification, highest
from accord.access.rules import Viewer, can_change, can_see, visible

__all__ = [
    "EVERYONE",
    "SECRETARIAT",
    "Classification",
    "Viewer",
    "can_change",
    "can_see",
    "highest",
    "visible",
]
