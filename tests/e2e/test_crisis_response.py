"""The crisis response of issue 4 through browsers, every step on the pages, as the demo has it.

Kazakhstan registers a medium rescue team; Tajikistan's duty officer reports an earthquake on
the form, opens a crisis from it and, from the crisis page, asks for two medium rescue teams and
a field hospital on the request form; Kazakhstan's officer sees the notification arrive (the
badge), follows it to the request, sees the rescue team it registered match and offers one;
Russia offers the field hospital; Tajikistan accepts both with the buttons; the secretariat
declares the crisis; the providing states move their deployments to en route with a position on
the deployment form and the deployments appear on the crisis map live; an analyst drafts and
issues a situation report and downloads its PDF.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import PASSWORD, LiveServer

pytestmark = pytest.mark.browser

LIVE = 30_000
EXPECT_DEFAULT_TIMEOUT = 5_000
TAJIK, KAZAKH, RUSSIAN = "tjk.duty", "kaz.duty", "rus.duty"
SECRETARIAT, ANALYST = "org.secretariat", "org.analyst"
CRISIS_PAGE = re.compile(r"/crises/([0-9a-f-]{36})\?saved=opened$")
REQUEST_PAGE = re.compile(r"/assistance/requests/([0-9a-f-]{36})(\?saved=\w+)?$")
SITREP_PAGE = re.compile(r"/sitreps/([0-9a-f-]{36})")
DUSHANBE = (38.5598, 68.7870)
TITLE = "Rescue and medical care for Dushanbe"


@pytest.fixture(scope="module", autouse=True)
def patient_assertions() -> Iterator[None]:
    expect.set_options(timeout=LIVE)
    yield
    expect.set_options(timeout=EXPECT_DEFAULT_TIMEOUT)


@pytest.fixture(scope="module")
def accord(module_live_server: LiveServer) -> LiveServer:
    for name, state, role in (
        (TAJIK, "TJK", "duty_officer"),
        (KAZAKH, "KAZ", "duty_officer"),
        (RUSSIAN, "RUS", "duty_officer"),
        (SECRETARIAT, "ORG", "secretariat"),
        (ANALYST, "ORG", "analyst"),
    ):
        module_live_server.add_user(name, state=state, roles=[role], clearance="CONFIDENTIAL")
    return module_live_server


class Officer:
    """One user's logged-in browser context."""

    def __init__(self, browser: Browser, accord: LiveServer, username: str) -> None:
        self.context: BrowserContext = browser.new_context(
            base_url=accord.url, locale="en-GB", accept_downloads=True
        )
        self.context.set_default_timeout(LIVE)
        page = self.context.new_page()
        page.goto("/login")
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("form[action='/login'] button[type=submit]").click()
        expect(page.get_by_test_id("who")).to_be_visible()
        page.close()

    def open(self, path: str) -> Page:
        page = self.context.new_page()
        page.goto(path)
        return page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def people(chromium_browser: Browser, accord: LiveServer) -> Iterator[dict[str, Officer]]:
    everyone = {
        name: Officer(chromium_browser, accord, name)
        for name in (TAJIK, KAZAKH, RUSSIAN, SECRETARIAT, ANALYST)
    }
    yield everyone
    for officer in everyone.values():
        officer.close()


def minutes(delta: timedelta) -> str:
    """A moment from now as a datetime-local field takes it (the forms are in UTC)."""
    return (datetime.now(UTC) + delta).strftime("%Y-%m-%dT%H:%M")


def live(page: Page) -> Page:
    expect(page.locator(".live-dot.on")).to_have_count(1)
    return page


def saved(page: Page):
    """The notice a page shows after a change was stored."""
    return page.locator("main p.notice[role=status]")


def register_a_rescue_team(page: Page) -> None:
    form = page.get_by_test_id("holding-form")
    form.locator("select[name=capability]").select_option("usar_medium")
    form.locator("input[name=quantity]").fill("2")
    form.locator("input[name=readiness_hours]").fill("12")
    form.locator("input[name=home_base]").fill("Almaty")
    form.get_by_role("button", name="Register").click()
    expect(page.get_by_test_id("register")).to_contain_text("Urban search and rescue, medium")


