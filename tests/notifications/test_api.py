"""The notifications API: own notifications only, still visible ones only, read marks."""

from __future__ import annotations

import httpx
from sqlalchemy import update

from accord.access import Classification
from accord.models import User
from tests.factories import user_with_session
from tests.notifications.test_service import Record, _notify


async def test_the_api_needs_a_login(client: httpx.AsyncClient) -> None:
    for method, path in (
        ("GET", "/api/v1/notifications"),
        ("GET", "/api/v1/notifications/unread-count"),
        ("POST", "/api/v1/notifications/read-all"),
        ("POST", "/api/v1/notifications/00000000-0000-0000-0000-000000000000/read"),
    ):
        answer = await client.request(method, path)
        assert answer.status_code == 401, path


async def test_a_reader_lists_and_marks_their_own_notifications(client: httpx.AsyncClient) -> None:
    db = client.app.state.db  # type: ignore[attr-defined]
    _reader, csrf = await user_with_session(client, state="KAZ", clearance="CONFIDENTIAL")
    confidential = Record("KAZ", Classification.CONFIDENTIAL, [])
    await _notify(db, confidential, states=["KAZ"])
    await _notify(db, Record("KAZ", Classification.RESTRICTED, ["ALL"]), states=["KAZ"])
    await _notify(db, Record("ARM", Classification.RESTRICTED, []))  # not for KAZ
    headers = {"X-CSRF-Token": csrf}

    russian = {"Accept-Language": "ru"}
    listed = (
        await client.get("/api/v1/notifications", params={"limit": 1}, headers=russian)
    ).json()
    assert len(listed["items"]) == 1 and listed["next_cursor"]
    rest = (
        await client.get(
            "/api/v1/notifications", params={"cursor": listed["next_cursor"]}, headers=russian
        )
    ).json()
    items = listed["items"] + rest["items"]
    assert rest["next_cursor"] is None
    assert [item["classification"] for item in items] == ["RESTRICTED", "CONFIDENTIAL"]
    assert items[1]["message"] == "Новый запрос о помощи: Chlorine leak at the Tengiz terminal"
    assert items[1]["message_id"] == "New request for assistance: {title}"
    assert items[1]["link"] == f"/assistance/{confidential.id}"
    assert (await client.get("/api/v1/notifications/unread-count")).json() == {"unread": 2}

    answer = await client.post(f"/api/v1/notifications/{items[1]['id']}/read", headers=headers)
    assert answer.status_code == 200 and answer.json()["read"] is True
    unread = (await client.get("/api/v1/notifications", params={"unread": "true"})).json()
    assert [item["id"] for item in unread["items"]] == [items[0]["id"]]
    read = (await client.get("/api/v1/notifications", params={"unread": "false"})).json()
    assert [item["id"] for item in read["items"]] == [items[1]["id"]]

    answer = await client.post("/api/v1/notifications/read-all", headers=headers)
    assert answer.json() == {"marked": 1}
    assert (await client.get("/api/v1/notifications/unread-count")).json() == {"unread": 0}

    # Without the CSRF token a cookie session changes nothing.
    assert (await client.post("/api/v1/notifications/read-all")).status_code == 403
    bad = await client.get("/api/v1/notifications", params={"cursor": "nonsense"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "cursor"


async def test_others_and_no_longer_visible_notifications_are_not_found(
    client: httpx.AsyncClient,
) -> None:
    db = client.app.state.db  # type: ignore[attr-defined]
    reader, csrf = await user_with_session(client, state="ARM", clearance="SECRET")
    await _notify(db, Record("ARM", Classification.SECRET, []), states=["ARM"])
    [item] = (await client.get("/api/v1/notifications")).json()["items"]

    async with db.transaction() as session:
        await session.execute(
            update(User).where(User.id == reader.id).values(clearance=Classification.RESTRICTED)
        )
    assert (await client.get("/api/v1/notifications")).json()["items"] == []
    answer = await client.post(
        f"/api/v1/notifications/{item['id']}/read", headers={"X-CSRF-Token": csrf}
    )
    assert answer.status_code == 404

    _other, other_csrf = await user_with_session(client, state="ARM", clearance="SECRET")
    answer = await client.post(
        f"/api/v1/notifications/{item['id']}/read", headers={"X-CSRF-Token": other_csrf}
    )
    assert answer.status_code == 404


async def test_postgresql_smoke(pg_client: httpx.AsyncClient) -> None:
    db = pg_client.app.state.db  # type: ignore[attr-defined]
    _reader, csrf = await user_with_session(pg_client, state="KGZ")
    await _notify(db, Record("KGZ", Classification.RESTRICTED, []), states=["KGZ"])
    [item] = (await pg_client.get("/api/v1/notifications?unread=true")).json()["items"]
    assert item["classification"] == "RESTRICTED"
    answer = await pg_client.post("/api/v1/notifications/read-all", headers={"X-CSRF-Token": csrf})
    assert answer.json() == {"marked": 1}
