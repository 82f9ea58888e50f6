"""Shared steps of the council tests: users of each kind and a planned session with a draft."""

from __future__ import annotations

from typing import Any

import httpx

from tests.factories import add_user, login

STATES = ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK")


async def as_user(client: httpx.AsyncClient, username: str, **overrides: Any) -> dict[str, str]:
    """Make (once) and log in ``username``; return the headers for changing calls."""
    from accord.auth import repository as users

    db = client.app.state.db  # type: ignore[attr-defined]
    async with db.transaction() as session:
        exists = await users.get_user_by_name(session, username) is not None
    if not exists:
        await add_user(db, username=username, **overrides)
    client.cookies.clear()
    return {"X-CSRF-Token": await login(client, username)}


async def as_secretariat(client: httpx.AsyncClient) -> dict[str, str]:
    return await as_user(client, "org.sec", state="ORG", roles=["secretariat"], clearance="SECRET")


async def as_delegate(client: httpx.AsyncClient, state: str) -> dict[str, str]:
    return await as_user(
        client, f"{state.lower()}.del", state=state, roles=["delegate"], clearance="CONFIDENTIAL"
    )


def session_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "body": "csc",
        "title": "Session of the Collective Security Council, Minsk 2023",
        "kind": "regular",
        "format": "narrow",
        "held_on": "2023-11-23",
        "city": "Minsk",
        "venue": "Palace of Independence",
        "chair": "BLR",
    }
    body.update(overrides)
    return body


async def planned_session(client: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    headers = await as_secretariat(client)
    answer = await client.post("/api/v1/sessions", json=session_body(**overrides), headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


async def open_draft(
    client: httpx.AsyncClient, *, attendance: dict[str, str] | None = None, **overrides: Any
) -> dict[str, Any]:
    """A session with attendance recorded and an open draft on its agenda."""
    record = await planned_session(client)
    headers = await as_secretariat(client)
    for state, status in (attendance or {code: "present" for code in STATES}).items():
        answer = await client.post(
            f"/api/v1/sessions/{record['id']}/attendance",
            json={"state": state, "status": status},
            headers=headers,
        )
        assert answer.status_code == 200, answer.text
    item = await client.post(
        f"/api/v1/sessions/{record['id']}/agenda",
        json={"title": "Crisis response system"},
        headers=headers,
    )
    draft = {
        "title": "Decision on developing the crisis response system",
        "texts": {"en": "The Council decides…", "ru": "Совет решает…"},
        "session_id": record["id"],
        "agenda_item_id": item.json()["id"],
        **overrides,
    }
    created = await client.post("/api/v1/decisions", json=draft, headers=headers)
    assert created.status_code == 201, created.text
    opened = await client.post(f"/api/v1/decisions/{created.json()['id']}/open", headers=headers)
    assert opened.status_code == 200, opened.text
    return opened.json()


async def take_position(
    client: httpx.AsyncClient, decision_id: str, state: str, position: str, **extra: Any
) -> httpx.Response:
    headers = await as_delegate(client, state)
    return await client.post(
        f"/api/v1/decisions/{decision_id}/positions",
        json={"position": position, **extra},
        headers=headers,
    )
