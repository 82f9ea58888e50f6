"""The rules of the auth service on SQLite and PostgreSQL: throttles, sessions, tokens, users."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from accord.auth import service
from accord.auth.schemas import UserCreate
from accord.config import Settings
from accord.db import Database
from accord.errors import InvalidInput, NotAuthenticated, TooManyAttempts
from accord.models import Event, LoginThrottle, User
from tests.auth import frozen_clock
from tests.factories import PASSWORD, add_user

HERE, THERE = "192.0.2.10", "192.0.2.20"


async def log_in(db: Database, settings: Settings, username: str, password: str, source: str):
    async with db.transaction() as session:
        return await service.login(
            session, db, settings, username=username, password=password, totp=None, source=source
        )


async def throttles(db: Database) -> list[tuple[str, str, int]]:
    async with db.transaction() as session:
        rows = (await session.execute(select(LoginThrottle))).scalars()
        return sorted((row.username, row.source, row.failures) for row in rows)


async def count(db: Database, model: type) -> int:
    async with db.transaction() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def test_a_failed_login_is_counted_although_its_transaction_rolls_back(db, settings):
    user = await add_user(db)
    with pytest.raises(NotAuthenticated):
        await log_in(db, settings, user.username, "wrong-password", HERE)
    assert await throttles(db) == [(user.username, HERE, 1)]


async def test_a_successful_login_clears_the_failure_count(db, settings):
    user = await add_user(db)
    with pytest.raises(NotAuthenticated):
        await log_in(db, settings, user.username, "wrong-password", HERE)
    await log_in(db, settings, user.username, PASSWORD, HERE)
    assert await throttles(db) == []


async def test_a_lock_holds_for_one_account_and_source_only(db, settings):
    strict = settings.model_copy(update={"login_slow_after": 5, "login_lock_after": 2})
    user = await add_user(db)
    for _ in range(2):
        with pytest.raises(NotAuthenticated):
            await log_in(db, strict, user.username, "wrong-password", HERE)
    with pytest.raises(TooManyAttempts) as refused:
        await log_in(db, strict, user.username, PASSWORD, HERE)
    assert refused.value.retry_after > 60
    async with db.transaction() as session:
        assert [lock.source for lock in await service.locks(session)] == [HERE]
    assert (await log_in(db, strict, user.username, PASSWORD, THERE)).user.id == user.id


async def end_session(db: Database, settings: Settings, secret: str, how: str) -> None:
    async with db.transaction() as session:
        found = await service.session_for_cookie(session, settings, secret)
        assert found is not None
        user, user_session = found
        if how == "logout":
            await service.logout(session, user, user_session)
        elif how == "disabled":
            await service.set_disabled(session, user, True, actor="test")


@pytest.mark.parametrize("how", ["logout", "idle", "disabled"])
async def test_a_session_ends_on_logout_idleness_or_its_user_disabled(db, settings, how):
    user = await add_user(db)
    with frozen_clock() as clock:
        opened = await log_in(db, settings, user.username, PASSWORD, HERE)
        await end_session(db, settings, opened.cookie_secret, how)
        if how == "idle":
            clock.advance(minutes=settings.session_idle_minutes + 1)
        async with db.transaction() as session:
            assert await service.session_for_cookie(session, settings, opened.cookie_secret) is None


async def test_a_token_is_kept_as_a_hash_and_refused_once_revoked(db):
    user = await add_user(db)
    async with db.transaction() as session:
        token, secret = await service.create_token(session, user, "feed", actor="test")
    assert secret not in token.secret_hash
    async with db.transaction() as session:
        assert (await service.user_for_token(session, secret)).id == user.id
        await service.revoke_token(session, token.id, actor="test")
    async with db.transaction() as session:
        with pytest.raises(NotAuthenticated, match="revoked"):
            await service.user_for_token(session, secret)


async def test_a_user_of_a_state_outside_the_organisation_is_not_stored(db):
    users, events = await count(db, User), await count(db, Event)
    data = UserCreate(
        username="fra.duty",
        state="FRA",
        roles=["duty_officer"],
        clearance="RESTRICTED",
        password="a-long-enough-password",
    )
    with pytest.raises(InvalidInput) as refused:
        async with db.transaction() as session:
            await service.create_user(session, data, actor="test")
    assert refused.value.field == "state"
    assert (await count(db, User), await count(db, Event)) == (users, events)


async def test_creating_a_user_writes_an_event_naming_the_actor(db):
    events = await count(db, Event)
    user = await add_user(db, state="RUS", roles=["delegate"])
    async with db.transaction() as session:
        query = select(Event).where(Event.kind == "user.created", Event.subject == str(user.id))
        event = (await session.execute(query)).scalar_one()
    assert await count(db, Event) == events + 1
    assert (event.actor, event.payload["username"], event.payload["state"]) == (
        "test",
        user.username,
        "RUS",
    )
