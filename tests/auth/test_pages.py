"""The auth pages as a person uses them: login form, account, user administration, language."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pyotp
import pytest
from sqlalchemy import select

from accord.models import User
from tests.auth import ADMIN
from tests.contract import client_on, count_events, count_users
from tests.factories import PASSWORD, add_user


def form_token(page: str) -> str:
    """The CSRF token a rendered page puts in its forms."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def shown_error(page: str) -> str:
    found = re.search(r'<p class="error" role="alert">(.*?)</p>', page, re.S)
    assert found, "the page shows no error"
    return html.unescape(found.group(1))


def html_lang(page: str) -> str:
    found = re.search(r'<html lang="([a-z]+)">', page)
    assert found
    return found.group(1)


async def submit_login(
    client: httpx.AsyncClient, username: str, password: str = PASSWORD, next: str = "/"
) -> httpx.Response:
    token = form_token((await client.get("/login")).text)
    form = {"csrf_token": token, "username": username, "password": password, "next": next}
    return await client.post("/login", data=form)


async def page_session(client: httpx.AsyncClient, **overrides: Any) -> tuple[User, str]:
    """A new user logged in through the login form; returns the user and the forms' token."""
    user = await add_user(client.app.state.db, **overrides)
    assert (await submit_login(client, user.username)).status_code == 303
    return user, form_token((await client.get("/account")).text)


def new_user_form(token: str, **overrides: Any) -> dict[str, Any]:
    return {
        "csrf_token": token,
        "username": "tjk.watch",
        "display_name": "Duty desk",
        "email": "watch@khf.tj",
        "state": "TJK",
        "clearance": "RESTRICTED",
        "password": "a-long-enough-password",
        "roles": ["duty_officer", "analyst"],
        **overrides,
    }


async def stored_user(client: httpx.AsyncClient, username: str) -> User | None:
    async with client.app.state.db.transaction() as session:
        query = select(User).where(User.username == username)
        return (await session.execute(query)).scalar_one_or_none()


# Login and logout


async def test_login_page_shows_a_form_carrying_the_visitors_csrf_token(client):
    page = await client.get("/login")
    assert page.status_code == 200
    assert 'action="/login"' in page.text
    assert 'name="username"' in page.text and 'name="password"' in page.text
    assert form_token(page.text) == client.cookies["accord_csrf"]


async def test_logging_in_with_the_form_redirects_to_next_with_a_session(client):
    user = await add_user(client.app.state.db)
    answer = await submit_login(client, user.username, next="/account")
    assert (answer.status_code, answer.headers["location"]) == (303, "/account")
    assert "accord_session" in answer.cookies
    account = await client.get("/account")
    assert account.status_code == 200
    assert user.username in account.text


async def test_a_wrong_password_shows_the_form_again_with_a_message_and_401(client):
    user = await add_user(client.app.state.db)
    answer = await submit_login(client, user.username, "not-the-password")
    assert answer.status_code == 401
    assert shown_error(answer.text) == "wrong username or password"
    assert f'value="{user.username}"' in answer.text
    assert "accord_session" not in client.cookies


@pytest.mark.parametrize("token", [None, "not-the-token"], ids=["missing", "wrong"])
async def test_the_login_form_without_the_visitors_csrf_token_is_refused(client, token):
    user = await add_user(client.app.state.db)
    await client.get("/login")
    form = {"username": user.username, "password": PASSWORD, "csrf_token": token}
    answer = await client.post("/login", data={k: v for k, v in form.items() if v})
    assert answer.status_code == 403
    assert "accord_session" not in client.cookies


async def test_login_form_asks_for_the_one_time_code_when_totp_is_on(client):
    user, token = await page_session(client)
    headers = {"X-CSRF-Token": token}
    secret = (await client.post("/api/v1/me/totp", headers=headers)).json()["secret"]
    code = {"code": pyotp.TOTP(secret).now()}
    assert (await client.post("/api/v1/me/totp/confirm", json=code, headers=headers)).is_success
    async with client_on(client.app) as device:
        asked = await submit_login(device, user.username)
        assert asked.status_code == 401
        assert 'name="totp"' in asked.text
        assert "accord_session" not in device.cookies
        form = {
            "csrf_token": form_token(asked.text),
            "username": user.username,
            "password": PASSWORD,
            "totp": pyotp.TOTP(secret).now(),
        }
        assert (await device.post("/login", data=form)).status_code == 303


async def test_the_logout_form_ends_the_session_and_needs_its_csrf_token(client):
    _user, token = await page_session(client)
    refused = await client.post("/logout", data={})
    assert refused.status_code == 403
    assert (await client.get("/account")).status_code == 200
    answer = await client.post("/logout", data={"csrf_token": token})
    assert answer.status_code == 303
    assert (await client.get("/account")).status_code == 303


async def test_a_page_needing_login_redirects_to_login_with_next(client):
    answer = await client.get("/admin/users?state=KAZ")
    assert answer.status_code == 303
    location = urlparse(answer.headers["location"])
    assert location.path == "/login"
    assert parse_qs(location.query)["next"] == ["/admin/users?state=KAZ"]
    user = await add_user(client.app.state.db, **ADMIN)
    back = await submit_login(client, user.username, next="/admin/users?state=KAZ")
    assert back.headers["location"] == "/admin/users?state=KAZ"


async def test_login_never_redirects_to_another_site(client):
    user = await add_user(client.app.state.db)
    answer = await submit_login(client, user.username, next="//elsewhere.example/phish")
    assert answer.headers["location"] == "/"


# The user's own account