def report_the_earthquake(page: Page) -> None:
    form = page.locator("form.incident-form")
    form.locator("select[name=area]").select_option("emergency")
    form.locator("select[name=mode]").select_option("exercise")
    form.locator("input[name=title]").fill("Earthquake of magnitude 6.8 near Dushanbe")
    form.locator("select[name=severity]").select_option("Extreme")
    form.locator("select[name=country]").select_option("TJK")
    form.locator("input[name=latitude]").fill(str(DUSHANBE[0]))
    form.locator("input[name=longitude]").fill(str(DUSHANBE[1]))
    form.locator("select[name=classification]").select_option("RESTRICTED")
    form.locator("input[name=releasable_to][value=ALL]").check()
    page.get_by_role("button", name="Store the report").click()
    expect(page).to_have_url(re.compile(r"/incidents/[0-9a-f-]{36}\?saved=report$"))


def open_the_crisis(page: Page) -> str:
    page.get_by_test_id("open-crisis").click()
    expect(page.locator("form.crisis-form")).to_be_visible()
    form = page.locator("form.crisis-form")
    form.locator("input[name=title]").fill("Earthquake in Tajikistan")
    form.locator("select[name=mode]").select_option("exercise")
    form.locator("textarea[name=reason]").fill("Collapsed buildings across the south of the city")
    page.get_by_role("button", name="Open the crisis").click()
    expect(page).to_have_url(CRISIS_PAGE)
    return CRISIS_PAGE.search(page.url).group(1)


def move(page: Page, level: str, reason: str) -> None:
    page.locator("form.escalation-form textarea[name=reason]").fill(reason)
    page.get_by_test_id(f"move-{level}").click()
    expect(page.get_by_test_id("crisis-level")).to_have_attribute("data-level", level)


def request_assistance(page: Page) -> str:
    """From the crisis page: the request form, two lines, posted to every member."""
    page.get_by_test_id("assistance-panel").get_by_role("link", name="Request assistance").click()
    form = page.get_by_test_id("request-form")
    expect(form.locator("select[name=crisis_id] option:checked")).to_contain_text(
        "Earthquake in Tajikistan"
    )
    form.locator("input[name=title]").fill(TITLE)
    form.locator("input[name=contact]").fill("Situation centre of Tajikistan")
    for index, (capability, quantity) in enumerate((("usar_medium", 2), ("field_hospital", 1))):
        form.locator(f"select[name=capability_{index}]").select_option(capability)
        form.locator(f"input[name=quantity_{index}]").fill(str(quantity))
        form.locator(f"input[name=place_{index}]").fill("Dushanbe")
        form.locator(f"input[name=latitude_{index}]").fill(str(DUSHANBE[0]))
        form.locator(f"input[name=longitude_{index}]").fill(str(DUSHANBE[1]))
        form.locator(f"input[name=needed_by_{index}]").fill(minutes(timedelta(days=1)))
    form.locator("select[name=classification]").select_option("RESTRICTED")
    form.locator("select[name=releasable_to]").select_option(["ALL"])
    form.get_by_role("button", name="Post the request").click()
    expect(page).to_have_url(REQUEST_PAGE)
    expect(saved(page)).to_contain_text("every state that may see it")
    return REQUEST_PAGE.search(page.url).group(1)


def offer(page: Page, need: str) -> None:
    form = page.get_by_test_id("offer-form")
    form.locator("select[name=need_line_id]").select_option(label=need)
    form.locator("input[name=quantity]").fill("1")
    form.locator("input[name=arrival_at]").fill(minutes(timedelta(hours=12)))
    form.locator("textarea[name=conditions]").fill("Self-sufficient for ten days")
    form.get_by_role("button", name="Offer", exact=True).click()
    expect(saved(page)).to_contain_text("Offer sent.")


def accept(page: Page, state: str) -> None:
    row = page.get_by_test_id("offers").locator("tr", has_text=state)
    row.get_by_role("button", name="Accept", exact=True).click()
    expect(saved(page)).to_contain_text("Answer recorded.")
    expect(
        page.get_by_test_id("offers").locator("tr", has_text=state).get_by_test_id("offer-status")
    ).to_contain_text("accepted")


