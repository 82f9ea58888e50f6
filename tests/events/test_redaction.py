"""Redaction: an administrator removes a payload, its hash stays and the chain still verifies."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from sqlalchemy import JSON, bindparam, select, text

from accord.access import Classification, Viewer
from accord.db import Database
from accord.events.audit import verify_log
from accord.events.chain import REDACTED_KEY
from accord.events.keys import load_or_create_key
from accord.events.redaction import redact_event
from accord.events.runtime import seal_and_announce
from accord.events.service import record_event
from accord.models import Event
from tests.factories import add_user, user_with_session

REASON = "a classified name was entered by mistake"
WAIT_SECONDS = 10


async def wait_until_sealed(db: Database, subject: str, kind: str | None = None) -> Event:
    """The event about ``subject``, once the running sealer has given it its number."""
    query = select(Event).where(Event.subject == subject, Event.sealed)
    if kind:
        query = query.where(Event.kind == kind)
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        async with db.sessions() as session:
            found = (await session.execute(query)).scalars().first()
        if found is not None:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"no sealed event about {subject} after {WAIT_SECONDS} s")


async def stored(db: Database, seq: int) -> Event:
    async with db.sessions() as session:
        return (await session.execute(select(Event).where(Event.seq == seq))).scalar_one()


async def redactions(db: Database) -> list[Event]:
    async with db.sessions() as session:
        query = select(Event).where(Event.kind == "event.redacted")
        return list((await session.execute(query)).scalars())


async def verify(client: httpx.AsyncClient):
    key = load_or_create_key(client.app.state.settings.checkpoint_key_path)
    return await verify_log(client.app.state.db, key.public_key())


@pytest.fixture(params=["client", "pg_client"])
def any_client(request: pytest.FixtureRequest) -> httpx.AsyncClient:
    """The app on SQLite, then on PostgreSQL."""
    return request.getfixturevalue(request.param)


async def user_event(client: httpx.AsyncClient) -> Event:
    """A sealed ``user.created`` event, whose payload names the user."""
    user = await add_user(client.app.state.db, username="someone.to.hide")
    return await wait_until_sealed(client.app.state.db, str(user.id))


async def admin_session(client: httpx.AsyncClient) -> str:
    _admin, csrf = await user_with_session(
        client,
        username="the.admin",
        state="ORG",
        roles=["admin"],
        clearance=Classification.SECRET,
    )
    return csrf


async def redact_through_api(client: httpx.AsyncClient, seq: int, csrf: str, reason=REASON):
    return await client.post(
        f"/api/v1/events/{seq}/redact", json={"reason": reason}, headers={"X-CSRF-Token": csrf}
    )


async def assert_untouched(client: httpx.AsyncClient, original: Event) -> None:
    assert (await stored(client.app.state.db, original.seq)).payload == original.payload
    assert await redactions(client.app.state.db) == []


# Redacting


async def test_an_admin_redacts_a_payload_through_the_api_and_the_chain_still_verifies(
    any_client,
):
    client = any_client
    target = await user_event(client)
    csrf = await admin_session(client)

    answer = await redact_through_api(client, target.seq, csrf)

    assert answer.status_code == 200, answer.text
    marker = {REDACTED_KEY: True, "reason": REASON}
    assert answer.json()["payload"] == marker
    after = await stored(client.app.state.db, target.seq)
    assert after.payload == marker
    assert "someone.to.hide" not in str(after.payload)
    assert (after.payload_hash, after.hash) == (target.payload_hash, target.hash)
    logged = await wait_until_sealed(client.app.state.db, str(target.id), "event.redacted")
    assert logged.actor == "the.admin"
    assert logged.payload == {
        "seq": target.seq,
        "id": str(target.id),
        "kind": "user.created",
        "reason": REASON,
    }
    report = await verify(client)
    assert report.intact, report.problem


async def test_an_admin_redacts_a_payload_through_the_log_page(client):
    target = await user_event(client)
    csrf = await admin_session(client)

    answer = await client.post(
        f"/admin/events/{target.seq}/redact", data={"csrf_token": csrf, "reason": REASON}
    )

    assert answer.status_code == 303
    assert answer.headers["location"] == "/admin/events"
    assert (await stored(client.app.state.db, target.seq)).payload[REDACTED_KEY] is True
    await wait_until_sealed(client.app.state.db, str(target.id), "event.redacted")
    page = await client.get("/admin/events", params={"kind": "user.created"})
    assert "someone.to.hide" not in page.text
    assert f'action="/admin/events/{target.seq}/redact"' not in page.text
    report = await verify(client)
    assert report.intact, report.problem


# Refusals leave the payload as it was


async def test_a_user_who_is_not_an_admin_may_not_redact(client):
    target = await user_event(client)
    _analyst, csrf = await user_with_session(
        client, state="ORG", roles=["analyst", "secretariat"], clearance=Classification.SECRET
    )

    api = await redact_through_api(client, target.seq, csrf)
    page = await client.post(
        f"/admin/events/{target.seq}/redact", data={"csrf_token": csrf, "reason": REASON}
    )

    assert api.status_code == 403
    assert api.json()["error"]["code"] == "forbidden"
    assert page.status_code == 403
    await assert_untouched(client, target)


async def test_redacting_without_logging_in_is_refused(client):
    target = await user_event(client)

    answer = await client.post(f"/api/v1/events/{target.seq}/redact", json={"reason": REASON})

    assert answer.status_code == 401
    await assert_untouched(client, target)


async def test_redacting_without_the_csrf_token_is_refused(client):
    target = await user_event(client)
    await admin_session(client)

    answer = await client.post(f"/api/v1/events/{target.seq}/redact", json={"reason": REASON})

    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "csrf_failed"
    await assert_untouched(client, target)


async def test_an_unknown_event_number_is_not_found(client):
    target = await user_event(client)
    csrf = await admin_session(client)

    answer = await redact_through_api(client, 999_999, csrf)

    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"
    await assert_untouched(client, target)


async def test_an_event_the_admin_may_not_see_is_not_found(client):
    db = client.app.state.db
    async with db.transaction() as session:
        record_event(
            session,
            actor="kaz.duty",
            state="KAZ",
            kind="test.national",
            subject="kaz-only",
            payload={"secret": "KAZ only"},
            classification=Classification.CONFIDENTIAL,
            releasable_to=["KAZ"],
        )
    target = await wait_until_sealed(db, "kaz-only")
    csrf = await admin_session(client)

    answer = await redact_through_api(client, target.seq, csrf)

    assert answer.status_code == 404
    await assert_untouched(client, target)


@pytest.mark.parametrize("reason", ["", "   "])
async def test_a_redaction_without_a_reason_is_refused_naming_the_reason(client, reason):
    target = await user_event(client)
    csrf = await admin_session(client)

    api = await redact_through_api(client, target.seq, csrf, reason=reason)
    page = await client.post(
        f"/admin/events/{target.seq}/redact", data={"csrf_token": csrf, "reason": reason}
    )

    assert api.status_code == 422
    assert api.json()["error"]["field"] == "reason"
    assert page.status_code == 422
    await assert_untouched(client, target)


async def test_a_reason_longer_than_500_characters_is_refused(client):
    target = await user_event(client)
    csrf = await admin_session(client)

    answer = await redact_through_api(client, target.seq, csrf, reason="x" * 501)

    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "reason"
    await assert_untouched(client, target)


async def test_redacting_an_event_twice_is_a_conflict(client):
    target = await user_event(client)
    csrf = await admin_session(client)
    assert (await redact_through_api(client, target.seq, csrf)).status_code == 200

    again = await redact_through_api(client, target.seq, csrf, reason="a second reason")

    assert again.status_code == 409
    assert (await stored(client.app.state.db, target.seq)).payload["reason"] == REASON
    assert len(await redactions(client.app.state.db)) == 1


# A marker without a redaction event is tampering


async def test_a_payload_marked_redacted_by_hand_fails_verification(db, settings):
    user = await add_user(db, username="quietly.removed")
    await seal_and_announce(db, settings)
    async with db.sessions() as session:
        query = select(Event.seq).where(Event.subject == str(user.id))
        seq = (await session.execute(query)).scalar_one()
    statement = text("UPDATE events SET payload = :payload WHERE seq = :seq").bindparams(
        bindparam("payload", type_=JSON)
    )
    async with db.transaction() as session:
        marker = {REDACTED_KEY: True, "reason": "nobody asked"}
        await session.execute(statement, {"payload": marker, "seq": seq})

    report = await verify_log(db, load_or_create_key(settings.checkpoint_key_path).public_key())

    assert not report.intact
    assert report.problem.startswith(f"event {seq} was altered")
    assert "no redaction event records it" in report.problem


async def test_a_redaction_not_yet_sealed_does_not_look_like_tampering(db, settings):
    user = await add_user(db, username="redacted.before.sealing")
    await seal_and_announce(db, settings)
    admin = Viewer("ORG", Classification.SECRET, frozenset({"admin"}), username="the.admin")
    async with db.transaction() as session:
        seq = (
            await session.execute(select(Event.seq).where(Event.subject == str(user.id)))
        ).scalar_one()
        await redact_event(session, admin, seq, REASON)
    key = load_or_create_key(settings.checkpoint_key_path).public_key()

    before_sealing = await verify_log(db, key)
    await seal_and_announce(db, settings)
    after_sealing = await verify_log(db, key)

    assert before_sealing.intact, before_sealing.problem
    assert before_sealing.unsealed == 1
    assert after_sealing.intact, after_sealing.problem
    assert after_sealing.unsealed == 0
