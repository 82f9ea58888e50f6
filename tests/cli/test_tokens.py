import uuid
from pathlib import Path

import httpx
import pytest

from tests.cli import add_user, assert_one_line_failure, cli_env, count_rows
from tests.conftest import ServerProcess, run_cli


@pytest.fixture
def env(server: ServerProcess, sqlite_url: str, data_dir: Path) -> dict[str, str]:
    """The environment of the database that ``server`` serves, with one user in it."""
    environment = cli_env(sqlite_url, data_dir)
    assert add_user(environment, "kaz.robot").returncode == 0
    return environment


def create_token(env: dict[str, str], label: str = "sensor feed") -> str:
    result = run_cli("token", "create", "kaz.robot", "--label", label, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1]


def me(server: ServerProcess, token: str) -> httpx.Response:
    return httpx.get(
        f"{server.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )


def listed_tokens(env: dict[str, str]) -> dict[str, list[str]]:
    """``accord token list kaz.robot`` read back: token id → the other columns of its row."""
    result = run_cli("token", "list", "kaz.robot", env=env)
    assert result.returncode == 0, result.stderr
    rows = [line.strip("│ ").split("│") for line in result.stdout.splitlines() if "│" in line]
    return {row[0].strip(): [cell.strip() for cell in row[1:]] for row in rows}


def test_a_created_token_is_printed_alone_on_the_last_line_and_works_as_bearer(server, env):
    token = create_token(env)
    assert token.startswith("acc_")
    assert token.strip() == token
    answer = me(server, token)
    assert answer.status_code == 200, answer.text
    assert answer.json()["username"] == "kaz.robot"


def test_the_token_list_shows_the_token_but_never_its_secret(env):
    token = create_token(env, label="sensor feed")
    result = run_cli("token", "list", "kaz.robot", env=env)
    assert token not in result.stdout
    [(token_id, row)] = listed_tokens(env).items()
    uuid.UUID(token_id)
    assert row[0] == "sensor feed"
    assert row[-1] == "active"


def test_a_revoked_token_is_refused(server, env):
    token = create_token(env)
    assert me(server, token).status_code == 200
    [token_id] = listed_tokens(env)
    revoked = run_cli("token", "revoke", token_id, env=env)
    assert revoked.returncode == 0, revoked.stderr
    assert me(server, token).status_code == 401
    assert listed_tokens(env)[token_id][-1] == "revoked"


def test_revoking_one_token_leaves_the_others_working(server, env):
    first, second = create_token(env, "first"), create_token(env, "second")
    ids = {row[0]: token_id for token_id, row in listed_tokens(env).items()}
    assert run_cli("token", "revoke", ids["first"], env=env).returncode == 0
    assert me(server, first).status_code == 401
    assert me(server, second).status_code == 200


def test_a_disabled_users_token_stops_working(server, env):
    token = create_token(env)
    assert run_cli("user", "disable", "kaz.robot", env=env).returncode == 0
    assert me(server, token).status_code == 401


def test_a_made_up_token_is_refused(server, env):
    create_token(env)
    assert me(server, "acc_" + "x" * 43).status_code == 401


@pytest.mark.parametrize("token_id", ["not-a-token", "12345", ""])
def test_revoking_a_malformed_id_fails_in_one_line(env, token_id):
    assert_one_line_failure(run_cli("token", "revoke", token_id, env=env), "TOKEN_ID")


def test_revoking_an_unknown_id_fails_in_one_line(env):
    unknown = str(uuid.uuid4())
    assert_one_line_failure(run_cli("token", "revoke", unknown, env=env), "no token", unknown)


async def test_a_token_for_an_unknown_user_is_not_issued(env, sqlite_url):
    result = run_cli("token", "create", "nobody", env=env)
    assert_one_line_failure(result, "no user named nobody")
    assert "acc_" not in result.stdout
    assert await count_rows(sqlite_url, "api_tokens") == {"api_tokens": 0}


async def test_an_overlong_label_is_refused(env, sqlite_url):
    result = run_cli("token", "create", "kaz.robot", "--label", "x" * 101, env=env)
    assert_one_line_failure(result, "--label")
    assert await count_rows(sqlite_url, "api_tokens") == {"api_tokens": 0}
