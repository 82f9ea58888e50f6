"""Incident ingest over HTTP: batches and single reports, each against a baseline in the same run.

    python bench/ingest.py [--postgres URL] [--batches 10] [--reports 3000] [--clients 32]
                           [--rounds 2]

(a) Batch ingest: B requests of 1,000 incidents to ``POST /api/v1/incidents/batch`` of a real
``accord serve`` (a Kazakh duty officer's API token), one after another: incidents a second when
the answers came, and when the server had also sealed their events. Baseline: raw batched
INSERTs (asyncpg ``executemany``, one transaction per 1,000) of the very rows the service writes
for the same reports — the incident rows and one event row each (the ratio compares with this),
and beside it the same with the timeline rows the service also writes. The baseline runs before
the server starts, so that no sealer seals its events, and its rows are deleted afterwards.
(b) Single reports: C clients on keep-alive connections each ``POST /api/v1/incidents`` one
incident per request, N requests a round; reports a second and p50/p95/p99 latency. Baseline: a
bare FastAPI app (``baseline_app`` below, one uvicorn process like ``accord serve``) whose
endpoint does one asyncpg INSERT of the same incident row from a pool. Rounds alternate.
(c) The serving process's resident memory (VmRSS, and its peak VmHWM, from /proc).

The database is PostgreSQL ``accord_bench_<pid>``, dropped at the end. Everything runs against
127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("ACCORD_ARGON2_TIME_COST", "1")
os.environ.setdefault("ACCORD_ARGON2_MEMORY_KIB", "8")

import asyncpg
import httpx
from _common import (
    POSTGRES_ADMIN,
    ROOT,
    BenchDatabase,
    Server,
    free_port,
    fresh_database,
    milliseconds,
    percentile,
    table,
)
from fastapi import Body, FastAPI
from situation import asyncpg_url, machine, make_users, report_body, resident, sample
from sqlalchemy import JSON, TypeDecorator, select
from sqlalchemy.dialects import postgresql

from accord.access import Classification, Viewer
from accord.db import Database
from accord.incidents.schemas import SEVERITY_RANK, IncidentCreate
from accord.incidents.service import report_incidents
from accord.models import Event, Incident, IncidentUpdate

BATCH = 1000
REPORTER = ("kaz.duty", ("KAZ", ("duty_officer",), "CONFIDENTIAL"))
SEAL_SECONDS = 300
BENCH_DIR = Path(__file__).resolve().parent


def report_bodies(seed: int, count: int) -> list[dict]:
    """Reports of the last month by the Kazakh duty officer, with the state's default markings."""
    rng, now = random.Random(seed), datetime.now(UTC) - timedelta(minutes=1)
    return [
        report_body(sample(rng, now, span=timedelta(days=30), owner="KAZ")) for _ in range(count)
    ]


# (a) Batch ingest: the baseline


def _raw(column, value, dialect) -> object:
    """``value`` as the driver takes it, converted as the model's column type converts it."""
    if value is None and column.default is not None:
        value = column.default.arg if column.default.is_scalar else column.default.arg(None)
    if isinstance(column.type, TypeDecorator):
        value = column.type.process_bind_param(value, dialect)
    if isinstance(column.type, JSON) and value is not None:
        value = json.dumps(value)
    return value


def _rows(objects: list, model) -> tuple[str, list[tuple]]:
    """The INSERT of ``model``'s table and the driver values of ``objects`` of that model."""
    columns = list(model.__table__.columns)
    dialect = postgresql.asyncpg.dialect()
    names = ", ".join(f'"{column.name}"' for column in columns)
    places = ", ".join(f"${index}" for index in range(1, len(columns) + 1))
    rows = [
        tuple(_raw(column, getattr(item, column.key), dialect) for column in columns)
        for item in objects
        if isinstance(item, model)
    ]
    table_name = model.__table__.name
    return f"INSERT INTO {table_name} ({names}) VALUES ({places})", rows  # noqa: S608 - model names


