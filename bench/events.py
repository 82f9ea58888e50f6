"""The event log under load: how fast events are written, and how fast the live stream delivers.

    python bench/events.py [--postgres URL] [--events N] [--clients 100,1000] [--rounds R]

(a) Events written per second through the service layer (``record_event`` in
``db.transaction()``, one event per transaction, then ``seal_pending``: hash chain and signed
checkpoint), beside plain INSERTs of the same rows through the database driver, in the same run.
(b) The delay from commit to delivery on the live stream of a real ``accord serve`` for N
connected clients: p50, p95, max, and how many clients received each event.

Each backend gets a fresh database (PostgreSQL: ``accord_bench_<pid>``, dropped at the end).
Everything runs against 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# Password hashing is not what is measured here: keep user set-up cheap.
os.environ.setdefault("ACCORD_ARGON2_TIME_COST", "1")
os.environ.setdefault("ACCORD_ARGON2_MEMORY_KIB", "8")

import aiosqlite
import asyncpg
import httpx
from _common import (
    POSTGRES_ADMIN,
    BenchDatabase,
    Server,
    fresh_database,
    milliseconds,
    percentile,
    raise_file_limit,
    table,
)

from accord.access import EVERYONE, SECRETARIAT, Classification
from accord.auth import service as auth
from accord.auth.schemas import UserCreate
from accord.config import Settings
from accord.db import Database
from accord.events.chain import payload_digest
from accord.events.keys import load_or_create_key
from accord.events.runtime import announce
from accord.events.sealer import seal_pending
from accord.events.service import record_event, secretariat_only
from accord.models import Event

STREAM_PATH = "/api/v1/events/stream"
CONNECT_BATCH = 50
CONNECT_SECONDS = 180
DELIVERY_SECONDS = 15
VIEWERS = 10
BASELINE_KIND = "bench.baseline"
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"


# (a) Writing events


def user_payload(index: int) -> dict:
    """The shape of a typical administrative event's payload."""
    return {
        "username": f"bench-{index:07d}",
        "state": "KAZ",
        "roles": ["analyst"],
        "clearance": "RESTRICTED",
    }


async def write_through_service(db: Database, count: int) -> float:
    started = time.perf_counter()
    for index in range(count):
        async with db.transaction() as session:
            record_event(
                session,
                actor="bench",
                kind="user.created",
                subject=uuid.uuid4(),
                payload=user_payload(index),
                **secretariat_only(),
            )
    return time.perf_counter() - started


async def seal_all(db: Database, settings: Settings) -> float:
    key = load_or_create_key(settings.checkpoint_key_path)
    started = time.perf_counter()
    await seal_pending(db, key)
    return time.perf_counter() - started


@dataclass(frozen=True)
class RawRow:
    """An unsealed event row with the same columns the service writes."""

    id: uuid.UUID
    at: datetime
    subject: str
    payload: dict
    payload_hash: str


def raw_rows(count: int) -> list[RawRow]:
    rows = []
    for index in range(count):
        payload = user_payload(index)
        rows.append(
            RawRow(
                uuid.uuid4(), datetime.now(UTC), str(uuid.uuid4()), payload, payload_digest(payload)
            )
        )
    return rows


SQLITE_INSERT = (
    "INSERT INTO events (id, seq, sealed, at, actor, state, kind, subject, classification, "
    "releasable_to, payload, payload_hash, prev_hash, hash) "
    "VALUES (?, NULL, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)"
)
POSTGRES_INSERT = (
    "INSERT INTO events (id, seq, sealed, at, actor, state, kind, subject, classification, "
    "releasable_to, payload, payload_hash, prev_hash, hash) "
    "VALUES ($1, NULL, false, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, NULL)"
)


def row_values(row: RawRow, row_id: object, at: object) -> tuple:
    """Driver-ready values, converted as the model's column types would convert them."""
    level = int(Classification.RESTRICTED)
    body = json.dumps(row.payload)
    return (row_id, at, "bench", SECRETARIAT, BASELINE_KIND, row.subject, level, ",", body,
            row.payload_hash)  # fmt: skip


def sqlite_values(row: RawRow) -> tuple:
    return row_values(row, row.id.hex, row.at.replace(tzinfo=None).strftime(SQLITE_TIME))


def postgres_values(row: RawRow) -> tuple:
    return row_values(row, row.id, row.at)


