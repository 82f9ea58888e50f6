"""Situation reports through a browser: an analyst drafts one from the crisis page, edits it,
issues it and downloads its PDF; another state's analyst watching the crisis sees it arrive live.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, expect
from pypdf import PdfReader

from tests.e2e.conftest import PASSWORD, LiveServer

pytestmark = pytest.mark.browser

OFFICER, ANALYST, WATCHER = "tjk.duty", "tjk.analyst", "kaz.analyst"
LIVE = 30_000


def logged_in(browser: Browser, accord: LiveServer, username: str) -> BrowserContext:
    context = browser.new_context(base_url=accord.url, locale="en-GB", accept_downloads=True)
    context.set_default_timeout(LIVE)
    page = context.new_page()
    page.goto("/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    expect(page.get_by_test_id("who")).to_be_visible()
    page.close()
    return context


def open_crisis(accord: LiveServer) -> str:
    token = accord.issue_token(OFFICER)
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=accord.url, headers=headers, timeout=30) as api:
        incident = api.post(
            "/api/v1/incidents",
            json={
                "area": "emergency",
                "title": "Earthquake near Dushanbe",
                "occurred_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
                "severity": "Extreme",
                "country": "TJK",
                "location": {"type": "Point", "coordinates": [68.78, 38.56]},
                "classification": "RESTRICTED",
                "releasable_to": ["ALL"],
            },
        )
        assert incident.status_code == 201, incident.text
        crisis = api.post(
            "/api/v1/crises",
            json={"title": "Earthquake in Tajikistan", "incident_ids": [incident.json()["id"]]},
        )
        assert crisis.status_code == 201, crisis.text
        return crisis.json()["id"]


def test_an_analyst_drafts_edits_issues_and_downloads_a_report(
    chromium_browser: Browser, live_server: LiveServer
):
    live_server.add_user(OFFICER, state="TJK", roles=["duty_officer"], clearance="CONFIDENTIAL")
    live_server.add_user(ANALYST, state="TJK", roles=["analyst"], clearance="CONFIDENTIAL")
    live_server.add_user(WATCHER, state="KAZ", roles=["analyst"], clearance="CONFIDENTIAL")
    crisis_id = open_crisis(live_server)
    watcher = logged_in(chromium_browser, live_server, WATCHER).new_page()
    watcher.goto(f"/crises/{crisis_id}")
    expect(watcher.locator(".live-dot.on")).to_have_count(1)
    reports = watcher.get_by_test_id("crisis-sitreps")
    expect(reports).to_be_visible()
    expect(watcher.get_by_test_id("draft-sitrep")).to_have_count(0)  # not Kazakhstan's crisis

    analyst = logged_in(chromium_browser, live_server, ANALYST).new_page()
    analyst.goto(f"/crises/{crisis_id}")
    analyst.get_by_test_id("draft-sitrep").locator("button[type=submit]").click()
    expect(analyst.get_by_test_id("sitrep-editor")).to_be_visible()
    conditions = analyst.locator("textarea[name=conditions]")
    expect(conditions).to_contain_text("Earthquake near Dushanbe")
    conditions.fill("A strong earthquake hit the capital region.")
    analyst.get_by_test_id("sitrep-editor").locator("button.primary").click()
    expect(analyst.locator("p.notice")).to_be_visible()
    analyst.get_by_test_id("issue-sitrep").locator("button").click()
    expect(analyst.get_by_test_id("sitrep")).to_have_attribute("data-status", "issued")
    expect(analyst.get_by_test_id("sitrep-conditions")).to_contain_text("strong earthquake")
    expect(analyst.locator(".banner").first).to_have_attribute("data-classification", "RESTRICTED")

    with analyst.expect_download() as download:
        analyst.get_by_test_id("pdf-ru").click()
    pages = [page.extract_text() for page in PdfReader(download.value.path()).pages]
    assert all(page.count("RESTRICTED") >= 2 for page in pages)
    assert "Обстановка" in pages[0] and "strong earthquake" in pages[0]

    # The Kazakh analyst's crisis page lists the report without reloading.
    listed = watcher.get_by_test_id("crisis-sitreps").locator("a")
    expect(listed).to_contain_text(["Situation report No. 1"], timeout=LIVE)
