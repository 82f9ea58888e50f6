import asyncio
from pathlib import Path

import pytest

from tests.cli import PASSWORD, add_user, assert_one_line_failure, cli_env, count_rows, listed_users
from tests.conftest import run_cli
from tests.factories import login

GOOD = {"--state": "KAZ", "--role": "analyst", "--clearance": "CONFIDENTIAL"}


@pytest.fixture
def env(sqlite_url: str, data_dir: Path) -> dict[str, str]:
    return cli_env(sqlite_url, data_dir)


def options(**changes: str) -> list[str]:
    values = {**GOOD, **{f"--{key}": value for key, value in changes.items()}}
    return [part for pair in values.items() for part in pair]


def test_a_user_added_with_several_roles_is_listed_with_them(env):
    result = add_user(
        env,
        "org.officer",
        "--state", "ORG", "--role", "secretariat", "--role", "admin",
        "--clearance", "SECRET", "--email", "officer@accord.example",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Added org.officer" in result.stdout
    assert listed_users(env)["org.officer"] == [
        "ORG",
        "admin, secretariat",
        "SECRET",
        "officer@accord.example",
        "active",
    ]


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"role": "boss"}, ("roles", "unknown role 'boss'")),
        ({"state": "XXX"}, ("unknown state code XXX",)),
        ({"state": "UZB"}, ("unknown state code UZB",)),
        ({"state": "kaz"}, ("state", "ISO 3166 alpha-3")),
        ({"clearance": "TOPSECRET"}, ("unknown level 'TOPSECRET'",)),
        ({"email": "not-an-address"}, ("email",)),
    ],
)
async def test_bad_user_details_are_refused_in_one_line_and_nothing_is_stored(
    env, sqlite_url, changes, words
):
    before = await count_rows(sqlite_url, "users", "events")
    result = add_user(env, "kaz.newcomer", *options(**changes))
    assert_one_line_failure(result, *words)
    assert "kaz.newcomer" not in listed_users(env)
    assert await count_rows(sqlite_url, "users", "events") == before


def test_a_short_password_is_refused(env):
    result = add_user(env, "kaz.newcomer", *options(), password="short")
    assert_one_line_failure(result, "password", "at least 10 characters")
    assert "kaz.newcomer" not in listed_users(env)


def test_an_empty_password_on_standard_input_is_refused(env):
    result = run_cli("user", "add", "kaz.newcomer", *options(), "--password-stdin",
                     env=env, input="\n")  # fmt: skip
    assert_one_line_failure(result, "--password-stdin", "no password")
    assert "kaz.newcomer" not in listed_users(env)


def test_without_password_stdin_a_piped_command_does_not_wait_for_a_prompt(env):
    result = run_cli("user", "add", "kaz.newcomer", *options(), env=env, input=PASSWORD + "\n")
    assert_one_line_failure(result, "no password", "--password-stdin")
    assert "kaz.newcomer" not in listed_users(env)


def test_an_existing_user_name_is_refused_and_the_first_user_kept(env):
    assert add_user(env, "kaz.officer").returncode == 0
    again = add_user(env, "kaz.officer", *options(state="RUS", clearance="SECRET"))
    assert_one_line_failure(again, "kaz.officer exists already")
    assert listed_users(env)["kaz.officer"][:3] == ["KAZ", "analyst", "CONFIDENTIAL"]


def test_a_bad_user_name_is_refused(env):
    assert_one_line_failure(add_user(env, "Kaz Officer"), "username")
    assert listed_users(env) == {}


async def test_a_disabled_user_can_no_longer_log_in_or_use_a_session(env, client):
    assert add_user(env, "kaz.officer", password=PASSWORD).returncode == 0
    await login(client, "kaz.officer", PASSWORD)
    assert (await client.get("/api/v1/me")).status_code == 200

    # In a thread: the app in this process keeps committing while the command runs.
    disabled = await asyncio.to_thread(run_cli, "user", "disable", "kaz.officer", env=env)
    assert disabled.returncode == 0, disabled.stderr

    assert (await client.get("/api/v1/me")).status_code == 401
    client.cookies.clear()
    answer = await client.post(
        "/api/v1/auth/login", json={"username": "kaz.officer", "password": PASSWORD}
    )
    assert answer.status_code == 401
    assert (await asyncio.to_thread(listed_users, env))["kaz.officer"][-1] == "disabled"


def test_disabling_an_unknown_user_fails_in_one_line(env):
    assert_one_line_failure(run_cli("user", "disable", "nobody", env=env), "no user named nobody")


def test_the_user_list_shows_every_user_with_status(env):
    for name in ("arm.duty", "blr.duty", "kaz.duty"):
        assert add_user(env, name).returncode == 0
    assert run_cli("user", "disable", "blr.duty", env=env).returncode == 0
    users = listed_users(env)
    assert {name: row[-1] for name, row in users.items()} == {
        "arm.duty": "active",
        "blr.duty": "disabled",
        "kaz.duty": "active",
    }