async def sqlite_baseline(path: str, rows: list[RawRow], *, batched: bool) -> float:
    sql = SQLITE_INSERT
    values = [sqlite_values(row) for row in rows]
    async with aiosqlite.connect(path) as connection:
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
            await connection.execute(f"PRAGMA {pragma}")
        started = time.perf_counter()
        if batched:
            await connection.executemany(sql, values)
            await connection.commit()
        else:
            for value in values:
                await connection.execute(sql, value)
                await connection.commit()
        elapsed = time.perf_counter() - started
        await connection.execute("DELETE FROM events WHERE kind = ?", (BASELINE_KIND,))
        await connection.commit()
    return elapsed


async def postgres_baseline(url: str, rows: list[RawRow], *, batched: bool) -> float:
    sql = POSTGRES_INSERT
    values = [postgres_values(row) for row in rows]
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        started = time.perf_counter()
        if batched:
            async with connection.transaction():
                await connection.executemany(sql, values)
        else:
            statement = await connection.prepare(sql)
            for value in values:
                async with connection.transaction():
                    await statement.fetch(*value)
        elapsed = time.perf_counter() - started
        await connection.execute("DELETE FROM events WHERE kind = $1", BASELINE_KIND)
    finally:
        await connection.close()
    return elapsed


async def baseline(database: BenchDatabase, count: int, *, batched: bool) -> float:
    rows = raw_rows(count)
    if database.backend == "sqlite":
        return await sqlite_baseline(database.url.split(":///", 1)[1], rows, batched=batched)
    return await postgres_baseline(database.url, rows, batched=batched)


async def measure_writes(database: BenchDatabase, count: int) -> list[list[object]]:
    settings = Settings(database_url=database.url, data_dir=database.data_dir)
    db = Database(database.url)
    try:
        await write_through_service(db, 20)  # warm the pool and the statement caches
        await seal_all(db, settings)
        write_seconds = await write_through_service(db, count)
        seal_seconds = await seal_all(db, settings)
    finally:
        await db.dispose()
    per_transaction = await baseline(database, count, batched=False)
    batched = await baseline(database, count, batched=True)

    def rate(seconds: float) -> str:
        return f"{count / seconds:,.0f}"

    def ratio(seconds: float) -> str:
        return f"{per_transaction / seconds:.2f}"

    both = write_seconds + seal_seconds
    figures = [
        ("service: record_event, one per transaction", write_seconds, True),
        ("service: seal_pending (hash chain, checkpoint)", seal_seconds, False),
        ("service: write, then seal", both, True),
        ("baseline: INSERT, one per transaction", per_transaction, True),
        ("baseline: INSERT executemany, one transaction", batched, True),
    ]
    return [
        [database.backend, path, rate(seconds), ratio(seconds) if compared else "-"]
        for path, seconds, compared in figures
    ]


# (b) Delivering to connected clients


class StreamClient(asyncio.Protocol):
    """One raw SSE connection that notes when each event id first arrives (wall clock)."""

    def __init__(self, request: bytes) -> None:
        self.request = request
        self.ready = asyncio.Event()
        self.closed = asyncio.Event()
        self.status: bytes | None = None
        self.seen: dict[int, float] = {}
        self._pending = b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]
        self._transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        now = time.time()
        lines = (self._pending + data).split(b"\n")
        self._pending = lines.pop()
        for line in lines:
            if line.startswith(b"id: "):
                self.seen.setdefault(int(line[4:]), now)
            elif self.status is None and line.startswith(b"HTTP/"):
                self.status = line.split()[1]
            elif line.startswith(b": connected"):
                self.ready.set()

    def connection_lost(self, _exc: Exception | None) -> None:
        self.closed.set()
        self.ready.set()

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()