async def service_rows(url: str, viewer: Viewer, bodies: list[dict]) -> dict[type, tuple]:
    """The rows ``report_incidents`` writes for ``bodies``: committed, read back, then deleted."""
    db = Database(url)
    try:
        async with db.transaction() as session:
            data = [IncidentCreate.model_validate(body) for body in bodies]
            await report_incidents(session, viewer, data)
        async with db.sessions() as session:
            made = [
                # One order for all three, so each batch of 1,000 holds whole reports.
                *(await session.scalars(select(Incident).order_by(Incident.id))),
                *(
                    await session.scalars(
                        select(Event)
                        .where(Event.kind == "incident.reported")
                        .order_by(Event.subject)
                    )
                ),
                *(
                    await session.scalars(
                        select(IncidentUpdate).order_by(IncidentUpdate.incident_id)
                    )
                ),
            ]
            session.expunge_all()
    finally:
        await db.dispose()
    await clear_reports(url)
    rows = {model: _rows(made, model) for model in (Incident, Event, IncidentUpdate)}
    if not rows[Incident][1]:
        raise SystemExit("the service wrote no incident rows: the baseline would be meaningless")
    return rows


async def insert_batches(url: str, rows: dict[type, tuple], models: Sequence[type]) -> float:
    """INSERT ``rows`` of ``models`` with executemany, one transaction per batch; seconds."""
    connection = await asyncpg.connect(asyncpg_url(url))
    count = len(rows[Incident][1])
    try:
        started = time.perf_counter()
        for start in range(0, count, BATCH):
            async with connection.transaction():
                for model in models:
                    sql, values = rows[model]
                    await connection.executemany(sql, values[start : start + BATCH])
        return time.perf_counter() - started
    finally:
        await connection.close()


async def clear_reports(url: str) -> None:
    connection = await asyncpg.connect(asyncpg_url(url))
    try:
        await connection.execute("DELETE FROM incident_updates")
        await connection.execute("DELETE FROM events WHERE kind = 'incident.reported'")
        await connection.execute("DELETE FROM incidents")
        for name in ("incidents", "events", "incident_updates"):
            await connection.execute(f"VACUUM ANALYZE {name}")
    finally:
        await connection.close()


async def baseline_batches(url: str, viewer: Viewer, bodies: list[dict]) -> dict[str, float]:
    """Seconds for the incident and event rows, and with the timeline rows too."""
    rows = await service_rows(url, viewer, bodies)
    warm = {model: (sql, values[:BATCH]) for model, (sql, values) in rows.items()}
    await insert_batches(url, warm, (Incident, Event, IncidentUpdate))  # warm-up
    await clear_reports(url)
    seconds = {"plain": await insert_batches(url, rows, (Incident, Event))}
    await clear_reports(url)
    seconds["timeline"] = await insert_batches(url, rows, (Incident, Event, IncidentUpdate))
    await clear_reports(url)
    return seconds


# (a) Batch ingest through the API


async def unsealed(url: str) -> int:
    connection = await asyncpg.connect(asyncpg_url(url))
    try:
        return await connection.fetchval("SELECT count(*) FROM events WHERE NOT sealed")
    finally:
        await connection.close()


async def api_batches(server: Server, url: str, token: str, batches: list[bytes]) -> tuple:
    """Seconds until every batch was answered, and until their events were sealed too."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    async with httpx.AsyncClient(base_url=server.url, headers=headers, timeout=300) as client:
        started = time.perf_counter()
        for content in batches:
            answer = await client.post("/api/v1/incidents/batch", content=content)
            answer.raise_for_status()
            refused = [item for item in answer.json()["results"] if item["status"] != "created"]
            if refused:
                raise RuntimeError(f"the batch refused a report: {refused[0]}")
        answered = time.perf_counter() - started
    deadline = time.monotonic() + SEAL_SECONDS
    while time.monotonic() < deadline:
        if not await unsealed(url):
            break
        await asyncio.sleep(0.05)
    return answered, time.perf_counter() - started


# (b) Single reports: the bare baseline app


BASELINE_COLUMNS = (
    "id", "area", "title", "description", "language", "translations", "occurred_at",
    "reported_at", "updated_at", "severity", "severity_rank", "urgency", "certainty", "location",
    "longitude", "latitude", "country", "status", "mode", "source", "owner", "classification",
    "releasable_to", "reported_by", "duplicate_of", "version",
)  # fmt: skip
BASELINE_INSERT = (
    f"INSERT INTO incidents ({', '.join(BASELINE_COLUMNS)}) VALUES "  # noqa: S608 - constants
    f"({', '.join(f'${index}' for index in range(1, len(BASELINE_COLUMNS) + 1))})"
)


def baseline_row(body: dict) -> tuple:
    """The incident row of a report, as the Kazakh duty officer's with default markings."""
    location = body.get("location")
    longitude, latitude = location["coordinates"] if location else (None, None)
    now = datetime.now(UTC)
    return (
        uuid.uuid4(), body["area"], body["title"], body.get("description", ""), "en", "{}",
        datetime.fromisoformat(body["occurred_at"]), now, now, body["severity"],
        SEVERITY_RANK[body["severity"]], body["urgency"], body["certainty"],
        json.dumps(location) if location else None, longitude, latitude, body.get("country"),
        "reported", "actual", body.get("source", ""), "KAZ", int(Classification.RESTRICTED),
        ",ALL,", "kaz.duty", None, 1,
    )  # fmt: skip


