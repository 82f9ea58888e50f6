"""Records the press tests link to, made through the council's API as the secretariat would."""

from __future__ import annotations

import httpx

from tests.contract import client_on
from tests.factories import add_user, login

RELEASE = {
    "texts": {
        "en": {"title": "Minsk session held", "body": "The council met in Minsk."},
        "ru": {"title": "Сессия в Минске", "body": "Совет собрался в Минске."},
    }
}


async def as_secretariat(client: httpx.AsyncClient, method: str, path: str, **kwargs) -> dict:
    """Call as a fresh secretariat officer on a client of its own; the answer's JSON."""
    app = client.app  # type: ignore[attr-defined]
    user = await add_user(app.state.db, state="ORG", roles=["secretariat"], clearance="SECRET")
    async with client_on(app) as own:
        csrf = await login(own, user.username)
        answer = await own.request(method, path, headers={"X-CSRF-Token": csrf}, **kwargs)
    assert answer.status_code < 300, answer.text
    return answer.json()


async def public_session(client: httpx.AsyncClient, title: str = "Minsk session") -> dict:
    return await as_secretariat(
        client,
        "POST",
        "/api/v1/sessions",
        json={
            "title": title,
            "held_on": "2023-11-23",
            "city": "Minsk",
            "public": True,
            "classification": "PUBLIC",
            "releasable_to": ["ALL"],
        },
    )


async def restricted_decision(client: httpx.AsyncClient) -> dict:
    return await as_secretariat(
        client,
        "POST",
        "/api/v1/decisions",
        json={
            "title": "On the deployment plan",
            "texts": {"en": "Secret plan"},
            "body": "csc",
            "classification": "RESTRICTED",
            "releasable_to": ["ALL"],
        },
    )


async def press_officer(client: httpx.AsyncClient) -> dict[str, str]:
    """Log ``client`` in as a new press officer of the secretariat; the CSRF header."""
    app = client.app  # type: ignore[attr-defined]
    user = await add_user(app.state.db, state="ORG", roles=["press"], clearance="RESTRICTED")
    return {"X-CSRF-Token": await login(client, user.username)}


async def published_release(client: httpx.AsyncClient, release: dict | None = None) -> dict:
    """A release drafted by one press officer, approved and published by another."""
    app = client.app  # type: ignore[attr-defined]
    async with client_on(app) as author, client_on(app) as editor:
        author_headers = await press_officer(author)
        editor_headers = await press_officer(editor)
        drafted = await author.post(
            "/api/v1/releases", json=release or RELEASE, headers=author_headers
        )
        assert drafted.status_code == 201, drafted.text
        current = drafted.json()
        for caller, headers, action in (
            (author, author_headers, "submit"),
            (editor, editor_headers, "approve"),
            (editor, editor_headers, "publish"),
        ):
            answer = await caller.post(
                f"/api/v1/releases/{current['id']}/{action}",
                json={"version": current["version"]},
                headers=headers,
            )
            assert answer.status_code == 200, answer.text
            current = answer.json()
    return current
