"""The notifications page, the count in the navigation, and the administrators' outbox."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select

from accord.access import Classification
from accord.models.mail_message import MailMessage
from tests.factories import user_with_session
from tests.notifications.test_service import SECRET_TITLE, Record, _notify


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


async def test_the_page_lists_marks_read_and_links_through(client: httpx.AsyncClient) -> None:
    db = client.app.state.db  # type: ignore[attr-defined]
    await user_with_session(client, state="KAZ", clearance="CONFIDENTIAL")
    record = Record("KAZ", Classification.CONFIDENTIAL, [])
    await _notify(db, record, states=["KAZ"])
    await _notify(db, Record("BLR", Classification.RESTRICTED, []), states=["BLR"])

    page = await client.get("/notifications")
    assert page.status_code == 200
    assert SECRET_TITLE in page.text
    assert 'data-classification="CONFIDENTIAL"' in page.text
    assert 'data-testid="unread-count">1<' in page.text
    notification_id = re.search(r'data-notification="([^"]+)"', page.text).group(1)

    answer = await client.post(
        f"/notifications/{notification_id}/open", data={"csrf_token": _csrf(page.text)}
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/assistance/{record.id}"
    page = await client.get("/notifications")
    assert 'data-testid="unread-count"' not in page.text
    assert 'class="read"' in page.text

    answer = await client.post("/notifications/read-all", data={"csrf_token": _csrf(page.text)})
    assert answer.status_code == 303


async def test_the_page_needs_a_login(client: httpx.AsyncClient) -> None:
    answer = await client.get("/notifications")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


async def test_only_administrators_see_the_outbox_and_jobs(client: httpx.AsyncClient) -> None:
    db = client.app.state.db  # type: ignore[attr-defined]
    await user_with_session(client, state="ORG", roles=["secretariat"])
    assert (await client.get("/admin/mail")).status_code == 403
    assert (await client.get("/admin/jobs")).status_code == 403

    await user_with_session(client, state="ORG", roles=["admin"], email="admin@example.org")
    await _notify(db, Record("ORG", Classification.RESTRICTED, []), states=["ORG"])
    page = await client.get("/admin/mail")
    assert page.status_code == 200
    assert "admin@example.org" in page.text
    assert (await client.get("/admin/jobs")).status_code == 200
    async with db.sessions() as session:
        message = await session.scalar(
            select(MailMessage).where(MailMessage.to_address == "admin@example.org")
        )
    answer = await client.post(
        f"/admin/mail/{message.id}/retry", data={"csrf_token": _csrf(page.text)}
    )
    assert answer.status_code == 303
