"""Assistance through browsers: a request reaches the Kazakh duty officer live, who sees the
matching rescue team and offers it; the Tajik officer sees the offer arrive and accepts it; the
Armenian, to whom the request is not released, never sees it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import PASSWORD, LiveServer

pytestmark = pytest.mark.browser

TAJIK, KAZAKH, ARMENIAN = "tjk.duty", "kaz.duty", "arm.duty"
LIVE = 30_000
EXPECT_DEFAULT_TIMEOUT = 5_000

OpenPage = Callable[[str, str], Page]


@pytest.fixture(scope="module", autouse=True)
def patient_assertions() -> Iterator[None]:
    expect.set_options(timeout=LIVE)
    yield
    expect.set_options(timeout=EXPECT_DEFAULT_TIMEOUT)


@pytest.fixture(scope="module")
def accord(module_live_server: LiveServer) -> LiveServer:
    for name, state in ((TAJIK, "TJK"), (KAZAKH, "KAZ"), (ARMENIAN, "ARM")):
        module_live_server.add_user(
            name, state=state, roles=["duty_officer"], clearance="CONFIDENTIAL"
        )
    return module_live_server


def api(accord: LiveServer, username: str) -> httpx.Client:
    token = accord.issue_token(username)
    return httpx.Client(
        base_url=accord.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


def logged_in_context(browser: Browser, accord: LiveServer, username: str) -> BrowserContext:
    context = browser.new_context(base_url=accord.url, locale="en-GB")
    context.set_default_timeout(LIVE)
    page = context.new_page()
    page.goto("/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    expect(page.get_by_test_id("who")).to_be_visible()
    page.close()
    return context


@pytest.fixture
def open_page(chromium_browser: Browser, accord: LiveServer) -> Iterator[OpenPage]:
    contexts: dict[str, BrowserContext] = {}

    def open_as(username: str, path: str) -> Page:
        if username not in contexts:
            contexts[username] = logged_in_context(chromium_browser, accord, username)
        page = contexts[username].new_page()
        page.goto(path)
        return page

    yield open_as
    for context in contexts.values():
        context.close()


def listening(page: Page) -> Page:
    expect(page.locator(".live-dot.on")).to_have_count(1)
    page.evaluate(
        """() => {
            window.sameDocument = true;
            window.heard = [];
            document.addEventListener("accord:event", (event) => {
                window.heard.push(event.detail.subject);
            });
        }"""
    )
    return page


def test_a_request_is_offered_against_and_accepted_live(accord: LiveServer, open_page) -> None:
    tajik, kazakh = api(accord, TAJIK), api(accord, KAZAKH)
    crisis = tajik.post(
        "/api/v1/crises",
        json={"title": "Earthquake near Gharm", "mode": "exercise", "affected_states": ["TJK"]},
    )
    assert crisis.status_code == 201, crisis.text
    held = kazakh.post(
        "/api/v1/capabilities",
        json={
            "capability": "usar_medium",
            "quantity": 1,
            "readiness_hours": 12,
            "home_base": "Almaty",
        },
    )
    assert held.status_code == 201, held.text

    kazakh_overview = listening(open_page(KAZAKH, "/assistance"))
    armenian_overview = listening(open_page(ARMENIAN, "/assistance"))
    needed_by = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    posted = tajik.post(
        "/api/v1/assistance-requests",
        json={
            "crisis_id": crisis.json()["id"],
            "title": "Two medium rescue teams for Gharm",
            "contact": "Dushanbe situation centre",
            "classification": "RESTRICTED",
            "releasable_to": ["KAZ", "RUS", "ORG"],
            "need_lines": [
                {"capability": "usar_medium", "quantity": 2, "place": "Gharm",
                 "needed_by": needed_by},
            ],
        },
    )  # fmt: skip
    assert posted.status_code == 201, posted.text
    request_id = posted.json()["id"]

    expect(kazakh_overview.get_by_text("Two medium rescue teams for Gharm")).to_be_visible()
    assert kazakh_overview.evaluate("window.sameDocument") is True
    kazakh_overview.get_by_role("link", name="Two medium rescue teams for Gharm").click()
    expect(kazakh_overview.get_by_test_id("matches")).to_contain_text("Almaty")

    tajik_page = listening(open_page(TAJIK, f"/assistance/requests/{request_id}"))
    form = kazakh_overview.get_by_test_id("offer-form")
    form.locator("input[name=quantity]").fill("1")
    arrival = (datetime.now(UTC) + timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M")
    form.locator("input[name=arrival_at]").fill(arrival)
    form.get_by_role("button", name="Offer").click()
    expect(kazakh_overview.get_by_text("Offer sent.")).to_be_visible()

    offers = tajik_page.get_by_test_id("offers")
    expect(offers).to_contain_text("Kazakhstan")
    assert tajik_page.evaluate("window.sameDocument") is True
    offers.get_by_role("button", name="Accept", exact=True).click()
    expect(tajik_page.get_by_test_id("offer-status")).to_contain_text("accepted")
    expect(tajik_page.get_by_test_id("gap")).to_have_text("1")

    # The Armenian heard later events (the Kazakh register) but never the request.
    assert request_id not in armenian_overview.evaluate("window.heard")
    expect(armenian_overview.get_by_text("Two medium rescue teams for Gharm")).to_have_count(0)
    assert api(accord, ARMENIAN).get(f"/api/v1/assistance-requests/{request_id}").status_code == 404
