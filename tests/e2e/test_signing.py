"""Signing in browsers: two delegates sign a document with WebCrypto Ed25519 keys made in their
own browsers; an analyst downloads the verification bundle and `accord verify` confirms it.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.conftest import run_cli
from tests.e2e.conftest import PASSWORD, LiveServer

pytestmark = pytest.mark.browser

OFFICER, ANALYST = "org.depositary", "kaz.reader"
DELEGATES = {"BLR": "blr.signatory", "KAZ": "kaz.signatory"}
TEXTS = {"en": "The member states declare their resolve.\n", "ru": "Государства-члены заявляют.\n"}


def _login(browser: Browser, accord: LiveServer, username: str) -> BrowserContext:
    context = browser.new_context(base_url=accord.url, locale="en-GB")
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto("/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    expect(page.get_by_test_id("who")).to_be_visible()
    page.close()
    return context


def _open_document(accord: LiveServer) -> str:
    """The secretariat assembles a document and opens it for signature, through the API."""
    token = accord.issue_token(OFFICER)
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=accord.url, headers=headers, timeout=30) as api:
        package = api.post("/api/v1/document-packages", json={"title": {"en": "Minsk 2023"}})
        assert package.status_code == 201, package.text
        document = api.post(
            "/api/v1/documents",
            json={
                "package_id": package.json()["id"],
                "kind": "declaration",
                "title": {"en": "Minsk Declaration"},
                "texts": TEXTS,
            },
        )
        assert document.status_code == 201, document.text
        document_id = document.json()["id"]
        for status in ("agreed", "open_for_signature"):
            moved = api.post(
                f"/api/v1/documents/{document_id}/versions/1/status", json={"status": status}
            )
            assert moved.status_code == 200, moved.text
    return document_id


def test_two_delegates_sign_in_their_browsers_and_the_bundle_verifies(
    chromium_browser: Browser, live_server: LiveServer, tmp_path: Path
):
    accord = live_server
    accord.add_user(OFFICER, state="ORG", roles=["secretariat"], clearance="SECRET")
    accord.add_user(ANALYST, state="KAZ", roles=["analyst"], clearance="CONFIDENTIAL")
    for state, name in DELEGATES.items():
        accord.add_user(name, state=state, roles=["delegate"], clearance="CONFIDENTIAL")
    document_id = _open_document(accord)

    for state, name in DELEGATES.items():
        context = _login(chromium_browser, accord, name)
        page = context.new_page()
        page.goto(f"/documents/{document_id}")
        page.get_by_test_id("sign-button").click()
        page.wait_for_url(f"**/documents/{document_id}?saved=signed")
        expect(page.locator(f'tr[data-slot="{state}"]')).to_have_attribute("data-signed", "1")
        expect(page.get_by_test_id("signed-by-us")).to_be_visible()
        context.close()

    context = _login(chromium_browser, accord, ANALYST)
    page = context.new_page()
    page.goto(f"/documents/{document_id}")
    expect(page.locator("[data-verified]")).to_have_attribute("data-verified", "1")
    with page.expect_download() as download_info:
        page.get_by_test_id("bundle-link").click()
    bundle = tmp_path / "bundle.zip"
    download_info.value.save_as(bundle)
    context.close()

    done = run_cli(
        "verify",
        str(bundle),
        env={"ACCORD_DATABASE_URL": "sqlite+aiosqlite:////nonexistent/accord.db"},
    )
    assert done.returncode == 0, done.stderr
    for state, name in DELEGATES.items():
        assert f"{state}: signed by {name}" in done.stdout
    assert "verified: 2 signature(s) over 2 text(s)" in done.stdout
    # The private keys stayed in the browsers: the server holds only the public halves.
    keys = json.loads(
        httpx.get(
            f"{accord.url}/api/v1/signing-keys",
            headers={"Authorization": f"Bearer {accord.issue_token(OFFICER)}"},
        ).text
    )["items"]
    assert {key["username"] for key in keys} == set(DELEGATES.values())


def test_a_delegate_makes_and_rotates_a_key_in_the_browser_and_others_see_the_signature_live(
    chromium_browser: Browser, live_server: LiveServer
):
    accord = live_server
    accord.add_user(OFFICER, state="ORG", roles=["secretariat"], clearance="SECRET")
    for state, name in DELEGATES.items():
        accord.add_user(name, state=state, roles=["delegate"], clearance="CONFIDENTIAL")
    document_id = _open_document(accord)

    watcher = _login(chromium_browser, accord, DELEGATES["BLR"]).new_page()
    watcher.goto(f"/documents/{document_id}")
    expect(watcher.locator('tr[data-slot="KAZ"]')).to_have_attribute("data-signed", "0")
    watcher.evaluate("window.stillTheSamePage = true")

    context = _login(chromium_browser, accord, DELEGATES["KAZ"])
    page = context.new_page()
    page.goto(f"/documents/{document_id}")
    page.get_by_test_id("keys-link").click()
    page.get_by_test_id("new-key-in-browser").click()
    page.wait_for_url("**/documents/keys?saved=registered")
    rows = page.locator("#keys tbody tr[data-key]")
    expect(rows).to_have_count(1)
    first = rows.first.get_attribute("data-key")
    page.get_by_test_id("rotate-in-browser").click()
    page.wait_for_url("**/documents/keys?saved=rotated")
    expect(rows).to_have_count(2)
    expect(page.locator(f'tr[data-key="{first}"]')).to_have_attribute("data-status", "revoked")
    current = page.locator('#keys tr[data-status="valid"]').get_attribute("data-key")

    page.goto(f"/documents/{document_id}")
    page.get_by_test_id("sign-button").click()
    page.wait_for_url(f"**/documents/{document_id}?saved=signed")
    expect(page.get_by_test_id("signed-by-us")).to_be_visible()
    context.close()

    # The other delegate's open page shows the signature without being reloaded.
    expect(watcher.locator('tr[data-slot="KAZ"]')).to_have_attribute("data-signed", "1")
    expect(watcher.locator('tr[data-slot="KAZ"]')).to_contain_text(current)
    assert watcher.evaluate("window.stillTheSamePage") is True