def set_out(page: Page, request_id: str, state: str, where: tuple[float, float]) -> None:
    """The providing state follows its accepted offer to the deployment and reports it en route."""
    page.goto(f"/assistance/requests/{request_id}")
    row = page.get_by_test_id("offers").locator("tr", has_text=state)
    row.get_by_role("link", name="deployment").click()
    form = page.get_by_test_id("deployment-form")
    form.locator("select[name=status]").select_option("en_route")
    form.locator("input[name=latitude]").fill(str(where[0]))
    form.locator("input[name=longitude]").fill(str(where[1]))
    form.get_by_role("button", name="Update").click()
    expect(saved(page)).to_contain_text("Deployment updated.")
    expect(page.get_by_test_id("deployment-status")).to_have_attribute("data-status", "en_route")


def test_the_earthquake_exercise_from_report_to_situation_report(people):
    tajik, kazakh, russian = people[TAJIK], people[KAZAKH], people[RUSSIAN]
    register_a_rescue_team(kazakh.open("/capabilities"))

    page = tajik.open("/incidents/new")
    report_the_earthquake(page)
    crisis_id = open_the_crisis(page)
    expect(page.get_by_test_id("crisis-incidents")).to_contain_text("Earthquake of magnitude 6.8")
    move(page, "consultations", "We need rescue teams and a hospital")

    waiting = live(kazakh.open("/assistance"))
    expect(waiting.get_by_test_id("unread-count")).to_have_count(0)
    request_id = request_assistance(page)

    # Kazakhstan: the badge, the notification, the request with its match, an offer.
    expect(waiting.get_by_test_id("unread-count")).to_have_text("1")
    expect(waiting.get_by_test_id("requests")).to_contain_text(TITLE)
    waiting.get_by_test_id("notifications-link").click()
    told = waiting.locator("#notifications tr", has_text=TITLE)
    told.get_by_role("button", name="Open").click()
    expect(waiting).to_have_url(re.compile(f"/assistance/requests/{request_id}$"))
    expect(waiting.get_by_test_id("matches")).to_contain_text("Urban search and rescue, medium")
    expect(waiting.get_by_test_id("matches")).to_contain_text("Almaty")
    offer(waiting, "Urban search and rescue, medium × 2 · Dushanbe")

    # Russia: from the list of requests to the field hospital.
    moscow = russian.open("/assistance")
    moscow.get_by_test_id("requests").get_by_role("link", name=TITLE).click()
    expect(moscow.get_by_test_id("matches")).to_have_count(0)
    offer(moscow, "Field hospital × 1 · Dushanbe")

    # Tajikistan accepts both on the request page.
    answering = tajik.open(f"/assistance/requests/{request_id}")
    expect(answering.get_by_test_id("offers").locator("tr[data-offer]")).to_have_count(2)
    accept(answering, "Kazakhstan")
    accept(answering, "Russia")
    for gap in answering.get_by_test_id("gap").all():
        expect(gap).to_have_text(re.compile(r"^[01]$"))

    declaring = people[SECRETARIAT].open(f"/crises/{crisis_id}")
    move(declaring, "declared", "The need exceeds the means of one state")

    watching = live(tajik.open(f"/crises/{crisis_id}"))
    expect(watching.get_by_test_id("crisis-level")).to_have_attribute("data-level", "declared")
    expect(watching.locator("path.map-deployment")).to_have_count(0)
    set_out(waiting, request_id, "Kazakhstan", (41.0, 73.5))
    set_out(moscow, request_id, "Russia", (45.0, 62.0))
    # Live: the page refreshes its parts and redraws the map with both deployments.
    expect(watching.locator("path.map-deployment")).to_have_count(2)
    expect(watching.locator("path.map-incident")).to_have_count(1)
    statuses = watching.get_by_test_id("deployments").get_by_test_id("deployment-status")
    expect(statuses).to_have_count(2)
    for status in statuses.all():
        expect(status).to_have_attribute("data-status", "en_route")

    analyst = people[ANALYST].open(f"/crises/{crisis_id}")
    analyst.get_by_test_id("draft-sitrep").get_by_role("button").click()
    expect(analyst).to_have_url(SITREP_PAGE)
    analyst.get_by_test_id("issue-sitrep").get_by_role("button").click()
    expect(analyst.get_by_test_id("pdf-en")).to_be_visible()
    with analyst.expect_download() as download:
        analyst.get_by_test_id("pdf-en").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
