"""Shared pieces of the assistance tests: a crisis to ask within, actors, valid bodies."""

from __future__ import annotations

import uuid
from contextlib import AsyncExitStack
from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from accord.access import Classification
from accord.clock import utcnow
from accord.db import Database
from accord.models.crisis import Crisis
from tests.contract import client_on
from tests.factories import add_user, login


async def add_crisis(
    db: Database,
    *,
    affected: list[str] | None = None,
    level: str = "consultations",
    classification: Classification = Classification.RESTRICTED,
    releasable_to: list[str] | None = None,
    owner: str = "TJK",
) -> uuid.UUID:
    """A crisis row as the crises domain would hold it (the tests only need it to exist)."""
    now = utcnow()
    crisis = Crisis(
        id=uuid.uuid4(),
        title="Earthquake in the Rasht valley",
        summary="",
        level=level,
        mode="exercise",
        affected_states=affected or ["TJK"],
        owner=owner,
        classification=classification,
        releasable_to=releasable_to if releasable_to is not None else ["ALL"],
        opened_by="test",
        opened_at=now,
        level_changed_at=now,
        updated_at=now,
    )
    async with db.transaction() as session:
        session.add(crisis)
    return crisis.id


class Actor:
    """A logged-in user on a client of their own; ``call`` sends the CSRF token."""

    def __init__(self, client: httpx.AsyncClient, username: str, csrf: str) -> None:
        self.client = client
        self.username = username
        self.csrf = csrf

    async def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"X-CSRF-Token": self.csrf, **kwargs.pop("headers", {})}
        return await self.client.request(method, path, headers=headers, **kwargs)

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.client.get(path, **kwargs)

    async def post(self, path: str, json: Any = None) -> httpx.Response:
        return await self.call("POST", path, json=json)

    async def patch(self, path: str, json: Any = None) -> httpx.Response:
        return await self.call("PATCH", path, json=json)


async def actor(
    stack: AsyncExitStack,
    app: FastAPI,
    state: str,
    roles: list[str] | None = None,
    clearance: str = "CONFIDENTIAL",
    username: str | None = None,
) -> Actor:
    client = await stack.enter_async_context(client_on(app))
    user = await add_user(
        app.state.db,
        username=username or f"{state.lower()}-{uuid.uuid4().hex[:6]}",
        state=state,
        roles=roles or ["duty_officer"],
        clearance=clearance,
    )
    return Actor(client, user.username, await login(client, user.username))


def request_body(crisis_id: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    later = (utcnow() + timedelta(days=2)).isoformat()
    body: dict[str, Any] = {
        "crisis_id": str(crisis_id),
        "title": "Two medium rescue teams and a field hospital",
        "contact": "Dushanbe situation centre, +992 37 000 0000",
        "need_lines": [
            {
                "capability": "usar_medium",
                "quantity": 2,
                "place": "Gharm",
                "longitude": 70.43,
                "latitude": 39.02,
                "needed_by": later,
            },
            {"capability": "field_hospital", "quantity": 1, "place": "Gharm", "needed_by": later},
        ],
    }
    body.update(overrides)
    return body


def offer_body(line_id: str, quantity: int = 1, **overrides: Any) -> dict[str, Any]:
    body = {
        "need_line_id": line_id,
        "quantity": quantity,
        "arrival_at": (utcnow() + timedelta(hours=30)).isoformat(),
        "conditions": "self-sufficient for 10 days",
    }
    body.update(overrides)
    return body
