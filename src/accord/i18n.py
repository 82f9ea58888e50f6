"""Translations: English in the code, Russian from ``locale/ru``; the language per request."""

from __future__ import annotations

import gettext
import io
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("en", "ru")
LOCALE_DIR = Path(__file__).parent / "locale"
_active: ContextVar[str] = ContextVar("accord_language", default="en")


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalogue for ``language``, compiled in memory from its .po file."""
    po_file = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == "en" or not po_file.exists():
        return gettext.NullTranslations()
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def set_language(language: str) -> None:
    _active.set(language if language in LANGUAGES else "en")


def current_language() -> str:
    return _active.get()


def current_locale() -> Locale:
    return Locale.parse(current_language())


def gettext_(message: str) -> str:
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language()).ngettext(singular, plural, n)


def pick_language(accept_language: str | None) -> str:
    """The first working language named in an Accept-Language header, else English."""
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "en"


_ = gettext_
