"""What the CLI tests share: a command's environment, its failures, and what the database holds."""

from __future__ import annotations

import subprocess
from pathlib import Path

from sqlalchemy import text

from accord.db import Database
from tests.conftest import run_cli

REFERENCE_TABLES = ("organisation", "member_states", "bodies", "chair_terms")
PASSWORD = "long-enough-pw"


def cli_env(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    return {"ACCORD_DATABASE_URL": database_url, "ACCORD_DATA_DIR": str(data_dir), **extra}


def assert_one_line_failure(result: subprocess.CompletedProcess[str], *words: str) -> str:
    """The command exited 2 with one line on stderr that contains every one of ``words``."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0]
    return lines[0]


async def count_rows(database_url: str, *tables: str) -> dict[str, int]:
    db = Database(database_url)
    counts = {}
    try:
        async with db.transaction() as session:
            for table in tables:
                query = text(f"SELECT count(*) FROM {table}")
                counts[table] = (await session.execute(query)).scalar_one()
    finally:
        await db.dispose()
    return counts


def listed_users(env: dict[str, str]) -> dict[str, list[str]]:
    """``accord user list`` read back: username → the other columns of its row."""
    result = run_cli("user", "list", env=env)
    assert result.returncode == 0, result.stderr
    rows = [line.strip("│ ").split("│") for line in result.stdout.splitlines() if "│" in line]
    return {row[0].strip(): [cell.strip() for cell in row[1:]] for row in rows}


def add_user(env: dict[str, str], name: str, *options: str, password: str = PASSWORD):
    return run_cli(
        "user",
        "add",
        name,
        *(options or ("--state", "KAZ", "--role", "analyst", "--clearance", "CONFIDENTIAL")),
        "--password-stdin",
        env=env,
        input=password + "\n",
    )
