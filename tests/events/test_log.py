"""Reading the event log: the administrator's page and GET /api/v1/events, filtered by access."""

from __future__ import annotations

import asyncio
import re
import time

import httpx
import pytest
from sqlalchemy import select

from accord.access import EVERYONE, Classification
from accord.db import Database
from accord.events.service import record_event
from accord.models import Event
from tests.factories import user_with_session

WAIT_SECONDS = 10
# (actor, state, kind, classification, releasable_to) of the events each test starts from
WRITTEN = [
    ("kaz.duty", "KAZ", "incident.reported", Classification.RESTRICTED, [EVERYONE]),
    ("kaz.duty", "KAZ", "incident.updated", Classification.RESTRICTED, [EVERYONE]),
    ("arm.duty", "ARM", "incident.reported", Classification.RESTRICTED, [EVERYONE]),
    ("arm.duty", "ARM", "crisis.escalated", Classification.PUBLIC, [EVERYONE]),
    ("kaz.duty", "KAZ", "incident.reported", Classification.CONFIDENTIAL, ["KAZ"]),
    ("kaz.duty", "KAZ", "incident.reported", Classification.SECRET, [EVERYONE]),
]
HIDDEN_FROM_ORG_ADMIN = {4, 5}  # not released to ORG; above the admin's clearance


async def write_log(db: Database) -> list[int]:
    """Commit the ``WRITTEN`` events and wait for the sealer; return their numbers in order."""
    async with db.transaction() as session:
        for index, (actor, state, kind, level, released) in enumerate(WRITTEN):
            record_event(
                session,
                actor=actor,
                state=state,
                kind=kind,
                subject=f"written-{index}",
                payload={"index": index},
                classification=level,
                releasable_to=released,
            )
    subjects = [f"written-{index}" for index in range(len(WRITTEN))]
    query = select(Event.subject, Event.seq).where(Event.subject.in_(subjects), Event.sealed)
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        async with db.sessions() as session:
            seqs = dict((await session.execute(query)).all())
        if len(seqs) == len(subjects):
            return [seqs[subject] for subject in subjects]
        await asyncio.sleep(0.05)
    raise AssertionError("the sealer did not seal the written events")


def seqs_on_page(html: str) -> list[int]:
    return [int(seq) for seq in re.findall(r'<tr data-seq="(\d+)"', html)]


async def org_admin(client: httpx.AsyncClient) -> str:
    _admin, csrf = await user_with_session(
        client,
        username="org.admin",
        state="ORG",
        roles=["admin"],
        clearance=Classification.CONFIDENTIAL,
    )
    return csrf


# The administrator's page


async def test_the_log_page_lists_sealed_events_newest_first(client):
    written = await write_log(client.app.state.db)
    await org_admin(client)

    page = await client.get("/admin/events")

    assert page.status_code == 200
    shown = seqs_on_page(page.text)
    assert shown == sorted(shown, reverse=True)
    visible = [seq for index, seq in enumerate(written) if index not in HIDDEN_FROM_ORG_ADMIN]
    assert set(visible) <= set(shown)


async def test_the_log_page_hides_events_the_admin_may_not_see(client):
    written = await write_log(client.app.state.db)
    await org_admin(client)

    page = await client.get("/admin/events", params={"actor": "kaz.duty"})

    assert seqs_on_page(page.text) == [written[1], written[0]]
    assert "CONFIDENTIAL" not in re.findall(r"<td>([A-Z]+)</td>", page.text)
    assert '"index": 4' not in page.text and '"index":4' not in page.text


async def test_the_log_page_filters_by_actor(client):
    written = await write_log(client.app.state.db)
    await org_admin(client)

    page = await client.get("/admin/events", params={"actor": "arm.duty"})

    assert seqs_on_page(page.text) == [written[3], written[2]]


async def test_the_log_page_filters_by_kind(client):
    written = await write_log(client.app.state.db)
    await org_admin(client)

    page = await client.get("/admin/events", params={"kind": "incident.reported"})

    assert seqs_on_page(page.text) == [written[2], written[0]]


async def test_the_log_page_with_filters_that_match_nothing_says_so(client):
    await write_log(client.app.state.db)
    await org_admin(client)

    page = await client.get("/admin/events", params={"actor": "nobody.at.all"})

    assert seqs_on_page(page.text) == []
    assert "No events match." in page.text


async def test_the_log_page_sends_visitors_to_the_login_page(client):
    page = await client.get("/admin/events")

    assert page.status_code == 303
    assert page.headers["location"].startswith("/login")


async def test_the_log_page_is_for_admins_only(client):
    await user_with_session(client, state="ORG", roles=["secretariat"])

    page = await client.get("/admin/events")

    assert page.status_code == 403
    assert "data-seq" not in page.text


# GET /api/v1/events


async def test_the_api_needs_a_logged_in_caller(client):
    answer = await client.get("/api/v1/events")

    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "not_authenticated"


async def test_the_api_pages_through_the_log_with_next_cursor(client):
    written = await write_log(client.app.state.db)
    await user_with_session(client, state="ARM", clearance=Classification.SECRET)

    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        answer = await client.get("/api/v1/events", params=params)
        assert answer.status_code == 200
        body = answer.json()
        assert len(body["items"]) <= 2
        seen += [item["seq"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break

    assert seen == sorted(set(seen), reverse=True)
    visible_to_arm = {written[index] for index in (0, 1, 2, 3, 5)}
    assert visible_to_arm <= set(seen)
    assert written[4] not in seen
    assert pages == -(-len(seen) // 2)


async def test_the_api_filters_by_actor_and_repeated_kind(client):
    written = await write_log(client.app.state.db)
    await user_with_session(client, state="KAZ", clearance=Classification.SECRET)

    answer = await client.get(
        "/api/v1/events",
        params={"actor": "kaz.duty", "kind": ["incident.updated", "incident.reported"]},
    )

    assert [item["seq"] for item in answer.json()["items"]] == [
        written[5],
        written[4],
        written[1],
        written[0],
    ]


async def test_the_api_shows_a_state_only_what_is_released_to_it(client):
    written = await write_log(client.app.state.db)
    await user_with_session(client, state="ARM", clearance=Classification.CONFIDENTIAL)

    items = (await client.get("/api/v1/events", params={"limit": 500})).json()["items"]

    seqs = {item["seq"] for item in items}
    assert {written[0], written[1], written[2], written[3]} <= seqs
    assert not {written[4], written[5]} & seqs
    assert all(item["state"] == "ARM" or EVERYONE in item["releasable_to"] for item in items)


@pytest.mark.parametrize("cursor", ["abc", "-1", "1.5"])
async def test_the_api_refuses_a_cursor_it_did_not_give(client, cursor):
    await user_with_session(client, state="KAZ")

    answer = await client.get("/api/v1/events", params={"cursor": cursor})

    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "cursor"


async def test_the_api_lists_the_log_on_postgresql(pg_client):
    written = await write_log(pg_client.app.state.db)
    await user_with_session(pg_client, state="ARM", clearance=Classification.CONFIDENTIAL)

    items = (await pg_client.get("/api/v1/events", params={"limit": 500})).json()["items"]

    seqs = [item["seq"] for item in items]
    assert [written[3], written[2], written[1], written[0]] == [
        seq for seq in seqs if seq in written
    ]