def baseline_app() -> FastAPI:
    """A bare FastAPI app: one endpoint, one INSERT from an asyncpg pool (uvicorn factory)."""
    pools: list[asyncpg.Pool] = []

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        url = os.environ["BENCH_DATABASE_URL"]
        pools.append(await asyncpg.create_pool(url, min_size=10, max_size=30))
        yield
        await pools[0].close()

    app = FastAPI(lifespan=lifespan)

    @app.get("/healthz")
    async def healthz() -> dict:
        return {"status": "ok"}

    @app.post("/incidents", status_code=201)
    async def report(body: dict = Body(...)) -> dict:
        row = baseline_row(body)
        await pools[0].execute(BASELINE_INSERT, *row)
        return {"id": str(row[0])}

    return app


class BaselineServer(Server):
    """``baseline_app`` under uvicorn as a process on 127.0.0.1, started and stopped like accord."""

    def __init__(self, database: BenchDatabase) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "BENCH_DATABASE_URL": asyncpg_url(database.url)}
        self.log_path = database.data_dir / f"baseline-{self.port}.log"
        command = [
            sys.executable, "-m", "uvicorn", "ingest:baseline_app", "--factory",
            "--app-dir", str(BENCH_DIR), "--host", "127.0.0.1", "--port", str(self.port),
            "--log-level", "info",
        ]  # fmt: skip
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT
        )


# (b) Single reports: many clients


def post_request(port: int, path: str, token: str | None, body: dict) -> bytes:
    content = json.dumps(body).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(content)}\r\n"
    )
    if token:
        head += f"Authorization: Bearer {token}\r\n"
    return (head + "\r\n").encode() + content


async def _answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = 0
    for line in lines[1:]:
        name, _sep, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    return int(lines[0].split()[1]), await reader.readexactly(length)


