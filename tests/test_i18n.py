"""The Russian catalogue covers every message in the code, and pages in Russian show no English."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from accord import i18n
from tests.factories import add_user, login

ROOT = Path(__file__).resolve().parents[1]
RUSSIAN_PO = ROOT / "src/accord/locale/ru/LC_MESSAGES/messages.po"
# The same keywords as scripts/extract-messages.sh gives pybabel.
KEYWORDS = {**DEFAULT_KEYWORDS, "gettext_": None, "ngettext": (1, 2), "N_": None}
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%(?:\([^)]*\))?[sdif]")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# Markings are codes in every language, like the classification levels.
KEPT_AS_CODES = {"REL TO"}


def extracted_messages() -> dict[tuple[str, str | None], tuple[str, ...]]:
    """Every message the sources mark for translation (msgid, context), with where it comes from."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: dict[tuple[str, str | None], set[str]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message if isinstance(message, str) else message[0]
        found.setdefault((msgid, context), set()).add(f"{filename}:{lineno}")
    return {key: tuple(sorted(places)) for key, places in found.items()}


def russian_catalogue() -> Catalog:
    return i18n.merged_catalogue("ru")


def translated(message: Message | None) -> bool:
    if message is None or message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(text.strip() for text in strings)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_every_message_in_the_code_has_a_russian_translation():
    catalogue = russian_catalogue()
    extracted = extracted_messages()
    assert len(extracted) > 50, "extraction found too little: check babel.cfg"
    missing = [
        f"{msgid!r} ({', '.join(places)})"
        for (msgid, context), places in sorted(extracted.items(), key=lambda item: item[0][0])
        if not translated(catalogue.get(msgid, context=context))
    ]
    assert not missing, (
        "untranslated messages; run scripts/extract-messages.sh and translate them in "
        f"{RUSSIAN_PO.parent.relative_to(ROOT)} (messages.po or the domain's own .po file):\n"
        + "\n".join(missing)
    )


def test_translations_keep_the_placeholders_of_the_original():
    wrong = []
    for message in russian_catalogue():
        if not message.id or not message.string:
            continue
        originals = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = placeholders(originals[-1])
        for text in strings:
            if placeholders(text) != expected and placeholders(text) != placeholders(originals[0]):
                wrong.append(f"{originals[0]!r} -> {text!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def needs_russian_words(msgid: str) -> bool:
    return msgid not in KEPT_AS_CODES and re.search(r"[A-Za-z]{3,}", PLACEHOLDER.sub("", msgid))


def test_russian_translations_are_russian_text():
    not_russian = [
        message.id
        for message in russian_catalogue()
        if isinstance(message.id, str)
        and message.string
        and needs_russian_words(message.id)
        and not CYRILLIC.search(message.string)
    ]
    assert not_russian == []


def test_the_compiled_catalogue_answers_in_the_language_of_the_request():
    i18n.set_language("ru")
    try:
        assert i18n._("Log out") == "Выйти"
        assert i18n._("Logged in as {name}, {state}.").format(name="a", state="b") == (
            "Вы вошли как a, b."
        )
    finally:
        i18n.set_language("en")
    assert i18n._("Log out") == "Log out"


# Pages rendered in Russian


class VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes and labelling attributes, not scripts."""

    ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "content")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.html_lang: str | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.html_lang = values.get("lang")
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "meta" and values.get("name") != "description":
            return
        self.parts.extend(values[name] or "" for name in self.ATTRIBUTES if values.get(name))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(data.strip())

    @classmethod
    def of(cls, html: str) -> VisibleText:
        parser = cls()
        parser.feed(html)
        return parser

    @property
    def text(self) -> str:
        return "\n".join(self.parts)


def catalogue_phrases_in(text: str) -> set[str]:
    """Messages of the catalogue that appear, as whole words, in ``text``."""
    found = set()
    for message in russian_catalogue():
        if not isinstance(message.id, str) or PLACEHOLDER.search(message.id):
            continue
        if not message.id or message.id in KEPT_AS_CODES:
            continue
        if re.search(rf"(?<![\w-]){re.escape(message.id)}(?![\w-])", text):
            found.add(message.id)
    return found


async def page_in(client, path: str, language: str) -> VisibleText:
    client.cookies.set("accord_lang", language)
    answer = await client.get(path)
    assert answer.status_code == 200, answer.text
    return VisibleText.of(answer.text)


@pytest.fixture
async def admin_client(client):
    await add_user(
        client.app.state.db,
        username="org.admin",
        display_name="Aida Admin",
        state="KAZ",
        roles=["admin", "analyst"],
    )
    await login(client, "org.admin")
    return client


async def test_home_page_in_russian_shows_no_english_interface_text(admin_client):
    english = await page_in(admin_client, "/", "en")
    russian = await page_in(admin_client, "/", "ru")

    assert russian.html_lang == "ru"
    for phrase in ("Государства-члены", "Председательство", "Органы", "Выйти", "Казахстан"):
        assert phrase in russian.text
    assert "Вы вошли как Aida Admin, Казахстан." in russian.text
    assert "Совет коллективной безопасности" in russian.text
    shown_in_english = catalogue_phrases_in(english.text)
    assert {"Member states", "Chairmanship", "Log out", "Event log"} <= shown_in_english
    assert catalogue_phrases_in(russian.text) == set()
    assert "Logged in as" not in russian.text


async def test_login_page_in_russian_shows_no_english_interface_text(client):
    english = await page_in(client, "/login", "en")
    russian = await page_in(client, "/login", "ru")

    assert russian.html_lang == "ru"
    for phrase in ("Имя пользователя", "Пароль", "Войти"):
        assert phrase in russian.text
    assert {"Username", "Password", "Log in"} <= catalogue_phrases_in(english.text)
    assert catalogue_phrases_in(russian.text) == set()


async def test_error_messages_follow_the_language_of_the_request(client):
    client.cookies.set("accord_lang", "ru")
    answer = await client.post(
        "/login",
        data={"username": "nobody", "password": "wrong-password", "csrf_token": "forged"},
    )
    assert "обновите страницу" in answer.text
    assert "reload the page" not in answer.text
