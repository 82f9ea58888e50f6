"""Browser test of notifications: the count in the navigation follows a new one live."""

from __future__ import annotations

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Page, expect

from accord.access import EVERYONE, Classification
from accord.db import Database
from accord.events.service import record_event
from accord.i18n import N_
from tests.e2e.conftest import PASSWORD, LiveServer

pytestmark = pytest.mark.browser
LIVE = 30_000


@dataclass
class Record:
    owner: str
    classification: Classification
    releasable_to: list[str]
    id: uuid.UUID = field(default_factory=uuid.uuid4)


async def _notify(url: str, title: str) -> None:
    from accord.notifications import service

    db = Database(url)
    try:
        async with db.transaction() as session:
            record = Record("KAZ", Classification.RESTRICTED, [EVERYONE])
            await service.notify_viewers(
                session,
                record,
                kind="test.announced",
                message=N_("New request for assistance: {title}"),
                params={"title": title},
                link="/notifications",
                states=["KAZ"],
            )
            # What announces the record on the stream, seen by those notified.
            record_event(
                session,
                actor="test",
                state="KAZ",
                kind="test.announced",
                subject=record.id,
                payload={},
                classification=Classification.RESTRICTED,
                releasable_to=[EVERYONE],
            )
    finally:
        await db.dispose()


def _in_own_loop(coroutine) -> None:
    # Sync Playwright keeps an event loop running in this thread.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def test_the_unread_count_appears_live(page: Page, live_server: LiveServer) -> None:
    live_server.add_user("kaz.analyst", state="KAZ", roles=["analyst"], clearance="RESTRICTED")
    page.goto("/login")
    page.locator("input[name=username]").fill("kaz.analyst")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    expect(page.get_by_test_id("who")).to_be_visible()
    page.goto("/notifications")
    expect(page.locator(".live-dot.on")).to_have_count(1, timeout=LIVE)
    expect(page.get_by_test_id("unread-count")).to_have_count(0)

    _in_own_loop(_notify(live_server.env["ACCORD_DATABASE_URL"], "Flood in Almaty"))

    expect(page.get_by_test_id("unread-count")).to_have_text("1", timeout=LIVE)
    page.reload()
    expect(page.locator("#notifications")).to_contain_text("Flood in Almaty")
    page.get_by_test_id("read-all").click()
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
