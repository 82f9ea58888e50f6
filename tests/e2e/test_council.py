"""The council through browsers: a session decision adopted by consensus with Armenia agreeing
in writing, and a silence procedure that ends by itself with no page open."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import PASSWORD, LiveServer

pytestmark = pytest.mark.browser

SECRETARIAT = "org.sec"
STATES = ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK")
LIVE = 30_000


@pytest.fixture(autouse=True)
def patient_assertions() -> Iterator[None]:
    expect.set_options(timeout=LIVE)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def accord(live_server: LiveServer) -> LiveServer:
    live_server.add_user(SECRETARIAT, state="ORG", roles=["secretariat"], clearance="SECRET")
    for state in STATES:
        live_server.add_user(
            f"{state.lower()}.delegate", state=state, roles=["delegate"], clearance="CONFIDENTIAL"
        )
    return live_server


def logged_in(browser: Browser, accord: LiveServer, username: str) -> BrowserContext:
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


def api(accord: LiveServer, token: str) -> httpx.Client:
    return httpx.Client(
        base_url=accord.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


def minsk_session_with_a_draft(client: httpx.Client) -> tuple[str, str]:
    record = client.post(
        "/api/v1/sessions",
        json={
            "title": "Session of the Collective Security Council, Minsk 2023",
            "held_on": "2023-11-23",
            "city": "Minsk",
            "venue": "Palace of Independence",
            "chair": "BLR",
        },
    ).json()
    for state in STATES[1:]:
        client.post(
            f"/api/v1/sessions/{record['id']}/attendance",
            json={"state": state, "status": "present"},
        )
    item = client.post(
        f"/api/v1/sessions/{record['id']}/agenda", json={"title": "The crisis response system"}
    ).json()
    draft = client.post(
        "/api/v1/decisions",
        json={
            "title": "Decision on developing the crisis response system",
            "texts": {"en": "The Council decides…", "ru": "Совет решает…"},
            "session_id": record["id"],
            "agenda_item_id": item["id"],
        },
    ).json()
    assert client.post(f"/api/v1/decisions/{draft['id']}/open").status_code == 200
    return record["id"], draft["id"]


def take_position(page: Page, decision_id: str, *, written_by: str = "") -> None:
    page.goto(f"/council/decisions/{decision_id}")
    form = page.locator("#position-form")
    form.locator("select[name=position]").select_option("support")
    if written_by:
        form.locator("input[name=written]").check()
        form.locator("input[name=signed_by]").fill(written_by)
    form.get_by_role("button", name="Record the position").click()
    expect(page.locator("p.notice")).to_have_text("Position recorded.")


def test_a_session_decision_is_adopted_and_a_silence_procedure_ends_by_itself(
    chromium_browser: Browser, accord: LiveServer
):
    client = api(accord, accord.issue_token(SECRETARIAT))
    session_id, decision_id = minsk_session_with_a_draft(client)

    secretariat = logged_in(chromium_browser, accord, SECRETARIAT).new_page()
    secretariat.goto(f"/council/sessions/{session_id}")
    expect(secretariat.get_by_test_id("when")).to_have_text("23 November 2023")
    form = secretariat.locator("#attendance-form")
    form.locator("select[name=state]").select_option("ARM")
    form.locator("select[name=status]").select_option("declined")
    form.get_by_role("button", name="Record attendance").click()
    expect(secretariat.locator("#attendance tr[data-state=ARM]")).to_have_attribute(
        "data-attendance", "declined"
    )

    armenia = logged_in(chromium_browser, accord, "arm.delegate").new_page()
    take_position(armenia, decision_id, written_by="Prime Minister of Armenia")
    expect(armenia.locator("#positions tr[data-state=ARM]")).to_contain_text("in writing")
    for state in STATES[1:]:
        delegate = logged_in(chromium_browser, accord, f"{state.lower()}.delegate")
        take_position(delegate.new_page(), decision_id)
        delegate.close()

    secretariat.goto(f"/council/decisions/{decision_id}")
    secretariat.get_by_role("button", name="Close the vote").click()
    expect(secretariat.get_by_test_id("decision-status")).to_have_attribute(
        "data-status", "adopted"
    )
    expect(secretariat.get_by_test_id("reason")).to_have_text(
        "adopted: no objection among 6 eligible members; Armenia did not attend, agreed in writing"
    )
    expect(secretariat.get_by_test_id("states-bound")).to_contain_text("Armenia")

    written = client.post(
        "/api/v1/decisions",
        json={"title": "Statement on the situation", "texts": {"en": "…", "ru": "…"}},
    ).json()
    secretariat.goto(f"/council/decisions/{written['id']}")
    deadline = datetime.now(UTC) + timedelta(seconds=6)
    secretariat.locator("#silence-form input[name=deadline]").fill(
        deadline.strftime("%Y-%m-%d %H:%M:%S")
    )
    secretariat.get_by_role("button", name="Launch the silence procedure").click()
    expect(secretariat.get_by_test_id("decision-status")).to_have_attribute(
        "data-status", "silence"
    )
    expect(secretariat.locator(".countdown")).to_contain_text("left")
    for context in chromium_browser.contexts:
        context.close()

    # No page is open now: the server ends the procedure by itself.
    status = None
    for _attempt in range(120):
        status = client.get(f"/api/v1/decisions/{written['id']}").json()["status"]
        if status != "silence":
            break
        time.sleep(0.5)
    assert status == "adopted"
    adopted = client.get(f"/api/v1/decisions/{written['id']}").json()
    assert adopted["number"].startswith("CSC ")
    assert datetime.fromisoformat(adopted["closed_at"]) >= deadline.replace(microsecond=0)

    check = logged_in(chromium_browser, accord, "kaz.delegate").new_page()
    check.goto(f"/council/decisions/{written['id']}")
    expect(check.get_by_test_id("decision-status")).to_have_attribute("data-status", "adopted")
    expect(check.locator("h1")).to_contain_text(adopted["number"])


def test_the_decision_page_follows_positions_and_the_outcome_without_a_reload(
    chromium_browser: Browser, accord: LiveServer
):
    client = api(accord, accord.issue_token(SECRETARIAT))
    _session_id, decision_id = minsk_session_with_a_draft(client)
    watcher = logged_in(chromium_browser, accord, SECRETARIAT).new_page()
    watcher.goto(f"/council/decisions/{decision_id}")
    watcher.evaluate("window.stillTheSamePage = true")
    for state in STATES[1:]:
        with api(accord, accord.issue_token(f"{state.lower()}.delegate")) as delegate:
            answer = delegate.post(
                f"/api/v1/decisions/{decision_id}/positions", json={"position": "support"}
            )
            assert answer.status_code == 201, answer.text
        expect(watcher.locator(f"#positions tr[data-state={state}]")).to_have_attribute(
            "data-position", "support"
        )
    assert client.post(f"/api/v1/decisions/{decision_id}/close").status_code == 200
    expect(watcher.get_by_test_id("decision-status")).to_have_attribute("data-status", "adopted")
    expect(watcher.get_by_test_id("reason")).to_contain_text("adopted")
    assert watcher.evaluate("window.stillTheSamePage") is True


def test_after_a_broken_silence_the_secretariat_puts_the_draft_on_a_sessions_agenda(
    chromium_browser: Browser, accord: LiveServer
):
    client = api(accord, accord.issue_token(SECRETARIAT))
    session_id, _decision_id = minsk_session_with_a_draft(client)
    written = client.post(
        "/api/v1/decisions",
        json={"title": "Statement on the border", "texts": {"en": "…", "ru": "…"}},
    ).json()
    deadline = datetime.now(UTC) + timedelta(hours=1)
    launched = client.post(
        f"/api/v1/decisions/{written['id']}/silence", json={"deadline": deadline.isoformat()}
    )
    assert launched.status_code == 200, launched.text
    page = logged_in(chromium_browser, accord, SECRETARIAT).new_page()
    page.goto(f"/council/decisions/{written['id']}")
    expect(page.get_by_test_id("decision-status")).to_have_attribute("data-status", "silence")

    with api(accord, accord.issue_token("kaz.delegate")) as kazakhstan:
        broken = kazakhstan.post(
            f"/api/v1/decisions/{written['id']}/positions",
            json={"position": "amend", "text": "Name the border section"},
        )
        assert broken.status_code == 201, broken.text
    expect(page.get_by_test_id("decision-status")).to_have_attribute("data-status", "not_adopted")
    page.locator("#redraft-form select[name=session_id]").select_option(session_id)
    page.get_by_test_id("redraft-button").click()
    expect(page.locator("p.notice")).to_contain_text("A new draft was made")
    expect(page.get_by_test_id("decision-status")).to_have_attribute("data-status", "draft")

    page.goto(f"/council/sessions/{session_id}")
    items = page.locator("#agenda > li")
    expect(items).to_have_count(2)
    expect(items.nth(1)).to_contain_text("Statement on the border")
    items.nth(1).get_by_role("button", name="Move up").click()
    expect(page.locator("p.notice")).to_have_text("Agenda reordered.")
    expect(items.nth(0)).to_contain_text("Statement on the border")
    items.nth(0).locator("summary").click()
    items.nth(0).locator("input[name=title]").fill("Statement on the state border")
    items.nth(0).get_by_role("button", name="Save the item").click()
    expect(page.locator("p.notice")).to_have_text("Agenda item changed.")
    expect(items.nth(0).locator(".item-title")).to_have_text("Statement on the state border")

    other = client.post(
        "/api/v1/decisions", json={"title": "Not needed", "texts": {"en": "…"}}
    ).json()
    page.goto(f"/council/decisions/{other['id']}")
    page.get_by_test_id("withdraw-button").click()
    expect(page.get_by_test_id("decision-status")).to_have_attribute("data-status", "withdrawn")
