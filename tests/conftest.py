"""Real databases for the tests: a migrated template per backend, cloned fresh for each test.

SQLite always runs. PostgreSQL runs when the server at ACCORD_TEST_POSTGRES (default
127.0.0.1:5432) answers; with CI=true a missing server fails the run instead of skipping.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

# Cheap hashing and a private data folder before anything reads the settings.
_SCRATCH = Path(tempfile.mkdtemp(prefix="accord-tests-"))
os.environ["ACCORD_ARGON2_TIME_COST"] = "1"
os.environ["ACCORD_ARGON2_MEMORY_KIB"] = "8"
os.environ["ACCORD_DATA_DIR"] = str(_SCRATCH / "data")
os.environ.pop("ACCORD_DATABASE_URL", None)
os.environ.pop("ACCORD_ORGANISATION", None)

import asyncpg  # noqa: E402
import httpx  # noqa: E402
import pytest  # noqa: E402
from fastapi import FastAPI  # noqa: E402

from accord.app import create_app  # noqa: E402
from accord.config import Settings  # noqa: E402
from accord.db import Database  # noqa: E402
from accord.events.runtime import seal_and_announce  # noqa: E402
from accord.members.organisation import load_organisation  # noqa: E402
from accord.members.service import load_reference_data  # noqa: E402
from accord.migrate import upgrade  # noqa: E402
from accord.models import Base  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_ADMIN = os.environ.get(
    "ACCORD_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
ROOT = Path(__file__).resolve().parents[1]
RUN_ID = f"{os.getpid()}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


# PostgreSQL availability


def _postgres_reason() -> str | None:
    async def probe() -> None:
        connection = await asyncpg.connect(POSTGRES_ADMIN, timeout=3)
        await connection.close()

    try:
        asyncio.run(probe())
    except Exception as error:  # any failure to connect means "not available"
        return f"PostgreSQL not reachable at {POSTGRES_ADMIN}: {error}"
    return None


_PG_REASON = _postgres_reason()


def require_postgres() -> None:
    if _PG_REASON is None:
        return
    if IN_CI:
        pytest.fail(f"CI=true needs PostgreSQL: {_PG_REASON}")
    pytest.skip(_PG_REASON)


def _pg_url(database: str) -> str:
    base = POSTGRES_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return f"{base}/{database}"


async def _pg_admin(statement: str) -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


# Templates: migrated once per run, reference data loaded.


async def _load_reference(url: str, data_dir: Path) -> None:
    settings = Settings(database_url=url, data_dir=data_dir)
    db = Database(url)
    try:
        async with db.transaction() as session:
            await load_reference_data(session, load_organisation(settings.organisation))
        await seal_and_announce(db, settings)
    finally:
        await db.dispose()


async def _migrate(url: str) -> None:
    # Alembic runs its own event loop; keep it off the test loop.
    await asyncio.to_thread(upgrade, url)


_templates: dict[str, str] = {}


async def _drop_leftovers() -> None:
    """Drop test databases of earlier runs whose process is gone (a run that was killed)."""
    admin = await asyncpg.connect(POSTGRES_ADMIN)
    try:
        rows = await admin.fetch(
            "SELECT datname FROM pg_database WHERE datname LIKE 'accord_t%' "
            "OR datname LIKE 'accord_tpl%'"
        )
    finally:
        await admin.close()
    for row in rows:
        pid = row["datname"].split("_")[2]
        if pid.isdigit() and not os.path.exists(f"/proc/{pid}"):  # noqa: ASYNC240
            await _pg_admin(f'DROP DATABASE IF EXISTS "{row["datname"]}" WITH (FORCE)')


async def _template(backend: str) -> str:
    """The migrated template of ``backend``, made on first use (a file path or a database name)."""
    if backend in _templates:
        return _templates[backend]
    if backend == "sqlite":
        path = _SCRATCH / "template.db"
        url = f"sqlite+aiosqlite:///{path}"
        await _migrate(url)
        await _load_reference(url, _SCRATCH / "template-data")
        _templates[backend] = str(path)
    else:
        await _drop_leftovers()
        name = f"accord_tpl_{RUN_ID}"
        await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await _pg_admin(f'CREATE DATABASE "{name}"')
        await _migrate(_pg_url(name))
        await _load_reference(_pg_url(name), _SCRATCH / "template-data")
        _templates[backend] = name
    return _templates[backend]


def pytest_unconfigure(config) -> None:
    shutil.rmtree(_SCRATCH, ignore_errors=True)
    if "postgresql" in _templates:

        async def drop_all() -> None:
            for name in [*_made_postgres, _templates["postgresql"]]:
                await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        asyncio.run(drop_all())


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


async def _fresh_database(backend: str, directory: Path) -> str:
    template = await _template(backend)
    if backend == "sqlite":
        target = directory / "accord.db"
        shutil.copyfile(template, target)
        return f"sqlite+aiosqlite:///{target}"
    if _free_postgres:
        return _pg_url(_free_postgres.pop())
    name = f"accord_t_{RUN_ID}_{len(_made_postgres)}"
    await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    _made_postgres.append(name)
    return _pg_url(name)


# Creating and dropping a PostgreSQL database costs seconds; emptying one costs milliseconds.
# So each test's database goes back to a pool, emptied and reloaded like the template.
_free_postgres: list[str] = []
_made_postgres: list[str] = []


async def _release_if_postgres(url: str) -> None:
    if not url.startswith("postgresql"):
        return
    name = url.rsplit("/", 1)[1]
    admin = await asyncpg.connect(POSTGRES_ADMIN)
    try:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = $1 AND pid <> pg_backend_pid()",
            name,
        )
    finally:
        await admin.close()
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        existing = {
            row["tablename"]
            for row in await connection.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            )
        }
        # DELETE, not TRUNCATE: on small tables it avoids new files and their fsyncs.
        emptying = ";".join(
            f'DELETE FROM "{table.name}"'
            for table in reversed(Base.metadata.sorted_tables)
            if table.name in existing
        )
        await connection.execute(f"BEGIN;{emptying};COMMIT")
    finally:
        await connection.close()
    await _load_reference(url, _SCRATCH / "template-data")
    _free_postgres.append(name)


@pytest.fixture
async def sqlite_url(data_dir: Path) -> str:
    return await _fresh_database("sqlite", data_dir)


@pytest.fixture
async def postgres_url(data_dir: Path) -> AsyncIterator[str]:
    require_postgres()
    url = await _fresh_database("postgresql", data_dir)
    yield url
    await _release_if_postgres(url)


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, data_dir: Path) -> AsyncIterator[str]:
    """A fresh, migrated database with the organisation loaded, on each backend in turn."""
    if request.param == "postgresql":
        require_postgres()
    url = await _fresh_database(request.param, data_dir)
    yield url
    await _release_if_postgres(url)


@pytest.fixture
def settings(database_url: str, data_dir: Path) -> Settings:
    return Settings(database_url=database_url, data_dir=data_dir)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    yield database
    await database.dispose()


# The application, in process (API and page tests run on SQLite, with a PostgreSQL smoke pass)


@pytest.fixture
def app_settings(sqlite_url: str, data_dir: Path) -> Settings:
    return Settings(database_url=sqlite_url, data_dir=data_dir, sealer_interval_seconds=0.05)


async def _started_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app: FastAPI = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            client.app = app  # type: ignore[attr-defined]
            yield client


@pytest.fixture
async def client(app_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to a started app on a fresh SQLite database."""
    async for started in _started_client(app_settings):
        yield started


