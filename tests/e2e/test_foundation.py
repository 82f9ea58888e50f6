"""The foundation seen through a browser: login, language, the organisation, live events."""

from __future__ import annotations

import uuid

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PASSWORD, LiveServer

pytestmark = pytest.mark.browser
MEMBER_STATES = {"ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"}


def log_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    expect(page.get_by_test_id("who")).to_be_visible()


def switch_language(page: Page, code: str) -> None:
    page.locator(f"button[name=language][value={code}]").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def chair_of(page: Page, year: int):
    return page.locator(f"#chairmanship tr[data-year='{year}'] td").nth(1)


def test_a_user_logs_in_reads_the_organisation_in_russian_and_logs_out(
    page: Page, live_server: LiveServer
):
    live_server.add_user(
        "kaz.analyst",
        state="KAZ",
        roles=["analyst"],
        clearance="CONFIDENTIAL",
        display_name="Aigerim Seitkali",
    )
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("who")).to_have_count(0)

    log_in(page, "kaz.analyst")
    expect(page.get_by_test_id("who")).to_have_text("Aigerim Seitkali · KAZ")
    expect(page.locator("p.lead")).to_have_text("Logged in as Aigerim Seitkali, Kazakhstan.")

    switch_language(page, "ru")
    expect(page.locator("p.lead")).to_have_text("Вы вошли как Aigerim Seitkali, Казахстан.")
    expect(page.get_by_role("heading", name="Государства-члены")).to_be_visible()
    expect(page.get_by_text("Member states")).to_have_count(0)
    rows = page.locator("#member-states tbody tr")
    expect(rows).to_have_count(6)
    assert {rows.nth(i).get_attribute("data-code") for i in range(6)} == MEMBER_STATES
    expect(page.locator("#member-states tr[data-code=KAZ] td").first).to_have_text("Казахстан")
    expect(chair_of(page, 2022)).to_have_text("Армения")
    expect(chair_of(page, 2023)).to_have_text("Беларусь")
    expect(chair_of(page, 2024)).to_have_text("Казахстан")

    page.get_by_role("button", name="Выйти").click()
    expect(page.get_by_role("link", name="Войти")).to_have_attribute("href", "/login")
    expect(page.get_by_test_id("who")).to_have_count(0)
    page.goto("/account")
    expect(page).to_have_url(f"{live_server.url}/login?next=/account")


def test_the_event_log_shows_a_change_made_elsewhere_without_a_reload(
    page: Page, live_server: LiveServer
):
    admin = live_server.add_user("org.admin", state="ORG", roles=["admin"], clearance="SECRET")
    token = live_server.issue_token(admin)
    log_in(page, admin)
    page.goto("/admin/events")
    expect(page.locator(".live-dot.on")).to_have_count(1)
    page.evaluate("window.sameDocument = true")
    newcomer = f"blr.duty.{uuid.uuid4().hex[:6]}"
    fresh_rows = page.locator("#events tbody tr.fresh", has_text=newcomer)
    expect(fresh_rows).to_have_count(0)

    created = httpx.post(
        f"{live_server.url}/api/v1/users",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "username": newcomer,
            "state": "BLR",
            "roles": ["duty_officer"],
            "clearance": "RESTRICTED",
            "password": "a-long-enough-password",
        },
        timeout=10,
    )
    assert created.status_code == 201, created.text

    expect(fresh_rows).to_have_count(1)
    expect(fresh_rows.locator("td").nth(4)).to_have_text("user.created")
    assert page.evaluate("window.sameDocument") is True


def assert_banners_frame_the_page(page: Page, classification: str) -> None:
    """One banner touches the top of the page, the other its bottom, however short the page."""
    banners = page.locator(".banner")
    expect(banners).to_have_count(2)
    top, bottom = banners.first, banners.last
    expect(top).to_have_text(classification)
    expect(bottom).to_have_text(classification)
    page.evaluate("window.scrollTo(0, 0)")
    expect(top).to_be_in_viewport()
    assert top.bounding_box()["y"] == 0
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    expect(bottom).to_be_in_viewport()
    box = bottom.bounding_box()
    viewport_height = page.viewport_size["height"]
    assert round(box["y"] + box["height"]) == viewport_height


@pytest.mark.parametrize("path", ["/login", "/"])
def test_the_classification_banner_is_shown_at_the_top_and_at_the_bottom(
    page: Page, live_server: LiveServer, path: str
):
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(path)
    assert_banners_frame_the_page(page, "PUBLIC")