@dataclass
class Audience:
    """The connected clients of one server."""

    port: int
    tokens: list[str]
    clients: list[StreamClient] = field(default_factory=list)

    def request(self, index: int) -> bytes:
        token = self.tokens[index % len(self.tokens)]
        return (
            f"GET {STREAM_PATH} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
            f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
        ).encode()

    async def grow_to(self, count: int) -> None:
        """Open connections until ``count`` are streaming, a batch at a time."""
        loop = asyncio.get_running_loop()
        deadline = time.monotonic() + CONNECT_SECONDS
        while len(self.clients) < count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {len(self.clients)} of {count} clients connected")
            batch = [
                StreamClient(self.request(len(self.clients) + offset))
                for offset in range(min(CONNECT_BATCH, count - len(self.clients)))
            ]
            for client in batch:
                await loop.create_connection(lambda c=client: c, "127.0.0.1", self.port)
            await asyncio.wait_for(
                asyncio.gather(*(client.ready.wait() for client in batch)), CONNECT_SECONDS
            )
            refused = [client for client in batch if client.status != b"200"]
            if refused:
                raise RuntimeError(f"the stream refused a client: HTTP {refused[0].status!r}")
            self.clients.extend(batch)

    async def wait_for(self, seq: int) -> None:
        deadline = time.monotonic() + DELIVERY_SECONDS
        while time.monotonic() < deadline:
            if all(seq in client.seen or client.closed.is_set() for client in self.clients):
                return
            await asyncio.sleep(0.005)

    def delays(self, seq: int, committed_at: float) -> list[float]:
        return [client.seen[seq] - committed_at for client in self.clients if seq in client.seen]

    def close(self) -> None:
        for client in self.clients:
            client.close()


async def make_viewers(database: BenchDatabase) -> tuple[str, list[str]]:
    """An administrator's token and the tokens of secretariat staff who watch the stream."""
    db = Database(database.url)
    settings = Settings(database_url=database.url, data_dir=database.data_dir)
    roles = (["analyst"], ["secretariat"], ["press"])
    levels = ("RESTRICTED", "CONFIDENTIAL", "SECRET")
    try:
        async with db.transaction() as session:
            admin = await _user_with_token(session, "bench-admin", ["admin"], "SECRET")
            viewers = [
                await _user_with_token(
                    session, f"bench-viewer-{index}", roles[index % 3], levels[index % 3]
                )
                for index in range(VIEWERS)
            ]
        await seal_pending(db, load_or_create_key(settings.checkpoint_key_path))
    finally:
        await db.dispose()
    return admin, viewers


async def _user_with_token(session, username: str, roles: list[str], clearance: str) -> str:
    data = UserCreate(
        username=username, state=SECRETARIAT, roles=roles, clearance=clearance,
        password="bench-password-long",
    )  # fmt: skip
    user = await auth.create_user(session, data, actor="bench")
    _token, secret = await auth.create_token(session, user, "bench", actor="bench")
    return secret


async def warm_tokens(base_url: str, tokens: list[str]) -> None:
    # The first use of a token records it; do that once, not for a thousand clients at once.
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        for token in tokens:
            answer = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
            answer.raise_for_status()


class ApiTrigger:
    """An administrator creates a user over HTTP; the server's own sealer delivers the event.

    The delay is counted from the event's ``at``, stamped inside the transaction just before its
    commit, so it is an upper bound of the time from commit to delivery.
    """

    label = "API request, server seals"

    def __init__(self, base_url: str, admin_token: str) -> None:
        self.client = httpx.AsyncClient(
            base_url=base_url, timeout=30, headers={"Authorization": f"Bearer {admin_token}"}
        )

    async def fire(self) -> tuple[int, float]:
        body = {
            "username": f"bench-{uuid.uuid4().hex[:10]}",
            "state": SECRETARIAT,
            "roles": ["analyst"],
            "clearance": "RESTRICTED",
            "password": "bench-password-long",
        }
        created = await self.client.post("/api/v1/users", json=body)
        created.raise_for_status()
        return await self._sealed(created.json()["id"])

    async def _sealed(self, subject: str) -> tuple[int, float]:
        deadline = time.monotonic() + DELIVERY_SECONDS
        while time.monotonic() < deadline:
            listed = await self.client.get(
                "/api/v1/events", params={"kind": "user.created", "limit": 20}
            )
            for item in listed.json()["items"]:
                if item["subject"] == subject:
                    return item["seq"], datetime.fromisoformat(item["at"]).timestamp()
            await asyncio.sleep(0.01)
        raise RuntimeError("the event of the request was never sealed")

    async def close(self) -> None:
        await self.client.aclose()


class CommandTrigger:
    """A command commits an event, then seals and announces it (NOTIFY), as ``accord`` commands
    do; the delay is counted from the moment the commit returned."""

    label = "direct commit, seal + NOTIFY"

    def __init__(self, database: BenchDatabase) -> None:
        self.db = Database(database.url)
        settings = Settings(database_url=database.url, data_dir=database.data_dir)
        self.key = load_or_create_key(settings.checkpoint_key_path)

    async def fire(self) -> tuple[int, float]:
        async with self.db.transaction() as session:
            event = record_event(
                session, actor="bench", state=SECRETARIAT, kind="bench.notice",
                subject=uuid.uuid4(), payload={"note": "live stream delivery"},
                classification=Classification.PUBLIC, releasable_to=[EVERYONE],
            )  # fmt: skip
        committed_at = time.time()
        sealed = await seal_pending(self.db, self.key)
        async with self.db.sessions() as session:
            seq = (await session.get(Event, event.id)).seq
        if sealed is not None:
            await announce(self.db, None, sealed.last)
        return seq, committed_at

    async def close(self) -> None:
        await self.db.dispose()


