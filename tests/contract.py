"""The access contract of protected endpoints, written once and reused for every domain.

``assert_access_contract`` calls one endpoint three ways: without logging in (401), as a user
whose roles are not allowed (403), and as a user with an allowed role (2xx, an event written by
that user; pass ``writes_event=False`` for plain reads).
Each caller gets a client of its own on the same app, so the caller's own client is untouched.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from accord.auth.schemas import ROLES
from accord.db import Database
from accord.models import Event, User
from tests.factories import add_user, login

DEFAULT_ADDRESS = ("127.0.0.1", 123)


@asynccontextmanager
async def client_on(
    app: FastAPI, *, address: tuple[str, int] = DEFAULT_ADDRESS
) -> AsyncIterator[httpx.AsyncClient]:
    """Another client of an already started ``app``, calling from ``address``."""
    transport = httpx.ASGITransport(app=app, client=address)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        client.app = app  # type: ignore[attr-defined]
        yield client


async def count_rows(db: Database, model: type, *conditions: Any) -> int:
    """How many rows of ``model`` match ``conditions``, read in a transaction of its own."""
    async with db.transaction() as session:
        query = select(func.count()).select_from(model).where(*conditions)
        return (await session.execute(query)).scalar_one()


async def count_events(db: Database, *, actor: str | None = None) -> int:
    """How many events the log holds (sealed or not), optionally only those by ``actor``."""
    return await count_rows(db, Event, *([Event.actor == actor] if actor else []))


async def count_users(db: Database) -> int:
    return await count_rows(db, User)


async def _call_as(
    app: FastAPI, method: str, path: str, json: Any, roles: list[str], user_overrides: dict
) -> tuple[httpx.Response, str, int, int]:
    """Log a new user with ``roles`` in and call; returns the answer and the event counts."""
    async with client_on(app) as caller:
        user = await add_user(app.state.db, roles=roles, **user_overrides)
        csrf = await login(caller, user.username)
        before = await count_events(app.state.db)
        by_user = await count_events(app.state.db, actor=user.username)
        answer = await caller.request(method, path, json=json, headers={"X-CSRF-Token": csrf})
        return answer, user.username, before, by_user


async def assert_access_contract(
    client: httpx.AsyncClient,
    method: str,
    path: str,
    *,
    json: Any = None,
    allowed_roles: Iterable[str] = ("admin",),
    user_overrides: dict[str, Any] | None = None,
    writes_event: bool = True,
) -> httpx.Response:
    """Anonymous gets 401, each other role 403 (nothing written), an allowed role 2xx + event."""
    app: FastAPI = client.app  # type: ignore[attr-defined]
    db: Database = app.state.db
    allowed = list(allowed_roles)
    overrides = {"state": "ORG", "clearance": "SECRET", **(user_overrides or {})}

    before = await count_events(db)
    async with client_on(app) as anonymous:
        answer = await anonymous.request(method, path, json=json)
    assert answer.status_code == 401, f"anonymous {method} {path}: {answer.text}"
    assert answer.json()["error"]["code"] == "not_authenticated"
    assert await count_events(db) == before, f"anonymous {method} {path} wrote an event"

    for role in (role for role in ROLES if role not in allowed):
        answer, _name, before, _by = await _call_as(app, method, path, json, [role], overrides)
        assert answer.status_code == 403, f"{role} {method} {path}: {answer.text}"
        assert answer.json()["error"]["code"] == "forbidden"
        assert await count_events(db) == before, f"refused {role} {method} {path} wrote an event"

    answer, username, before, by_user = await _call_as(
        app, method, path, json, allowed[:1], overrides
    )
    assert 200 <= answer.status_code < 300, f"{allowed[0]} {method} {path}: {answer.text}"
    if writes_event:
        assert await count_events(db) > before, f"{method} {path} wrote no event"
        assert await count_events(db, actor=username) > by_user, "no event names its actor"
    else:
        assert await count_events(db) == before, f"the read {method} {path} wrote an event"
    return answer
