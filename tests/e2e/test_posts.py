"""Quota posts in a browser: the secretariat computes the 2024–2026 distribution."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer
from tests.e2e.test_foundation import log_in

pytestmark = pytest.mark.browser
SHARES = {"ARM": "8.5", "BLR": "12.5", "KAZ": "15", "KGZ": "7", "RUS": "50", "TJK": "7"}


def prepare_term(live_server: LiveServer, token: str) -> None:
    """The 2024 scale, the 2024–2026 term and its posts, entered through the API."""
    headers = {"Authorization": f"Bearer {token}"}

    def post(path: str, body: dict) -> dict:
        answer = httpx.post(f"{live_server.url}{path}", json=body, headers=headers, timeout=10)
        assert answer.status_code == 201, answer.text
        return answer.json()

    post("/api/v1/budget/scales", {"year": 2024, "shares": SHARES})
    term = post("/api/v1/posts/terms", {"start_year": 2024, "minimum": 1})
    for title in ("Secretary General", "Deputy", "Deputy", "Chief of the Joint Staff"):
        post(
            "/api/v1/posts",
            {"term_id": term["id"], "title": title, "grade": "SG", "reserved": True},
        )
    for index in range(30):
        post("/api/v1/posts", {"term_id": term["id"], "title": f"Officer {index}", "grade": "P3"})


def test_the_secretariat_computes_the_quota_posts_and_sees_each_member_beside_its_quota(
    page: Page, live_server: LiveServer
):
    officer = live_server.add_user(
        "org.secretariat", state="ORG", roles=["secretariat"], clearance="SECRET"
    )
    prepare_term(live_server, live_server.issue_token(officer))
    log_in(page, officer)
    page.get_by_role("link", name="Posts").click()
    expect(page.get_by_role("heading", name="Quota posts 2024–2026")).to_be_visible()
    expect(page.locator("#no-distribution")).to_be_visible()

    page.get_by_test_id("compute").click()

    expect(page.get_by_role("status")).to_have_text("Distribution computed.")
    rows = page.locator("#distribution-table tbody tr")
    expect(rows).to_have_count(6)
    expected = {
        "RUS": ("15", "15.0000", "15"),
        "KAZ": ("9/2", "4.5000", "4"),
        "BLR": ("15/4", "3.7500", "4"),
        "ARM": ("51/20", "2.5500", "3"),
        "KGZ": ("21/10", "2.1000", "2"),
        "TJK": ("21/10", "2.1000", "2"),
    }
    for state, (quota, decimal, posts) in expected.items():
        row = page.locator(f"#distribution-table tr[data-state={state}]")
        expect(row.locator("[data-quota]")).to_have_text(quota)
        expect(row.locator("[data-quota-decimal]")).to_have_text(decimal)
        expect(row.locator("[data-posts]")).to_have_text(posts)
    expect(page.locator("#distribution-table tr[data-state=KAZ] td").first).to_have_text(
        "Kazakhstan"
    )
    expect(page.locator(".banner").first).to_have_text("RESTRICTED")
    expect(page.get_by_test_id("compute")).to_be_visible()