async def test_account_page_shows_the_users_state_and_roles(client):
    await page_session(client, state="KAZ", roles=["analyst", "delegate"], clearance="SECRET")
    page = (await client.get("/account")).text
    assert "Kazakhstan (KAZ)" in page
    assert "Analyst, Delegate" in page
    assert "SECRET" in page


async def test_after_a_password_reset_pages_lead_to_the_password_form_until_changed(client):
    user = await add_user(client.app.state.db)
    async with client_on(client.app) as admin:
        _admin, admin_token = await page_session(admin, **ADMIN)
        form = {"csrf_token": admin_token, "password": "temporary-password"}
        assert (await admin.post(f"/admin/users/{user.username}/password", data=form)).is_redirect
    answer = await submit_login(client, user.username, "temporary-password", next="/account")
    assert answer.headers["location"] == "/account/password"
    assert (await client.get("/account")).headers["location"] == "/account/password"
    page = await client.get("/account/password")
    assert page.status_code == 200
    change = {
        "csrf_token": form_token(page.text),
        "current_password": "temporary-password",
        "new_password": "my-own-new-password",
    }
    assert (await client.post("/account/password", data=change)).headers["location"] == "/account"
    assert (await client.get("/account")).status_code == 200


async def test_a_wrong_current_password_shows_the_form_again_and_keeps_the_password(client):
    user, token = await page_session(client)
    change = {
        "csrf_token": token,
        "current_password": "not-the-password",
        "new_password": "my-own-new-password",
    }
    answer = await client.post("/account/password", data=change)
    assert answer.status_code == 422
    assert "current password" in shown_error(answer.text)
    async with client_on(client.app) as again:
        assert (await submit_login(again, user.username)).status_code == 303


# User administration


async def test_admin_users_page_lists_every_user_for_an_admin(client):
    others = [await add_user(client.app.state.db, state=code) for code in ("ARM", "BLR")]
    await page_session(client, **ADMIN)
    page = await client.get("/admin/users")
    assert page.status_code == 200
    for other in others:
        assert f'data-username="{other.username}"' in page.text


async def test_admin_users_page_is_refused_to_a_duty_officer(client):
    other = await add_user(client.app.state.db, state="ARM")
    await page_session(client, state="KGZ", roles=["duty_officer"])
    page = await client.get("/admin/users")
    assert page.status_code == 403
    assert "admin" in shown_error(page.text)
    assert other.username not in page.text


async def test_adding_a_user_with_the_form_stores_them(client):
    _admin, token = await page_session(client, **ADMIN)
    answer = await client.post("/admin/users", data=new_user_form(token))
    assert (answer.status_code, answer.headers["location"]) == (303, "/admin/users")
    stored = await stored_user(client, "tjk.watch")
    assert stored is not None
    assert (stored.state, stored.roles, stored.clearance.name, stored.email) == (
        "TJK",
        ["analyst", "duty_officer"],
        "RESTRICTED",
        "watch@khf.tj",
    )
    assert 'data-username="tjk.watch"' in (await client.get("/admin/users")).text


async def test_a_too_short_reset_password_is_refused_and_the_old_one_still_works(client):
    user = await add_user(client.app.state.db)
    _admin, token = await page_session(client, **ADMIN)
    form = {"csrf_token": token, "password": "short"}
    answer = await client.post(f"/admin/users/{user.username}/password", data=form)
    assert "at least 10 characters" in shown_error(answer.text)
    assert (await stored_user(client, user.username)).must_change_password is False
    async with client_on(client.app) as theirs:
        assert (await submit_login(theirs, user.username)).headers["location"] == "/"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"username": "Bad Name"}, "username"),
        ({"state": "XYZ"}, "state"),
        ({"state": "tjk"}, "state"),
        ({"email": "not-an-address"}, "email"),
        ({"password": "short"}, "password"),
    ],
    ids=["username", "unknown-state", "lowercase-state", "email", "short-password"],
)
async def test_a_bad_user_form_names_the_field_and_stores_nothing(client, change, field):
    _admin, token = await page_session(client, **ADMIN)
    db = client.app.state.db
    users, events = await count_users(db), await count_events(db)
    answer = await client.post("/admin/users", data=new_user_form(token, **change))
    assert answer.status_code == 422
    assert field in shown_error(answer.text)
    assert "a-long-enough-password" not in answer.text
    assert (await count_users(db), await count_events(db)) == (users, events)


async def test_the_add_user_form_without_its_csrf_token_is_refused_and_stores_nothing(client):
    await page_session(client, **ADMIN)
    db = client.app.state.db
    users, events = await count_users(db), await count_events(db)
    form = new_user_form("")
    del form["csrf_token"]
    answer = await client.post("/admin/users", data=form)
    assert answer.status_code == 403
    assert (await count_users(db), await count_events(db)) == (users, events)


# Language


async def test_switching_to_russian_changes_the_next_page_and_is_remembered_for_the_user(client):
    user, token = await page_session(client)
    form = {"csrf_token": token, "language": "ru", "next": "/account"}
    answer = await client.post("/language", data=form)
    assert (answer.status_code, answer.headers["location"]) == (303, "/account")
    assert html_lang((await client.get("/account")).text) == "ru"
    assert (await stored_user(client, user.username)).language == "ru"
    async with client_on(client.app) as another_browser:
        assert html_lang((await another_browser.get("/login")).text) == "en"
        await submit_login(another_browser, user.username)
        assert html_lang((await another_browser.get("/account")).text) == "ru"


async def test_the_language_form_without_its_csrf_token_changes_nothing(client):
    await page_session(client)
    answer = await client.post("/language", data={"language": "ru", "next": "/account"})
    assert answer.status_code == 403
    assert html_lang((await client.get("/account")).text) == "en"
