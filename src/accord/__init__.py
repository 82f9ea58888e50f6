"""Accord: the working system of a collective security organisation."""

__version__ = "0.1.0"