@pytest.fixture
async def pg_client(postgres_url: str, data_dir: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The same on PostgreSQL, for the smoke pass."""
    settings = Settings(database_url=postgres_url, data_dir=data_dir, sealer_interval_seconds=0.05)
    async for started in _started_client(settings):
        yield started


# A real server process


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerProcess:
    """``accord serve`` started as a process, on its own port."""

    def __init__(self, database_url: str, data_dir: Path, *, workers: int = 1) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "ACCORD_DATABASE_URL": database_url,
            "ACCORD_DATA_DIR": str(data_dir),
            "ACCORD_SEALER_INTERVAL_SECONDS": "0.2",
        }
        self.log = data_dir / f"server-{self.port}.log"
        command = [
            sys.executable,
            "-m",
            "accord",
            "serve",
            "--port",
            str(self.port),
            "--workers",
            str(workers),
        ]
        self.process = subprocess.Popen(
            command, env=self.env, cwd=ROOT, stdout=self.log.open("w"), stderr=subprocess.STDOUT
        )
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def server(sqlite_url: str, data_dir: Path) -> Iterator[ServerProcess]:
    """A real ``accord serve`` on a fresh SQLite database."""
    process = ServerProcess(sqlite_url, data_dir)
    yield process
    process.stop()


def run_cli(
    *args: str, env: dict[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``accord ARGS…`` as a process and return what it printed."""
    return subprocess.run(
        [sys.executable, "-m", "accord", *args],
        env={**os.environ, **(env or {})},
        cwd=ROOT,
        input=input,
        capture_output=True,
        text=True,
        timeout=120,
    )