async def measure_round(audience: Audience, trigger) -> tuple[list[float], int]:
    seq, committed_at = await trigger.fire()
    await audience.wait_for(seq)
    return audience.delays(seq, committed_at), len(audience.clients)


def resident_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def measure_stream(
    database: BenchDatabase, server: Server, counts: list[int], rounds: int
) -> list[list[object]]:
    admin, viewers = await make_viewers(database)
    await warm_tokens(server.url, [admin, *viewers])
    audience = Audience(server.port, viewers)
    triggers = [ApiTrigger(server.url, admin)]
    if database.backend != "sqlite":
        triggers.append(CommandTrigger(database))
    rows: list[list[object]] = []
    try:
        for count in counts:
            await audience.grow_to(count)
            for trigger in triggers:
                rows.append(await _rounds(database, audience, trigger, count, rounds))
            rows[-1][-1] = f"{resident_mib(server.process.pid):.0f} MiB"
    finally:
        audience.close()
        for trigger in triggers:
            await trigger.close()
    return rows


async def _rounds(database, audience, trigger, count: int, rounds: int) -> list[object]:
    delays: list[float] = []
    fewest = count
    await measure_round(audience, trigger)  # warm-up, not counted
    for _ in range(rounds):
        received, _connected = await measure_round(audience, trigger)
        delays.extend(received)
        fewest = min(fewest, len(received))
    spread = (
        [milliseconds(percentile(delays, 0.5)), milliseconds(percentile(delays, 0.95)),
         milliseconds(max(delays))]
        if delays
        else ["-", "-", "-"]
    )  # fmt: skip
    return [database.backend, count, trigger.label, *spread, f"{fewest}/{count}", "-"]


# Running it


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres",
        default=POSTGRES_ADMIN,
        help="admin URL of the PostgreSQL server ('none' to skip PostgreSQL)",
    )
    parser.add_argument("--events", type=int, default=2000, help="events written in (a)")
    parser.add_argument("--clients", default="100,1000", help="connected clients in (b)")
    parser.add_argument("--rounds", type=int, default=5, help="events delivered per figure")
    parser.add_argument("--only", choices=("writes", "stream"), help="run one part only")
    arguments = parser.parse_args()
    arguments.counts = [int(part) for part in arguments.clients.split(",") if part.strip()]
    if arguments.events < 1 or arguments.rounds < 1 or not arguments.counts:
        parser.error("--events, --rounds and --clients need positive numbers")
    return arguments


def run_backend(backend: str, arguments: argparse.Namespace, writes: list, streams: list) -> None:
    with fresh_database(backend, arguments.postgres) as database:
        if arguments.only != "stream":
            writes.extend(asyncio.run(measure_writes(database, arguments.events)))
        if arguments.only != "writes":
            with Server(database) as server:
                streams.extend(
                    asyncio.run(
                        measure_stream(database, server, arguments.counts, arguments.rounds)
                    )
                )


def main() -> None:
    arguments = parse_arguments()
    limit = raise_file_limit(max(arguments.counts) * 2 + 1024)
    backends = ["sqlite"]
    if arguments.postgres.lower() not in ("", "none"):
        backends.append("postgresql")
    writes: list[list[object]] = []
    streams: list[list[object]] = []
    for backend in backends:
        run_backend(backend, arguments, writes, streams)
    print(f"Accord event benchmarks — {os.cpu_count()} CPUs, open-file limit {limit}\n")
    if writes:
        print(f"(a) {arguments.events} events, one per transaction, one writer; events per second")
        print(table(writes, ["backend", "path", "events/s", "vs INSERT per tx"]))
        print()
    if streams:
        print(
            f"(b) commit to delivery on the live stream, {arguments.rounds} events per row "
            "(all clients may see them)"
        )
        headers = ["backend", "clients", "event made by", "p50", "p95", "max", "received",
                   "server RSS"]  # fmt: skip
        print(table(streams, headers))


if __name__ == "__main__":
    main()
