"""Plain functions that make records for tests, through the real services."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Classification
from accord.auth import service as auth
from accord.auth.schemas import UserCreate
from accord.db import Database
from accord.models import User

PASSWORD = "correct-horse-battery"


async def create_user(session: AsyncSession, **overrides: Any) -> User:
    values: dict[str, Any] = {
        "username": f"user-{uuid.uuid4().hex[:8]}",
        "state": "KAZ",
        "roles": ["analyst"],
        "clearance": Classification.CONFIDENTIAL,
        "email": None,
        "password": PASSWORD,
    }
    values.update(overrides)
    return await auth.create_user(session, UserCreate(**values), actor="test")


async def add_user(db: Database, **overrides: Any) -> User:
    """Create a user in its own committed transaction."""
    async with db.transaction() as session:
        return await create_user(session, **overrides)


async def login(client: httpx.AsyncClient, username: str, password: str = PASSWORD) -> str:
    """Log ``client`` in with a session cookie; return the CSRF token for changing calls."""
    answer = await client.post(
        "/api/v1/auth/login", json={"username": username, "password": password}
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["csrf_token"]


async def user_with_session(client: httpx.AsyncClient, **overrides: Any) -> tuple[User, str]:
    """A committed user, logged in on ``client``; returns the user and the CSRF token."""
    user = await add_user(client.app.state.db, **overrides)  # type: ignore[attr-defined]
    return user, await login(client, user.username)
