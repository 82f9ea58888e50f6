"""The joint press centre through browsers: a release drafted in English and Russian that links
the Minsk session, approved and published by a second press officer, reaches a visitor who is
not logged in on the public site and in the Atom feed; a restricted decision cannot be linked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import PASSWORD, LiveServer

pytestmark = pytest.mark.browser

AUTHOR, EDITOR, SECRETARY = "press.author", "press.editor", "org.clerk"
PATIENCE = 30_000
RELEASE_PAGE = re.compile(r"/press/([0-9a-f-]{36})\?saved=draft$")
EN_TITLE = "Council session held in Minsk"
RU_TITLE = "Сессия Совета прошла в Минске"


@pytest.fixture(scope="module", autouse=True)
def patient_assertions() -> Iterator[None]:
    expect.set_options(timeout=PATIENCE)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture(scope="module")
def accord(module_live_server: LiveServer) -> LiveServer:
    for name in (AUTHOR, EDITOR):
        module_live_server.add_user(name, state="ORG", roles=["press"], clearance="RESTRICTED")
    module_live_server.add_user(SECRETARY, state="ORG", roles=["secretariat"], clearance="SECRET")
    return module_live_server


@pytest.fixture(scope="module")
def council_records(accord: LiveServer) -> dict[str, str]:
    """The Minsk session (public) and a restricted decision, made through the council's API."""
    token = accord.issue_token(SECRETARY)
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=accord.url, headers=headers, timeout=30) as api:
        session = api.post(
            "/api/v1/sessions",
            json={
                "title": "Minsk session of the Collective Security Council",
                "held_on": "2023-11-23",
                "city": "Minsk",
                "public": True,
                "classification": "PUBLIC",
                "releasable_to": ["ALL"],
            },
        )
        assert session.status_code == 201, session.text
        decision = api.post(
            "/api/v1/decisions",
            json={
                "title": "On the deployment of the collective forces",
                "texts": {"en": "Restricted text"},
                "body": "csc",
                "classification": "RESTRICTED",
                "releasable_to": ["ALL"],
            },
        )
        assert decision.status_code == 201, decision.text
    return {"session": session.json()["id"], "decision": decision.json()["id"]}


def logged_in(browser: Browser, accord: LiveServer, username: str) -> BrowserContext:
    context = browser.new_context(base_url=accord.url, locale="en-GB")
    context.set_default_timeout(PATIENCE)
    page = context.new_page()
    page.goto("/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    expect(page.get_by_test_id("who")).to_be_visible()
    page.close()
    return context


def fill_texts(page: Page, en: tuple[str, str], ru: tuple[str, str]) -> None:
    page.locator("input[name=en_title]").fill(en[0])
    page.locator("textarea[name=en_body]").fill(en[1])
    page.locator("input[name=ru_title]").fill(ru[0])
    page.locator("textarea[name=ru_body]").fill(ru[1])


def test_a_release_goes_from_draft_to_the_public_site_and_its_feed(
    chromium_browser: Browser, accord: LiveServer, council_records: dict[str, str]
):
    author = logged_in(chromium_browser, accord, AUTHOR)
    page = author.new_page()
    page.goto("/press/new")
    fill_texts(
        page,
        (EN_TITLE, "The heads of state met in Minsk and signed fifteen documents."),
        (RU_TITLE, "Главы государств встретились в Минске и подписали пятнадцать документов."),
    )
    page.get_by_label(re.compile("Minsk session of the Collective Security Council")).check()
    page.get_by_role("button", name="Save draft").click()
    expect(page).to_have_url(RELEASE_PAGE)
    release_url = page.url.split("?")[0]
    expect(page.locator("[data-kind=session]")).to_contain_text("Minsk session")
    page.locator("button[data-action=submit]").click()
    expect(page.locator("article[data-language=ru] [data-status]")).to_have_attribute(
        "data-status", "in_review"
    )
    expect(page.locator("button[data-action=approve]")).to_be_visible()
    page.locator("button[data-action=approve]").click()
    expect(page.locator(".error-box")).to_contain_text("other than the author")
    author_page = author.new_page()
    author_page.goto(release_url)
    expect(author_page.locator(".live-dot.on")).to_have_count(1)

    editor = logged_in(chromium_browser, accord, EDITOR)
    page = editor.new_page()
    page.goto(release_url)
    page.locator("button[data-action=approve]").click()
    expect(page.locator("article[data-language=en] [data-status]")).to_have_attribute(
        "data-status", "approved"
    )
    page.locator("button[data-action=publish]").click()
    expect(page.locator("article[data-language=ru] [data-status]")).to_have_attribute(
        "data-status", "published"
    )
    expect(page.locator("#history tbody tr")).to_have_count(6)
    editor.close()
    # The author's open page hears of the editor's steps and offers to reload.
    expect(author_page.locator("#live-notice")).to_be_visible()
    author.close()

    visitor = chromium_browser.new_context(base_url=accord.url, locale="en-GB")
    visitor.set_default_timeout(PATIENCE)
    page = visitor.new_page()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name=EN_TITLE)).to_be_visible()
    page.get_by_role("link", name=EN_TITLE).click()
    expect(page.locator("article h1")).to_have_text(EN_TITLE)
    expect(page.locator(".public-links")).to_contain_text("Minsk session")
    page.goto("/public/releases?lang=ru")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("link", name=RU_TITLE)).to_be_visible()
    feeds = page.locator("link[rel=alternate][type='application/atom+xml']")
    expect(feeds).to_have_count(2)
    for language, title in (("en", EN_TITLE), ("ru", RU_TITLE)):
        feed = page.request.get(f"/public/feed.{language}.atom")
        assert feed.ok and feed.headers["content-type"].startswith("application/atom+xml")
        assert title in feed.text()
    assert "On the deployment" not in page.content()
    visitor.close()


