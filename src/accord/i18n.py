"""Translations: English in the code, Russian from ``locale/ru``; the language per request."""

from __future__ import annotations

import gettext
import io
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("en", "ru")
LOCALE_DIR = Path(__file__).parent / "locale"
_active: ContextVar[str] = ContextVar("accord_language", default="en")


def catalogue_files(language: str) -> list[Path]:
    """The catalogues of ``language``: ``messages.po`` and one more file per domain."""
    return sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po"))


def merged_catalogue(language: str) -> Catalog:
    """Every .po file of ``language`` as one catalogue; a translation wins over an empty entry."""
    merged = Catalog(locale=language)
    for po_file in catalogue_files(language):
        with po_file.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for message in catalog:
            if not message.id:
                continue
            known = merged.get(message.id, context=message.context)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            complete = not message.fuzzy and all(text.strip() for text in strings)
            if known is None or complete:
                merged[message.id] = message
    return merged


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalogue for ``language``, compiled in memory from its .po files."""
    if language == "en" or not catalogue_files(language):
        return gettext.NullTranslations()
    buffer = io.BytesIO()
    write_mo(buffer, merged_catalogue(language))
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


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it now (it is stored, shown later)."""
    return message


_ = gettext_
