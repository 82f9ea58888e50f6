"""What the benchmarks share: fresh databases, a real server process, and figures.

Every benchmark makes its own database and drops it at the end; traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass
class BenchDatabase:
    """A fresh database for one benchmark run, with its data folder."""

    backend: str
    url: str
    data_dir: Path


async def _pg_admin(admin_url: str, statement: str) -> None:
    connection = await asyncpg.connect(admin_url, timeout=10)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def _pg_database_url(admin_url: str, name: str) -> str:
    base = admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return f"{base}/{name}"


def prepare(url: str, data_dir: Path) -> None:
    """Migrate the schema and load the organisation's reference data, as ``accord init`` does."""
    from accord.config import Settings
    from accord.db import Database
    from accord.events.runtime import seal_and_announce
    from accord.members.organisation import load_organisation
    from accord.members.service import load_reference_data
    from accord.migrate import upgrade

    upgrade(url)
    settings = Settings(database_url=url, data_dir=data_dir)

    async def load() -> None:
        db = Database(url)
        try:
            async with db.transaction() as session:
                await load_reference_data(session, load_organisation(settings.organisation))
            await seal_and_announce(db, settings)
        finally:
            await db.dispose()

    asyncio.run(load())


@contextlib.contextmanager
def fresh_database(backend: str, postgres_admin: str = POSTGRES_ADMIN) -> Iterator[BenchDatabase]:
    """A migrated database with the organisation loaded, removed afterwards."""
    scratch = Path(tempfile.mkdtemp(prefix=f"accord-bench-{backend}-"))
    data_dir = scratch / "data"
    data_dir.mkdir()
    name = f"accord_bench_{os.getpid()}"
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{data_dir / 'accord.db'}"
    else:
        asyncio.run(_pg_admin(postgres_admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        asyncio.run(_pg_admin(postgres_admin, f'CREATE DATABASE "{name}"'))
        url = _pg_database_url(postgres_admin, name)
    try:
        prepare(url, data_dir)
        yield BenchDatabase(backend, url, data_dir)
    finally:
        if backend != "sqlite":
            drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
            asyncio.run(_pg_admin(postgres_admin, drop))
        shutil.rmtree(scratch, ignore_errors=True)


def raise_file_limit(wanted: int) -> int:
    """Raise this process's soft limit of open files (children inherit it); return it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """``accord serve`` as a process on 127.0.0.1, stopped on exit."""

    def __init__(self, database: BenchDatabase, *, workers: int = 1, **settings: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "ACCORD_DATABASE_URL": database.url,
            "ACCORD_DATA_DIR": str(database.data_dir),
            **{f"ACCORD_{name.upper()}": value for name, value in settings.items()},
        }
        self.log_path = database.data_dir / f"server-{self.port}.log"
        command = [sys.executable, "-m", "accord", "serve", "--port", str(self.port)]
        command += ["--workers", str(workers)]
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT
        )

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited:\n{self.log_path.read_text()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the server did not start:\n{self.log_path.read_text()}")

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self._log.close()


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1))
    return ordered[rank]


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def table(rows: Sequence[Sequence[object]], headers: Sequence[str]) -> str:
    """A plain text table: numbers aligned right, words left."""
    cells = [[str(cell) for cell in row] for row in [headers, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for index, row in enumerate(cells):
        line = "  ".join(
            cell.rjust(widths[i]) if cell[:1].isdigit() else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        )
        lines.append(line)
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)