def test_linking_a_restricted_decision_is_refused(
    chromium_browser: Browser, accord: LiveServer, council_records: dict[str, str]
):
    author = logged_in(chromium_browser, accord, AUTHOR)
    page = author.new_page()
    page.goto("/press/new")
    assert "On the deployment" not in page.content()
    fill_texts(page, ("Forces deployed", "Text."), ("Силы развёрнуты", "Текст."))
    page.locator("input[name=link_other]").fill(f"decision:{council_records['decision']}")
    page.get_by_role("button", name="Save draft").click()
    error = page.locator(".error-box")
    expect(error).to_contain_text("PUBLIC")
    expect(error).to_have_attribute("data-field", "links.0")
    expect(page).to_have_url(re.compile(r"/press/new$"))
    page.goto("/press")
    expect(page.locator("#releases")).not_to_contain_text("Forces deployed")
    author.close()


def test_public_pages_fit_a_phone_screen(chromium_browser: Browser, accord: LiveServer):
    phone = chromium_browser.new_context(
        base_url=accord.url, viewport={"width": 375, "height": 740}, locale="ru-RU"
    )
    page = phone.new_page()
    for path in ("/", "/public/releases", "/public/sessions", "/public/states"):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", "ru")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width} px wide on a 375 px screen"
    phone.close()


HOME_HEAD = {
    "en": ("Public site", "Public site of the organisation: press releases"),
    "ru": ("Открытый сайт", "Открытый сайт организации: пресс-релизы"),
}


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_public_home_on_a_phone_is_marked_for_its_language_and_fits(
    chromium_browser: Browser, accord: LiveServer, language: str
):
    phone = chromium_browser.new_context(
        base_url=accord.url,
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        locale="en-GB",
    )
    page = phone.new_page()
    page.goto(f"/?lang={language}")
    title, description = HOME_HEAD[language]
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page).to_have_title(re.compile(rf"^{title} · \S"))
    meta = page.locator("meta[name=description]")
    expect(meta).to_have_attribute("content", re.compile(rf"^{description}"))
    expect(page.locator("meta[name=viewport]")).to_have_attribute(
        "content", "width=device-width, initial-scale=1"
    )
    overflow = page.evaluate(
        """() => ({
            page: document.documentElement.scrollWidth,
            wide: [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .map(e => e.tagName + '.' + e.className).slice(0, 5),
        })"""
    )
    assert overflow["page"] <= 390, f"{overflow['page']} px wide on a 390 px screen"
    assert overflow["wide"] == [], f"wider than the screen: {overflow['wide']}"
    # The other language is one tap away, and keeps the visitor on the same page.
    other = "ru" if language == "en" else "en"
    page.locator(f".public-tools a[hreflang={other}]").click()
    expect(page.locator("html")).to_have_attribute("lang", other)
    phone.close()
