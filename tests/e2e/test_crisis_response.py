"""The crisis response of issue 4 through browsers, as the demo's exercise also has it.

Tajikistan's duty officer reports an earthquake on the form, opens a crisis from it and asks for
two medium rescue teams and a field hospital; Kazakhstan's officer is notified, sees the rescue
team it registered match, offers one; Russia offers the field hospital; Tajikistan accepts both;
the secretariat declares the crisis on its page; the deployments move to en route and appear on
the crisis map live; an analyst drafts and issues a situation report and downloads its PDF.

The request, offers, answers and deployment moves go through the assistance API with each
officer's token: the assistance pages are not written yet.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import PASSWORD, LiveServer

pytestmark = pytest.mark.browser

LIVE = 30_000
EXPECT_DEFAULT_TIMEOUT = 5_000
TAJIK, KAZAKH, RUSSIAN = "tjk.duty", "kaz.duty", "rus.duty"
SECRETARIAT, ANALYST = "org.secretariat", "org.analyst"
CRISIS_PAGE = re.compile(r"/crises/([0-9a-f-]{36})\?saved=opened$")
SITREP_PAGE = re.compile(r"/sitreps/([0-9a-f-]{36})")
DUSHANBE = (38.5598, 68.7870)


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
    """One user's browser context and API token."""

    def __init__(self, browser: Browser, accord: LiveServer, username: str) -> None:
        self.context: BrowserContext = browser.new_context(base_url=accord.url, locale="en-GB")
        self.context.set_default_timeout(LIVE)
        page = self.context.new_page()
        page.goto("/login")
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("form[action='/login'] button[type=submit]").click()
        expect(page.get_by_test_id("who")).to_be_visible()
        page.close()
        self.api = httpx.Client(
            base_url=accord.url,
            headers={"Authorization": f"Bearer {accord.issue_token(username)}"},
            timeout=30,
        )

    def open(self, path: str) -> Page:
        page = self.context.new_page()
        page.goto(path)
        return page

    def call(self, method: str, path: str, json=None) -> dict:
        answer = self.api.request(method, path, json=json)
        assert answer.status_code < 300, answer.text
        return answer.json()

    def close(self) -> None:
        self.api.close()
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


def test_the_earthquake_exercise_from_report_to_situation_report(people):
    tajik, kazakh, russian = people[TAJIK], people[KAZAKH], people[RUSSIAN]
    kazakh.call(
        "POST",
        "/api/v1/capabilities",
        {"capability": "usar_medium", "quantity": 2, "readiness_hours": 12, "home_base": "Almaty"},
    )

    page = tajik.open("/incidents/new")
    report_the_earthquake(page)
    crisis_id = open_the_crisis(page)
    expect(page.get_by_test_id("crisis-incidents")).to_contain_text("Earthquake of magnitude 6.8")
    move(page, "consultations", "We need rescue teams and a hospital")

    needed_by = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    request = tajik.call(
        "POST",
        "/api/v1/assistance-requests",
        {
            "crisis_id": crisis_id,
            "title": "Rescue and medical care for Dushanbe",
            "contact": "Situation centre of Tajikistan",
            "need_lines": [
                {
                    "capability": "usar_medium",
                    "quantity": 2,
                    "place": "Dushanbe",
                    "latitude": DUSHANBE[0],
                    "longitude": DUSHANBE[1],
                    "needed_by": needed_by,
                },
                {
                    "capability": "field_hospital",
                    "quantity": 1,
                    "place": "Dushanbe",
                    "latitude": DUSHANBE[0],
                    "longitude": DUSHANBE[1],
                    "needed_by": needed_by,
                },
            ],
        },
    )
    rescue, hospital = request["need_lines"]

    notifications = kazakh.open("/notifications")
    expect(notifications.locator("main")).to_contain_text("Rescue and medical care for Dushanbe")
    matches = kazakh.call("GET", f"/api/v1/assistance-requests/{request['id']}/matches")
    assert [m["capability"] for m in matches["items"]] == ["usar_medium"]
    arrival = (datetime.now(UTC) + timedelta(hours=12)).isoformat()
    offers = [
        kazakh.call(
            "POST",
            "/api/v1/offers",
            {"need_line_id": rescue["id"], "quantity": 1, "arrival_at": arrival},
        ),
        russian.call(
            "POST",
            "/api/v1/offers",
            {"need_line_id": hospital["id"], "quantity": 1, "arrival_at": arrival},
        ),
    ]
    accepted = [
        tajik.call("POST", f"/api/v1/offers/{offer['id']}/response", {"response": "accepted"})
        for offer in offers
    ]

    declaring = people[SECRETARIAT].open(f"/crises/{crisis_id}")
    move(declaring, "declared", "The need exceeds the means of one state")

    watching = tajik.open(f"/crises/{crisis_id}")
    expect(watching.locator(".live-dot.on")).to_have_count(1)
    expect(watching.get_by_test_id("crisis-level")).to_have_attribute("data-level", "declared")
    for officer, answer, where in (
        (kazakh, accepted[0], (41.0, 73.5)),
        (russian, accepted[1], (45.0, 62.0)),
    ):
        deployment = officer.call("GET", f"/api/v1/deployments/{answer['deployment_id']}")
        officer.call(
            "PATCH",
            f"/api/v1/deployments/{deployment['id']}",
            {
                "version": deployment["version"],
                "status": "en_route",
                "position": {"latitude": where[0], "longitude": where[1]},
            },
        )
    # Live: the page refreshes its parts and redraws the map with both deployments.
    expect(watching.locator("path.map-deployment")).to_have_count(2)
    expect(watching.locator("path.map-incident")).to_have_count(1)

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
