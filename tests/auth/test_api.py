"""The auth API as its callers use it: login, sessions, CSRF, throttling, tokens, users, TOTP."""

from __future__ import annotations

import hashlib
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pyotp
import pytest
from sqlalchemy import select, text

from accord.app import create_app
from accord.config import Settings
from accord.models import ApiToken, UserSession
from tests.auth import Clock, as_admin, bearer, csrf, frozen_clock
from tests.contract import assert_access_contract, client_on, count_events, count_users
from tests.factories import PASSWORD, add_user, login, user_with_session

OTHER_ADDRESS = ("10.0.0.2", 123)
SLOW_AFTER, LOCK_AFTER, LOCK_MINUTES = 2, 4, 15


@pytest.fixture
def clock() -> Iterator[Clock]:
    with frozen_clock() as pinned:
        yield pinned


@pytest.fixture
async def strict_client(sqlite_url: str, data_dir: Path) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app that slows logins after 2 failures and locks after 4."""
    settings = Settings(
        database_url=sqlite_url,
        data_dir=data_dir,
        sealer_interval_seconds=0.05,
        login_slow_after=SLOW_AFTER,
        login_lock_after=LOCK_AFTER,
        login_lock_minutes=LOCK_MINUTES,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app), client_on(app) as client:
        yield client


def new_user_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "username": "kgz.watch",
        "state": "KGZ",
        "roles": ["duty_officer", "analyst"],
        "clearance": "CONFIDENTIAL",
        "email": "watch@mchs.kg",
        "display_name": "Duty desk",
        "password": "a-long-enough-password",
    }
    return {**body, **overrides}


async def attempt(client: httpx.AsyncClient, username: str, password: str, **extra: Any):
    body = {"username": username, "password": password, **extra}
    return await client.post("/api/v1/auth/login", json=body)


async def issue_token(client: httpx.AsyncClient, token: str, username: str) -> dict[str, Any]:
    answer = await client.post(
        f"/api/v1/users/{username}/tokens", json={"label": "script"}, headers=csrf(token)
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


async def fail_until_locked(client: httpx.AsyncClient, clock: Clock, username: str) -> None:
    for _ in range(LOCK_AFTER):
        assert (await attempt(client, username, "wrong-password")).status_code == 401
        clock.advance(seconds=61)  # past any slow-down delay, which is at most 60 s


# Login, me, logout


async def test_login_sets_an_httponly_samesite_lax_session_cookie_and_gives_a_csrf_token(client):
    user = await add_user(client.app.state.db)
    answer = await attempt(client, user.username, PASSWORD)
    assert answer.status_code == 200
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("accord_session=")
    assert "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()
    assert len(answer.json()["csrf_token"]) >= 32


async def test_me_shows_username_state_roles_and_clearance(client):
    user, _token = await user_with_session(
        client, state="ARM", roles=["delegate", "analyst"], clearance="SECRET"
    )
    me = (await client.get("/api/v1/me")).json()
    assert me["username"] == user.username
    assert me["state"] == "ARM"
    assert me["roles"] == ["analyst", "delegate"]
    assert me["clearance"] == "SECRET"


async def test_logout_revokes_the_session_so_the_old_cookie_no_longer_works(client):
    _user, token = await user_with_session(client)
    old_cookie = client.cookies["accord_session"]
    assert (await client.post("/api/v1/auth/logout", headers=csrf(token))).status_code == 204
    async with client_on(client.app) as replay:
        replay.cookies.set("accord_session", old_cookie)
        answer = await replay.get("/api/v1/me")
    assert answer.status_code == 401
    async with client.app.state.db.transaction() as session:
        stored = (await session.execute(select(UserSession))).scalars().all()
    assert [row.revoked_at is not None for row in stored] == [True]


async def test_wrong_password_and_unknown_user_get_the_same_401_answer(client):
    user = await add_user(client.app.state.db)
    wrong_password = await attempt(client, user.username, "not-the-password")
    unknown_user = await attempt(client, "nobody.here", "not-the-password")
    for answer in (wrong_password, unknown_user):
        assert answer.status_code == 401
        assert set(answer.json()["error"]) >= {"code", "message"}
        assert "accord_session" not in answer.cookies
    assert wrong_password.json() == unknown_user.json()


async def test_malformed_json_is_refused_with_400_malformed(client):
    answer = await client.post(
        "/api/v1/auth/login",
        content=b'{"username": "x", "password":',
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "malformed"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "kaz.analyst"}, "password"),
        ({"username": "k" * 65, "password": PASSWORD}, "username"),
        ({"username": "kaz.analyst", "password": PASSWORD, "remember": True}, "remember"),
    ],
    ids=["missing-field", "too-long-username", "extra-field"],
)
async def test_invalid_login_body_is_refused_with_422_naming_the_field(client, body, field):
    answer = await client.post("/api/v1/auth/login", json=body)
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "validation_error"
    assert answer.json()["error"]["field"] == field


# Throttling and locks


async def test_after_login_slow_after_failures_the_next_try_waits_with_retry_after(
    strict_client, clock
):
    user = await add_user(strict_client.app.state.db)
    for _ in range(SLOW_AFTER):
        assert (await attempt(strict_client, user.username, "wrong-password")).status_code == 401
    slowed = await attempt(strict_client, user.username, PASSWORD)
    assert slowed.status_code == 429
    assert slowed.json()["error"]["code"] == "too_many_attempts"
    assert "accord_session" not in slowed.cookies
    clock.advance(seconds=int(slowed.headers["Retry-After"]))
    assert (await attempt(strict_client, user.username, PASSWORD)).status_code == 200


async def test_a_locked_account_is_refused_from_that_address_but_not_from_another(
    strict_client, clock
):
    user = await add_user(strict_client.app.state.db)
    await fail_until_locked(strict_client, clock, user.username)
    locked = await attempt(strict_client, user.username, PASSWORD)
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 60
    assert "locked" in locked.json()["error"]["message"]
    async with client_on(strict_client.app, address=OTHER_ADDRESS) as elsewhere:
        assert (await attempt(elsewhere, user.username, PASSWORD)).status_code == 200


async def test_a_lock_ends_by_itself_after_login_lock_minutes(strict_client, clock):
    user = await add_user(strict_client.app.state.db)
    await fail_until_locked(strict_client, clock, user.username)
    assert (await attempt(strict_client, user.username, PASSWORD)).status_code == 429
    clock.advance(minutes=LOCK_MINUTES)
    assert (await attempt(strict_client, user.username, PASSWORD)).status_code == 200


async def test_admin_sees_the_lock_and_clearing_it_lets_the_user_log_in(strict_client, clock):
    user = await add_user(strict_client.app.state.db)
    await fail_until_locked(strict_client, clock, user.username)
    async with client_on(strict_client.app) as admin:
        token = await as_admin(admin)
        locks = (await admin.get("/api/v1/auth/locks")).json()["items"]
        assert [(lock["username"], lock["source"]) for lock in locks] == [
            (user.username, "127.0.0.1")
        ]
        assert locks[0]["failures"] == LOCK_AFTER
        page = await admin.get("/admin/locks")
        assert user.username in page.text and "127.0.0.1" in page.text
        cleared = await admin.delete(f"/api/v1/auth/locks/{locks[0]['id']}", headers=csrf(token))
        assert cleared.status_code == 204
        assert (await admin.get("/api/v1/auth/locks")).json()["items"] == []
    assert (await attempt(strict_client, user.username, PASSWORD)).status_code == 200


async def test_lock_endpoints_keep_the_access_contract(strict_client, clock):
    user = await add_user(strict_client.app.state.db)
    await fail_until_locked(strict_client, clock, user.username)
    await assert_access_contract(strict_client, "GET", "/api/v1/auth/locks", writes_event=False)
    async with client_on(strict_client.app) as admin:
        await as_admin(admin)
        lock_id = (await admin.get("/api/v1/auth/locks")).json()["items"][0]["id"]
    await assert_access_contract(strict_client, "DELETE", f"/api/v1/auth/locks/{lock_id}")


# CSRF


WITHOUT_CSRF = pytest.mark.parametrize(
    "headers", [{}, {"X-CSRF-Token": "not-the-token"}], ids=["missing", "wrong"]
)


def assert_csrf_refused(answer: httpx.Response) -> None:
    assert answer.status_code == 403, answer.text
    assert answer.json()["error"]["code"] == "csrf_failed"


@WITHOUT_CSRF
async def test_cookie_post_without_the_right_csrf_token_is_refused_and_stores_nothing(
    client, headers
):
    await as_admin(client)
    db = client.app.state.db
    users, events = await count_users(db), await count_events(db)
    assert_csrf_refused(await client.post("/api/v1/users", json=new_user_body(), headers=headers))
    assert (await count_users(db), await count_events(db)) == (users, events)


@WITHOUT_CSRF
async def test_cookie_patch_without_the_right_csrf_token_changes_nothing(client, headers):
    await as_admin(client)
    subject = await add_user(client.app.state.db)
    path = f"/api/v1/users/{subject.username}"
    assert_csrf_refused(await client.patch(path, json={"disabled": True}, headers=headers))
    assert (await client.get(path)).json()["disabled"] is False


@WITHOUT_CSRF
async def test_cookie_delete_without_the_right_csrf_token_leaves_the_token_working(client, headers):
    token = await as_admin(client)
    subject = await add_user(client.app.state.db)
    issued = await issue_token(client, token, subject.username)
    assert_csrf_refused(await client.delete(f"/api/v1/tokens/{issued['id']}", headers=headers))
    async with client_on(client.app) as script:
        assert (await script.get("/api/v1/me", headers=bearer(issued["token"]))).status_code == 200


async def test_a_bearer_token_changes_things_without_a_csrf_token(client):
    token = await as_admin(client)
    me = (await client.get("/api/v1/me")).json()["username"]
    issued = await issue_token(client, token, me)
    async with client_on(client.app) as script:
        auth = bearer(issued["token"])
        created = await script.post("/api/v1/users", json=new_user_body(), headers=auth)
        assert created.status_code == 201
        patched = await script.patch(
            "/api/v1/users/kgz.watch", json={"disabled": True}, headers=auth
        )
        assert patched.json()["disabled"] is True
        assert (
            await script.delete(f"/api/v1/tokens/{issued['id']}", headers=auth)
        ).status_code == 204


# API tokens


async def test_a_token_issued_by_an_admin_authenticates_as_its_user(client):
    token = await as_admin(client)
    subject = await add_user(client.app.state.db, state="TJK", roles=["duty_officer"])
    issued = await issue_token(client, token, subject.username)
    assert issued["token"].startswith("acc_")
    async with client_on(client.app) as script:
        me = (await script.get("/api/v1/me", headers=bearer(issued["token"]))).json()
    assert (me["username"], me["state"], me["roles"]) == (subject.username, "TJK", ["duty_officer"])


async def test_a_revoked_token_is_refused_saying_it_was_revoked(client):
    token = await as_admin(client)
    subject = await add_user(client.app.state.db)
    issued = await issue_token(client, token, subject.username)
    revoked = await client.delete(f"/api/v1/tokens/{issued['id']}", headers=csrf(token))
    assert revoked.status_code == 204
    async with client_on(client.app) as script:
        answer = await script.get("/api/v1/me", headers=bearer(issued["token"]))
    assert answer.status_code == 401
    assert "revoked" in answer.json()["error"]["message"]


async def test_only_a_hash_of_the_token_is_stored(client):
    token = await as_admin(client)
    subject = await add_user(client.app.state.db)
    issued = await issue_token(client, token, subject.username)
    async with client.app.state.db.transaction() as session:
        rows = (await session.execute(text("SELECT * FROM api_tokens"))).all()
        stored = (await session.execute(select(ApiToken))).scalar_one()
    assert not any(issued["token"] in str(value) for row in rows for value in row)
    assert stored.secret_hash == hashlib.sha256(issued["token"].encode()).hexdigest()


async def test_the_token_of_a_disabled_user_is_refused(client):
    token = await as_admin(client)
    subject = await add_user(client.app.state.db)
    issued = await issue_token(client, token, subject.username)
    await client.patch(
        f"/api/v1/users/{subject.username}", json={"disabled": True}, headers=csrf(token)
    )
    async with client_on(client.app) as script:
        answer = await script.get("/api/v1/me", headers=bearer(issued["token"]))
    assert answer.status_code == 401


async def test_an_unknown_token_is_refused(client):
    answer = await client.get("/api/v1/me", headers=bearer("acc_" + "x" * 43))
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "not_authenticated"


async def test_token_endpoints_keep_the_access_contract(client):
    subject = await add_user(client.app.state.db)
    base = f"/api/v1/users/{subject.username}/tokens"
    await assert_access_contract(client, "GET", base, writes_event=False)
    issued = await assert_access_contract(client, "POST", base, json={"label": "feed"})
    await assert_access_contract(client, "DELETE", f"/api/v1/tokens/{issued.json()['id']}")


# Users


async def test_admin_creates_a_user_with_roles_state_clearance_and_email(client):
    token = await as_admin(client)
    answer = await client.post("/api/v1/users", json=new_user_body(), headers=csrf(token))
    assert answer.status_code == 201
    created = answer.json()
    assert created["username"] == "kgz.watch"
    assert created["state"] == "KGZ"
    assert created["roles"] == ["analyst", "duty_officer"]
    assert created["clearance"] == "CONFIDENTIAL"
    assert created["email"] == "watch@mchs.kg"
    assert (await client.get("/api/v1/users/kgz.watch")).json()["id"] == created["id"]
    async with client_on(client.app) as newcomer:
        assert (await attempt(newcomer, "kgz.watch", "a-long-enough-password")).status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"roles": ["wizard"]}, "roles"),
        ({"state": "XYZ"}, "state"),
        ({"state": "FRA"}, "state"),
        ({"state": "kgz"}, "state"),
        ({"clearance": "TOP_SECRET"}, "clearance"),
        ({"password": "short"}, "password"),
        ({"email": "not-an-address"}, "email"),
    ],
    ids=[
        "role",
        "unknown-state",
        "state-not-in-organisation",
        "lowercase-state",
        "clearance",
        "short-password",
        "email",
    ],
)
async def test_invalid_new_user_is_refused_naming_the_field_and_nothing_is_stored(
    client, change, field
):
    token = await as_admin(client)
    db = client.app.state.db
    users, events = await count_users(db), await count_events(db)
    answer = await client.post("/api/v1/users", json=new_user_body(**change), headers=csrf(token))
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["field"] == field
    assert (await count_users(db), await count_events(db)) == (users, events)
    assert (await client.get("/api/v1/users/kgz.watch")).status_code == 404


async def test_a_duplicate_username_is_refused_with_409_and_nothing_is_stored(client):
    token = await as_admin(client)
    existing = await add_user(client.app.state.db, state="RUS")
    db = client.app.state.db
    users, events = await count_users(db), await count_events(db)
    body = new_user_body(username=existing.username)
    answer = await client.post("/api/v1/users", json=body, headers=csrf(token))
    assert answer.status_code == 409
    assert answer.json()["error"]["field"] == "username"
    assert (await count_users(db), await count_events(db)) == (users, events)
    assert (await client.get(f"/api/v1/users/{existing.username}")).json()["state"] == "RUS"


async def test_user_endpoints_keep_the_access_contract(client):
    subject = await add_user(client.app.state.db)
    path = f"/api/v1/users/{subject.username}"
    await assert_access_contract(client, "GET", "/api/v1/users", writes_event=False)
    await assert_access_contract(client, "POST", "/api/v1/users", json=new_user_body())
    await assert_access_contract(client, "GET", path, writes_event=False)
    await assert_access_contract(
        client, "POST", f"{path}/password", json={"password": "temporary-password"}
    )
    await assert_access_contract(client, "PATCH", path, json={"disabled": True})


async def test_disabling_a_user_ends_their_sessions_and_logins(client):
    token = await as_admin(client)
    async with client_on(client.app) as theirs:
        user, _token = await user_with_session(theirs)
        assert (await theirs.get("/api/v1/me")).status_code == 200
        answer = await client.patch(
            f"/api/v1/users/{user.username}", json={"disabled": True}, headers=csrf(token)
        )
        assert answer.json()["disabled"] is True
        assert (await theirs.get("/api/v1/me")).status_code == 401
        assert (await attempt(theirs, user.username, PASSWORD)).status_code == 401


async def test_after_a_password_reset_the_user_must_change_it_before_going_on(client):
    token = await as_admin(client)
    async with client_on(client.app) as theirs:
        user, _token = await user_with_session(theirs)
        reset = await client.post(
            f"/api/v1/users/{user.username}/password",
            json={"password": "temporary-password"},
            headers=csrf(token),
        )
        assert reset.status_code == 204
        assert (await theirs.get("/api/v1/me")).status_code == 401  # old sessions end
        theirs_token = await login(theirs, user.username, "temporary-password")
        await assert_password_change_required(theirs, theirs_token)
        changed = await theirs.post(
            "/api/v1/me/password",
            json={"current_password": "temporary-password", "new_password": "my-own-new-password"},
            headers=csrf(theirs_token),
        )
        assert changed.status_code == 204
        assert (await theirs.get("/api/v1/events")).status_code == 200
        assert (await theirs.get("/account")).status_code == 200


async def test_a_user_who_must_change_the_password_can_still_log_out(client):
    token = await as_admin(client)
    subject = await add_user(client.app.state.db)
    await client.post(
        f"/api/v1/users/{subject.username}/password",
        json={"password": "temporary-password"},
        headers=csrf(token),
    )
    async with client_on(client.app) as theirs:
        theirs_token = await login(theirs, subject.username, "temporary-password")
        answer = await theirs.post("/api/v1/auth/logout", headers=csrf(theirs_token))
        assert answer.status_code == 204
        assert (await theirs.get("/api/v1/me")).status_code == 401


async def assert_password_change_required(client: httpx.AsyncClient, token: str) -> None:
    for answer in (
        await client.get("/api/v1/events"),
        await client.post("/api/v1/me/totp", headers=csrf(token)),
    ):
        assert answer.status_code == 403
        assert answer.json()["error"]["code"] == "password_change_required"
    assert (await client.get("/api/v1/me")).json()["must_change_password"] is True
    page = await client.get("/account")
    assert (page.status_code, page.headers["location"]) == (303, "/account/password")


# TOTP


async def enrol_totp(client: httpx.AsyncClient, token: str) -> str:
    started = await client.post("/api/v1/me/totp", headers=csrf(token))
    assert started.status_code == 200
    secret = started.json()["secret"]
    code = pyotp.TOTP(secret).now()
    confirmed = await client.post(
        "/api/v1/me/totp/confirm", json={"code": code}, headers=csrf(token)
    )
    assert confirmed.status_code == 204, confirmed.text
    return secret


def a_wrong_code(secret: str) -> str:
    totp, now = pyotp.TOTP(secret), time.time()
    accepted = {totp.at(now + 30 * step) for step in range(-2, 3)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in accepted)


async def test_confirming_a_totp_code_switches_the_second_factor_on(client):
    _user, token = await user_with_session(client)
    started = await client.post("/api/v1/me/totp", headers=csrf(token))
    assert (await client.get("/api/v1/me")).json()["totp_enabled"] is False
    wrong = a_wrong_code(started.json()["secret"])
    refused = await client.post(
        "/api/v1/me/totp/confirm", json={"code": wrong}, headers=csrf(token)
    )
    assert (refused.status_code, refused.json()["error"]["field"]) == (422, "code")
    assert (await client.get("/api/v1/me")).json()["totp_enabled"] is False
    await enrol_totp(client, token)
    assert (await client.get("/api/v1/me")).json()["totp_enabled"] is True


async def test_login_with_totp_on_needs_the_right_code(client):
    user, token = await user_with_session(client)
    secret = await enrol_totp(client, token)
    async with client_on(client.app) as device:
        without = await attempt(device, user.username, PASSWORD)
        assert (without.status_code, without.json()["error"]["code"]) == (401, "totp_required")
        wrong = await attempt(device, user.username, PASSWORD, totp=a_wrong_code(secret))
        assert wrong.status_code == 401
        assert "accord_session" not in device.cookies
        right = await attempt(device, user.username, PASSWORD, totp=pyotp.TOTP(secret).now())
        assert right.status_code == 200


async def test_admin_can_switch_a_users_totp_off(client):
    async with client_on(client.app) as theirs:
        user, token = await user_with_session(theirs)
        await enrol_totp(theirs, token)
    admin_token = await as_admin(client)
    answer = await client.patch(
        f"/api/v1/users/{user.username}", json={"totp_enabled": False}, headers=csrf(admin_token)
    )
    assert answer.json()["totp_enabled"] is False
    async with client_on(client.app) as device:
        assert (await attempt(device, user.username, PASSWORD)).status_code == 200


# Idle sessions


async def test_a_session_idle_longer_than_session_idle_minutes_is_refused(client, clock):
    await user_with_session(client)
    idle = client.app.state.settings.session_idle_minutes
    clock.advance(minutes=idle - 1)
    assert (await client.get("/api/v1/me")).status_code == 200
    clock.advance(minutes=idle - 1)
    assert (await client.get("/api/v1/me")).status_code == 200  # activity kept it alive
    clock.advance(minutes=idle + 1)
    assert (await client.get("/api/v1/me")).status_code == 401


# PostgreSQL smoke pass


async def test_on_postgresql_login_me_and_logout_work(pg_client):
    user, token = await user_with_session(pg_client, state="BLR")
    assert (await pg_client.get("/api/v1/me")).json()["username"] == user.username
    assert (await pg_client.post("/api/v1/auth/logout", headers=csrf(token))).status_code == 204
    assert (await pg_client.get("/api/v1/me")).status_code == 401


async def test_on_postgresql_an_admin_creates_a_user(pg_client):
    token = await as_admin(pg_client)
    users = await count_users(pg_client.app.state.db)
    answer = await pg_client.post("/api/v1/users", json=new_user_body(), headers=csrf(token))
    assert answer.status_code == 201
    assert await count_users(pg_client.app.state.db) == users + 1
    duplicate = await pg_client.post("/api/v1/users", json=new_user_body(), headers=csrf(token))
    assert duplicate.status_code == 409
    assert await count_users(pg_client.app.state.db) == users + 1
