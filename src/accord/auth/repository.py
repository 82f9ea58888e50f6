"""All SQL of the auth domain."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accord.models import ApiToken, LoginThrottle, User, UserSession


async def get_user_by_name(session: AsyncSession, username: str) -> User | None:
    return (
        await session.execute(select(User).where(User.username == username))
    ).scalar_one_or_none()


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def list_users(session: AsyncSession) -> list[User]:
    return list((await session.execute(select(User).order_by(User.state, User.username))).scalars())


async def get_session_and_user(
    session: AsyncSession, secret_hash: str
) -> tuple[UserSession, User] | None:
    """A login session and its user, in one query (every page request needs both)."""
    query = (
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.secret_hash == secret_hash)
    )
    row = (await session.execute(query)).first()
    return (row[0], row[1]) if row else None


async def get_token_and_user(
    session: AsyncSession, secret_hash: str
) -> tuple[ApiToken, User] | None:
    """An API token and its user, in one query (every scripted request needs both)."""
    query = (
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.secret_hash == secret_hash)
    )
    row = (await session.execute(query)).first()
    return (row[0], row[1]) if row else None


async def active_sessions_of(session: AsyncSession, user_id: uuid.UUID) -> list[UserSession]:
    query = select(UserSession).where(
        UserSession.user_id == user_id, UserSession.revoked_at.is_(None)
    )
    return list((await session.execute(query)).scalars())


async def list_tokens(session: AsyncSession, user_id: uuid.UUID) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.created_at)
    return list((await session.execute(query)).scalars())


async def get_throttle(session: AsyncSession, username: str, source: str) -> LoginThrottle | None:
    query = select(LoginThrottle).where(
        LoginThrottle.username == username, LoginThrottle.source == source
    )
    return (await session.execute(query)).scalar_one_or_none()


async def list_locks(session: AsyncSession, now: datetime) -> list[LoginThrottle]:
    query = (
        select(LoginThrottle)
        .where(LoginThrottle.locked_until > now)
        .order_by(LoginThrottle.locked_until.desc())
    )
    return list((await session.execute(query)).scalars())
