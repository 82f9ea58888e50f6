"""Messages stored untranslated and shown in the reader's language."""

from __future__ import annotations

from typing import Any

from accord.i18n import current_language, translations


def render_message(message: str, params: dict[str, Any], language: str | None = None) -> str:
    """``message`` translated into ``language`` (default: the current one), params filled in."""
    text = translations(language or current_language()).gettext(message)
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text
