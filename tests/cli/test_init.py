import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from accord.config import DEFAULT_ORGANISATION
from accord.demo import demo_logins
from tests.cli import (
    REFERENCE_TABLES,
    add_user,
    assert_one_line_failure,
    cli_env,
    count_rows,
    listed_users,
)
from tests.conftest import POSTGRES_ADMIN, ROOT, free_port, require_postgres, run_cli

LOADED = {"organisation": 1, "member_states": 6, "bodies": 7, "chair_terms": 3}
SHIPPED = DEFAULT_ORGANISATION.read_text(encoding="utf-8")


@pytest.fixture
def fresh(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A database file that does not exist yet, and the environment naming it."""
    path = tmp_path / "fresh.db"
    return path, cli_env(f"sqlite:///{path}", tmp_path / "data")


async def test_init_creates_the_schema_and_loads_the_organisation(fresh):
    path, env = fresh
    result = run_cli("init", env=env)
    assert result.returncode == 0, result.stderr
    assert "organisation loaded" in result.stdout
    assert await count_rows(f"sqlite:///{path}", *REFERENCE_TABLES) == LOADED


async def test_init_again_changes_nothing_and_says_so(fresh):
    path, env = fresh
    assert run_cli("init", env=env).returncode == 0
    again = run_cli("init", env=env)
    assert again.returncode == 0, again.stderr
    assert "already loaded" in again.stdout
    assert await count_rows(f"sqlite:///{path}", *REFERENCE_TABLES) == LOADED


def test_a_user_can_be_added_right_after_init(fresh):
    _path, env = fresh
    assert run_cli("init", env=env).returncode == 0
    added = add_user(env, "kaz.officer")
    assert added.returncode == 0, added.stderr
    assert listed_users(env)["kaz.officer"][:3] == ["KAZ", "analyst", "CONFIDENTIAL"]


@pytest.fixture
async def empty_postgres() -> AsyncIterator[str]:
    require_postgres()
    name = f"accord_cli_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(POSTGRES_ADMIN)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def test_init_loads_an_empty_postgresql_database_given_a_plain_url(empty_postgres, tmp_path):
    assert empty_postgres.startswith("postgresql://")
    env = cli_env(empty_postgres, tmp_path)
    first = run_cli("init", env=env)
    assert first.returncode == 0, first.stderr
    second = run_cli("init", env=env)
    assert "already loaded" in second.stdout
    assert await count_rows(empty_postgres, *REFERENCE_TABLES) == LOADED
    options = ("--state", "RUS", "--role", "delegate", "--clearance", "SECRET")
    assert add_user(env, "rus.officer", *options).returncode == 0
    assert "rus.officer" in listed_users(env)


def broken_organisations(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Organisation files with one fault each, and the words the error must name."""
    rotation = 'rotation = ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"]'
    texts = {
        "not toml": ("states = [\n", "not valid TOML"),
        "unknown iso code": (SHIPPED.replace('code = "KAZ"', 'code = "KZZ"'), "states.2.code"),
        "bad status": (SHIPPED.replace('"member"', '"emperor"', 1), "states.0.status"),
        "rotation of a stranger": (
            SHIPPED.replace(rotation, rotation[:-1] + ', "UZB"]'),
            "chair.rotation.6",
        ),
    }
    files = {}
    for case, (content, field) in texts.items():
        path = tmp_path / f"{case.replace(' ', '-')}.toml"
        path.write_text(content, encoding="utf-8")
        files[case] = (path, field)
    files["missing file"] = (tmp_path / "nowhere.toml", "no such file")
    return files


@pytest.mark.parametrize(
    "case", ["missing file", "not toml", "unknown iso code", "bad status", "rotation of a stranger"]
)
def test_a_faulty_organisation_file_stops_init_before_the_database_is_touched(
    fresh, tmp_path, case
):
    path, env = fresh
    organisation, field = broken_organisations(tmp_path)[case]
    result = run_cli("init", env={**env, "ACCORD_ORGANISATION": str(organisation)})
    assert_one_line_failure(result, str(organisation), field)
    assert not path.exists()


async def test_a_faulty_organisation_file_leaves_an_existing_database_as_it_was(
    sqlite_url, tmp_path
):
    organisation, _field = broken_organisations(tmp_path)["unknown iso code"]
    env = cli_env(sqlite_url, tmp_path, ACCORD_ORGANISATION=str(organisation))
    before = await count_rows(sqlite_url, *REFERENCE_TABLES, "users", "events")
    assert_one_line_failure(run_cli("init", env=env), "states.2.code")
    assert await count_rows(sqlite_url, *REFERENCE_TABLES, "users", "events") == before


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("mysql://x", "unsupported database 'mysql'"),
        ("nonsense", "not a database URL"),
        ("sqlite+pysqlite:///x", "aiosqlite"),
        ("postgresql://postgres@127.0.0.1:{port}/accord", "cannot"),
    ],
)
@pytest.mark.parametrize("command", [("init",), ("user", "list")])
def test_a_bad_database_url_ends_in_one_line_naming_the_variable(tmp_path, url, reason, command):
    env = cli_env(url.format(port=free_port()), tmp_path)
    assert_one_line_failure(run_cli(*command, env=env), "ACCORD_DATABASE_URL", reason)
    assert not (ROOT / "x").exists()


def demo_usernames() -> set[str]:
    return {login.username for login in demo_logins(["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"])}


def test_demo_prints_a_login_per_role_and_state_and_can_run_twice(fresh):
    _path, env = fresh
    first = run_cli("demo", "--no-serve", env=env)
    assert first.returncode == 0, first.stderr
    for username in (
        "admin",
        "org.secretariat",
        "org.press",
        "org.editor",
        "kaz.duty",
        "tjk.delegate",
    ):
        assert username in first.stdout
    assert "accord-demo-password" in first.stdout
    second = run_cli("demo", "--no-serve", env=env)
    assert second.returncode == 0, second.stderr
    users = listed_users(env)
    assert set(users) == demo_usernames()
    assert len(users) == 5 + 3 * 6
    assert users["kaz.duty"][:3] == ["KAZ", "duty_officer", "CONFIDENTIAL"]
    assert users["admin"][:3] == ["ORG", "admin", "SECRET"]