async def _client(port: int, requests: list[bytes], latencies: list[float], failures: list) -> None:
    """One keep-alive connection sending its requests one after another."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for request in requests:
            started = time.perf_counter()
            writer.write(request)
            status, body = await _answer(reader)
            latencies.append(time.perf_counter() - started)
            if status != 201:
                failures.append((status, body[:300]))
    finally:
        writer.close()


async def hammer(port: int, requests: list[bytes], clients: int) -> tuple[float, list[float], list]:
    """Send ``requests`` over ``clients`` connections at once: seconds, latencies, failures."""
    latencies: list[float] = []
    failures: list = []
    shares = [requests[index::clients] for index in range(clients)]
    started = time.perf_counter()
    await asyncio.gather(*(_client(port, share, latencies, failures) for share in shares))
    return time.perf_counter() - started, latencies, failures


class Target:
    """Where single reports go, and what they took there over the rounds."""

    def __init__(self, label: str, port: int, path: str, token: str | None) -> None:
        self.label, self.port, self.path, self.token = label, port, path, token
        self.seconds = 0.0
        self.latencies: list[float] = []
        self.failures: list = []

    def requests(self, bodies: list[dict]) -> list[bytes]:
        return [post_request(self.port, self.path, self.token, body) for body in bodies]

    async def run(self, bodies: list[dict], clients: int, *, counted: bool = True) -> None:
        seconds, latencies, failures = await hammer(self.port, self.requests(bodies), clients)
        if failures:
            status, body = failures[0]
            raise RuntimeError(f"{self.label}: {len(failures)} failed, first HTTP {status} {body}")
        if counted:
            self.seconds += seconds
            self.latencies.extend(latencies)

    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def row(self, baseline: Target) -> list[object]:
        figures = [percentile(self.latencies, share) for share in (0.5, 0.95, 0.99)]
        return [
            self.label, f"{self.rate():,.0f}", *(milliseconds(value) for value in figures),
            milliseconds(max(self.latencies)), f"{self.rate() / baseline.rate():.2f}",
        ]  # fmt: skip


async def single_reports(targets: list[Target], arguments: argparse.Namespace) -> None:
    seed = 1000
    for target in targets:
        seed += 1
        await target.run(report_bodies(seed, 200), arguments.clients, counted=False)
    for _round in range(arguments.rounds):
        for target in targets:
            seed += 1
            await target.run(report_bodies(seed, arguments.reports), arguments.clients)


# Running it


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=POSTGRES_ADMIN, help="admin URL of PostgreSQL")
    parser.add_argument("--batches", type=int, default=10, help="batches of 1,000 in (a)")
    parser.add_argument("--reports", type=int, default=3000, help="single reports a round (b)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients in (b)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of (b), alternating")
    arguments = parser.parse_args()
    if min(arguments.batches, arguments.reports, arguments.clients, arguments.rounds) < 1:
        parser.error("every count needs a positive number")
    return arguments


def batch_figures(count: int, baseline: dict[str, float], answered: float, sealed: float) -> list:
    def row(label: str, seconds: float) -> list[object]:
        return [label, f"{count / seconds:,.0f}", f"{baseline['plain'] / seconds:.2f}"]

    return [
        row("baseline: executemany incidents + events, 1 tx per 1,000", baseline["plain"]),
        row("baseline: the same + timeline rows", baseline["timeline"]),
        row("API POST /api/v1/incidents/batch, answered", answered),
        row("API, answered and every event sealed", sealed),
    ]


def run(database: BenchDatabase, arguments: argparse.Namespace) -> None:
    name, (state, roles, clearance) = REPORTER
    token = asyncio.run(make_users(database, {name: (state, roles, clearance)}))[name]
    viewer = Viewer(state=state, clearance=Classification[clearance], roles=frozenset(roles),
                    username=name)  # fmt: skip
    bodies = report_bodies(1, arguments.batches * BATCH)
    baseline = asyncio.run(baseline_batches(database.url, viewer, bodies))
    batches = [
        json.dumps(bodies[start : start + BATCH]).encode() for start in range(0, len(bodies), BATCH)
    ]
    with Server(database) as server:
        httpx.get(f"{server.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        memory_before = resident(server.process.pid)
        warm = [json.dumps(report_bodies(2, 100)).encode()]
        asyncio.run(api_batches(server, database.url, token, warm))
        answered, sealed = asyncio.run(api_batches(server, database.url, token, batches))
        with BaselineServer(database) as bare:
            targets = [
                Target("bare FastAPI + one asyncpg INSERT", bare.port, "/incidents", None),
                Target("accord POST /api/v1/incidents", server.port, "/api/v1/incidents", token),
            ]
            asyncio.run(single_reports(targets, arguments))
        memory_after = resident(server.process.pid)
    print(f"(a) batch ingest: {arguments.batches} requests of {BATCH:,} incidents, one after "
          "another; target: API ≥ 0.5 × baseline")  # fmt: skip
    figures = batch_figures(len(bodies), baseline, answered, sealed)
    print(table(figures, ["path", "incidents/s", "vs baseline"]))
    print(f"\n(b) single reports: {arguments.clients} concurrent clients, {arguments.reports:,} "
          f"reports a round, {arguments.rounds} rounds alternating; target: ratio ≥ 0.5, "
          "p99 < 50 ms")  # fmt: skip
    bare_target, accord_target = targets
    headers = ["server", "reports/s", "p50", "p95", "p99", "max", "vs bare"]
    print(table([bare_target.row(bare_target), accord_target.row(bare_target)], headers))
    print(f"\n(c) accord serve resident memory: {memory_before['VmRSS']:.0f} MiB after start, "
          f"{memory_after['VmRSS']:.0f} MiB after (a) and (b), peak {memory_after['VmHWM']:.0f} "
          "MiB; target < 250 MiB")  # fmt: skip
    print(f"\nMachine at the end: {machine()}")


def main() -> None:
    arguments = parse_arguments()
    print(f"Accord ingest benchmark — PostgreSQL; {machine()}\n")
    with fresh_database("postgresql", arguments.postgres) as database:
        run(database, arguments)


if __name__ == "__main__":
    main()
