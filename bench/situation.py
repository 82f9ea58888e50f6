"""The situation picture, the incident list and text search with a million incidents.

    python bench/situation.py [--postgres URL] [--incidents 1000000] [--requests 50] [--explain]

Generates N incidents spread over the six member states and the secretariat, the seven areas,
the severities, statuses and modes and the last three years (COPY, with every index of the
schema in place, the full-text index included), with titles and descriptions from a small
vocabulary so that text search has hits; then VACUUM ANALYZE. A real ``accord serve`` then
answers R requests of each kind, one after another, for a Kazakh analyst cleared CONFIDENTIAL
and for a secretariat analyst cleared SECRET: the situation page and its JSON, the incident list
filtered by area, owner and severity (JSON and page), and text searches. Prints p50, p95 and
max per request, the server's resident memory, and the database time of every query behind each
request (EXPLAIN ANALYZE, run in this process with the same code; ``--explain`` prints the
plans).

The database is PostgreSQL ``accord_bench_<pid>``, dropped at the end; ``--keep`` keeps it as
``accord_bench_situation`` (with its data folder) so that a later ``--reuse`` measures again
without generating, e.g. after an index change (pending migrations are applied first).
Everything runs against 127.0.0.1 and stops by itself.

The incident generator here is also used by ``ingest.py`` and ``stream.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# Password hashing is not what is measured here: keep user set-up cheap.
os.environ.setdefault("ACCORD_ARGON2_TIME_COST", "1")
os.environ.setdefault("ACCORD_ARGON2_MEMORY_KIB", "8")

import asyncpg
import httpx
from _common import (
    POSTGRES_ADMIN,
    BenchDatabase,
    Server,
    _pg_admin,
    _pg_database_url,
    fresh_database,
    milliseconds,
    percentile,
    prepare,
    table,
)
from sqlalchemy import event

from accord.access import EVERYONE, SECRETARIAT, Classification, Viewer
from accord.auth import service as auth
from accord.auth.schemas import UserCreate
from accord.config import Settings
from accord.db import Database
from accord.events.runtime import seal_and_announce
from accord.incidents import repository, situation
from accord.incidents.repository import IncidentFilter
from accord.incidents.schemas import SEVERITY_RANK
from accord.migrate import upgrade

# The generator of realistic incidents


STATES = ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK")
OWNER_WEIGHTS = {"ARM": 8, "BLR": 12, "KAZ": 22, "KGZ": 12, "RUS": 30, "TJK": 12, SECRETARIAT: 4}
# Rough boxes (west, south, east, north) in which each state's incidents are placed.
BOXES = {
    "ARM": (43.5, 38.9, 46.5, 41.2),
    "BLR": (23.5, 51.5, 32.5, 56.0),
    "KAZ": (50.0, 41.0, 85.0, 54.0),
    "KGZ": (69.5, 39.5, 80.0, 43.0),
    "RUS": (30.0, 45.0, 90.0, 62.0),
    "TJK": (67.5, 37.0, 75.0, 40.8),
}
VOCABULARY = {
    "terrorism": (
        ("Explosive device", "Armed group", "Extremist cell", "Weapons cache", "Bomb threat",
         "Recruiter"),
        ("found", "neutralised", "detained", "reported", "dismantled", "under surveillance"),
    ),
    "drugs": (
        ("Heroin", "Hashish", "Opium", "Synthetic drugs", "Cocaine", "Precursor chemicals"),
        ("seizure", "shipment intercepted", "laboratory dismantled", "courier detained",
         "cache found"),
    ),
    "arms_crime": (
        ("Rifles", "Ammunition", "Grenades", "Pistols", "Explosives", "Machine guns"),
        ("trafficking stopped", "illegal sale", "stolen from a depot", "cache found",
         "smugglers detained"),
    ),
    "migration": (
        ("Migrants", "Forged passports", "Smuggling network", "Illegal workers",
         "Border violators", "Lorry with migrants"),
        ("detained", "intercepted", "discovered", "turned back", "dismantled"),
    ),
    "emergency": (
        ("Earthquake", "Flood", "Forest fire", "Landslide", "Chemical spill", "Avalanche"),
        ("damage reported", "evacuation ordered", "casualties reported", "roads blocked",
         "rescue operation"),
    ),
    "cyber": (
        ("Ransomware", "Phishing campaign", "Denial of service", "Data breach", "Malware",
         "Intrusion"),
        ("against a ministry", "against a bank", "detected", "blocked", "against the grid"),
    ),
    "military": (
        ("Drone", "Unidentified aircraft", "Troop movement", "Artillery fire", "Naval vessel",
         "Airspace violation"),
        ("observed", "reported", "detected", "intercepted", "near the frontier"),
    ),
}  # fmt: skip
AREAS = tuple(VOCABULARY)
PLACES = (
    "at the border crossing", "near the railway station", "in the mountain pass",
    "on the highway", "at the airport", "in the river port", "at the customs post",
    "in the capital", "in the border district", "at the checkpoint", "in the industrial zone",
    "near the reservoir",
)  # fmt: skip
REPORTERS = ("Border guards", "Customs officers", "Police", "The emergencies ministry",
             "Local authorities", "Security services", "A patrol", "Witnesses")  # fmt: skip
ACTIONS = ("reported", "confirmed", "investigated", "documented", "recorded")
DETAILS = ("{n} kg", "{n} people", "{n} vehicles", "{n} items", "damage over {n} hectares",
           "{n} suspects")  # fmt: skip
FOLLOW_UPS = (
    "An investigation is under way.", "Neighbouring states were informed.",
    "The situation is under control.", "Further reports are expected.",
    "Reinforcements were sent.", "No casualties were reported.",
)  # fmt: skip
SOURCES = ("border service", "customs", "police", "emergencies ministry", "open sources", "")
URGENCIES = ("Immediate", "Expected", "Future", "Past", "Unknown")
CERTAINTIES = ("Observed", "Likely", "Possible", "Unlikely", "Unknown")


def _pool(weights: dict) -> tuple:
    """A tuple in which each value appears as often as its weight, for cheap weighted choice."""
    return tuple(value for value, weight in weights.items() for _ in range(weight))


OWNERS = _pool(OWNER_WEIGHTS)
SEVERITIES = _pool({"Extreme": 3, "Severe": 12, "Moderate": 35, "Minor": 35, "Unknown": 15})
MODES = _pool({"actual": 94, "exercise": 5, "test": 1})
STATUS_RECENT = _pool({"reported": 45, "verified": 35, "closed": 15, "false_alarm": 5})
STATUS_OLD = _pool({"reported": 5, "verified": 25, "closed": 60, "false_alarm": 10})
LEVELS = _pool(
    {Classification.PUBLIC: 10, Classification.RESTRICTED: 50, Classification.CONFIDENTIAL: 30,
     Classification.SECRET: 10}
)  # fmt: skip
RECENT = timedelta(days=30)
YEARS = timedelta(days=3 * 365)


@dataclass(frozen=True)
class Sample:
    """One generated incident, before it becomes an API body or a database row."""

    area: str
    title: str
    description: str
    occurred_at: datetime
    reported_at: datetime
    severity: str
    urgency: str
    certainty: str
    longitude: float | None
    latitude: float | None
    country: str | None
    status: str
    mode: str
    source: str
    owner: str
    classification: Classification
    releasable_to: tuple[str, ...]

    def location(self) -> dict | None:
        if self.longitude is None:
            return None
        return {"type": "Point", "coordinates": [self.longitude, self.latitude]}


def _releasability(rng: random.Random, owner: str) -> tuple[str, ...]:
    roll = rng.random()
    if roll < 0.6:
        return (EVERYONE,)
    if roll < 0.75:
        return (owner,)
    if roll < 0.95:
        return tuple(sorted({owner, *rng.sample(STATES, rng.randint(1, 2))}))
    return (SECRETARIAT,)


def _place(rng: random.Random, owner: str) -> tuple[str | None, float | None, float | None]:
    roll = rng.random()
    if owner == SECRETARIAT or 0.85 <= roll < 0.95:
        country = rng.choice(STATES)
    elif roll >= 0.95:
        return None, None, None
    else:
        country = owner
    if rng.random() < 0.1:
        return country, None, None
    west, south, east, north = BOXES[country]
    return country, round(rng.uniform(west, east), 4), round(rng.uniform(south, north), 4)


def _texts(rng: random.Random, area: str) -> tuple[str, str]:
    subjects, happenings = VOCABULARY[area]
    place = rng.choice(PLACES)
    title = f"{rng.choice(subjects)} {rng.choice(happenings)} {place}"
    detail = rng.choice(DETAILS).format(n=rng.randint(2, 400))
    description = (
        f"{rng.choice(REPORTERS)} {rng.choice(ACTIONS)} {detail} {rng.choice(PLACES)}. "
        f"{rng.choice(FOLLOW_UPS)}"
    )
    return title, description


def sample(
    rng: random.Random,
    now: datetime,
    *,
    span: timedelta = YEARS,
    end: datetime | None = None,
    owner: str = "",
) -> Sample:
    """A random incident that occurred within ``span`` before ``end`` (default: ``now``)."""
    owner = owner or rng.choice(OWNERS)
    area = rng.choice(AREAS)
    occurred = (end or now) - timedelta(seconds=rng.random() * span.total_seconds())
    reported = min(now, occurred + timedelta(seconds=rng.uniform(60, 6 * 3600)))
    title, description = _texts(rng, area)
    country, longitude, latitude = _place(rng, owner)
    return Sample(
        area=area, title=title, description=description, occurred_at=occurred,
        reported_at=reported, severity=rng.choice(SEVERITIES), urgency=rng.choice(URGENCIES),
        certainty=rng.choice(CERTAINTIES), longitude=longitude, latitude=latitude,
        country=country,
        status=rng.choice(STATUS_RECENT if now - occurred < RECENT else STATUS_OLD),
        mode=rng.choice(MODES), source=rng.choice(SOURCES), owner=owner,
        classification=rng.choice(LEVELS), releasable_to=_releasability(rng, owner),
    )  # fmt: skip


def report_body(item: Sample, *, markings: bool = False) -> dict:
    """The JSON a reporter sends for ``item`` (the owner is the reporter's state)."""
    body = {
        "area": item.area,
        "title": item.title,
        "description": item.description,
        "occurred_at": item.occurred_at.isoformat(),
        "severity": item.severity,
        "urgency": item.urgency,
        "certainty": item.certainty,
        "location": item.location(),
        "country": item.country,
        "source": item.source,
    }
    if markings:
        body["classification"] = item.classification.name
        body["releasable_to"] = list(item.releasable_to)
    return body


COLUMNS = (
    "id", "area", "title", "description", "language", "translations", "occurred_at",
    "reported_at", "updated_at", "severity", "severity_rank", "urgency", "certainty", "location",
    "longitude", "latitude", "country", "status", "mode", "source", "owner", "classification",
    "releasable_to", "reported_by", "duplicate_of", "version",
)  # fmt: skip


def stored_form(codes: tuple[str, ...] | list[str]) -> str:
    """A releasability list as the database keeps it (see ``accord.models.base.StateList``)."""
    return "," + ",".join(sorted(set(codes))) + "," if codes else ","


def incident_record(item: Sample) -> tuple:
    """The incidents row of ``item``, in ``COLUMNS`` order, as asyncpg takes it."""
    location = item.location()
    return (
        uuid.uuid4(), item.area, item.title, item.description, "en", "{}", item.occurred_at,
        item.reported_at, item.reported_at, item.severity, SEVERITY_RANK[item.severity],
        item.urgency, item.certainty, json.dumps(location) if location else None,
        item.longitude, item.latitude, item.country, item.status, item.mode, item.source,
        item.owner, int(item.classification), stored_form(item.releasable_to),
        f"{item.owner.lower()}.duty", None, 1,
    )  # fmt: skip


async def user_with_token(
    session, username: str, state: str, roles: list[str], clearance: str
) -> str:
    """A user made through the service, with an API token; returns the token's secret."""
    data = UserCreate(
        username=username, state=state, roles=roles, clearance=clearance,
        password="bench-password-long",
    )  # fmt: skip
    user = await auth.create_user(session, data, actor="bench")
    _token, secret = await auth.create_token(session, user, "bench", actor="bench")
    return secret


async def make_users(database: BenchDatabase, users: dict[str, tuple]) -> dict[str, str]:
    """Users named in ``users`` (name → state, roles, clearance); returns name → token."""
    db = Database(database.url)
    settings = Settings(database_url=database.url, data_dir=database.data_dir)
    try:
        async with db.transaction() as session:
            tokens = {
                name: await user_with_token(session, name, state, list(roles), clearance)
                for name, (state, roles, clearance) in users.items()
            }
        await seal_and_announce(db, settings)
    finally:
        await db.dispose()
    return tokens


def machine() -> str:
    """The CPUs and the load of the machine: other work on it slows every figure."""
    one, five, _fifteen = os.getloadavg()
    return f"{os.cpu_count()} CPUs, load average {one:.1f} (1 min), {five:.1f} (5 min)"


def asyncpg_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


# Generating a million incidents


CHUNK = 20_000


def _chunk(index: int, chunks: int, count: int, now: datetime) -> list[tuple]:
    """The ``index``-th of ``chunks`` consecutive stretches of the three years, in report order.

    Reports arrive roughly as things happen, so rows lie in the table in time order, as they do
    in a database that has been in use for years.
    """
    rng = random.Random(index)
    span = YEARS / chunks
    end = now - span * (chunks - 1 - index)
    samples = sorted(
        (sample(rng, now, span=span, end=end) for _ in range(count)),
        key=lambda item: item.reported_at,
    )
    return [incident_record(item) for item in samples]


async def generate(url: str, count: int, now: datetime) -> float:
    """COPY ``count`` incidents in chunks, making the next chunk while the last one is copied."""
    connection = await asyncpg.connect(asyncpg_url(url))
    started = time.perf_counter()
    try:
        sizes = [min(CHUNK, count - start) for start in range(0, count, CHUNK)]

        def make(index: int) -> asyncio.Task:
            return asyncio.create_task(
                asyncio.to_thread(_chunk, index, len(sizes), sizes[index], now)
            )

        pending = make(0)
        for index in range(len(sizes)):
            rows = await pending
            if index + 1 < len(sizes):
                pending = make(index + 1)
            await connection.copy_records_to_table("incidents", records=rows, columns=COLUMNS)
        loaded = time.perf_counter() - started
        await connection.execute("VACUUM ANALYZE incidents")
    finally:
        await connection.close()
    return loaded


# Measuring


VIEWERS = {
    "kaz.analyst": ("KAZ", ("analyst",), "CONFIDENTIAL"),
    "org.analyst": (SECRETARIAT, ("analyst",), "SECRET"),
}
FILTER = {"area": "drugs", "owner": "KAZ", "severity": "Severe"}
SEARCHES = ("heroin", "border", "heroin border", "kalashnikov")


@dataclass(frozen=True)
class Probe:
    """One kind of request, and the repository calls that answer it (for EXPLAIN)."""

    label: str
    path: str
    params: dict
    calls: str  # "situation" or "list"
    filters: IncidentFilter = field(default_factory=IncidentFilter)


def probes() -> list[Probe]:
    listed = IncidentFilter(areas=("drugs",), owners=("KAZ",), severities=("Severe",))
    found = [
        Probe(f"API search q={q!r}", "/api/v1/incidents", {"q": q}, "list", IncidentFilter(text=q))
        for q in SEARCHES
    ]
    return [
        Probe("situation page", "/situation", {}, "situation"),
        Probe("API situation", "/api/v1/situation", {}, "situation"),
        Probe("API list, no filter", "/api/v1/incidents", {}, "list"),
        Probe("API list drugs/KAZ/Severe", "/api/v1/incidents", FILTER, "list", listed),
        Probe("list page drugs/KAZ/Severe", "/incidents", FILTER, "list", listed),
        *found,
        Probe("list page q='heroin'", "/incidents", {"q": "heroin"}, "list",
              IncidentFilter(text="heroin")),
    ]  # fmt: skip


def time_requests(base_url: str, token: str, probe: Probe, count: int) -> list[float]:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
        for _ in range(3):  # warm-up, not counted
            client.get(probe.path, params=probe.params).raise_for_status()
        seconds = []
        for _ in range(count):
            started = time.perf_counter()
            answer = client.get(probe.path, params=probe.params)
            seconds.append(time.perf_counter() - started)
            answer.raise_for_status()
    return seconds


def resident(pid: int) -> dict[str, float]:
    """Resident memory (VmRSS) and its peak (VmHWM) of a process, in MiB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _sep, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0]) / 1024
    return found


async def explain(database: BenchDatabase, viewer: Viewer, probe: Probe) -> list[tuple]:
    """Every query ``probe`` runs, with its EXPLAIN ANALYZE execution time and plan."""
    db = Database(database.url)
    captured: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            captured.append((statement, parameters))

    event.listen(db.engine.sync_engine, "before_cursor_execute", capture)
    try:
        async with db.sessions() as session:
            if probe.calls == "situation":
                await situation.situation(session, viewer)
            else:
                await repository.list_incidents(session, viewer, probe.filters, limit=50)
        event.remove(db.engine.sync_engine, "before_cursor_execute", capture)
        plans = []
        async with db.engine.connect() as connection:
            for statement, parameters in captured:
                answer = await connection.exec_driver_sql(
                    "EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters
                )
                lines = [row[0] for row in answer]
                total = next(line for line in lines if line.startswith("Execution Time"))
                plans.append((statement, float(total.split()[2]), lines))
    finally:
        await db.dispose()
    return plans


def viewer_of(name: str) -> Viewer:
    state, roles, clearance = VIEWERS[name]
    return Viewer(state=state, clearance=Classification[clearance], roles=frozenset(roles))


def measure(database: BenchDatabase, tokens: dict[str, str], count: int, show_plans: bool):
    rows, query_rows, plans = [], [], []
    with Server(database) as server:
        memory_before = resident(server.process.pid)
        for name, token in tokens.items():
            for probe in probes():
                seconds = time_requests(server.url, token, probe, count)
                p95 = percentile(seconds, 0.95)
                rows.append([
                    name, probe.label, milliseconds(percentile(seconds, 0.5)),
                    milliseconds(p95), milliseconds(max(seconds)),
                    "yes" if p95 < 0.1 else "NO",
                ])  # fmt: skip
        memory_after = resident(server.process.pid)
    for name in tokens:
        for probe in probes():
            if probe.label.startswith("situation page") or probe.label.startswith("list page"):
                continue  # the same queries as their API twins
            found = asyncio.run(explain(database, viewer_of(name), probe))
            times = " + ".join(f"{ms:.1f}" for _statement, ms, _lines in found)
            query_rows.append([name, probe.label, len(found), f"{times} ms"])
            plans.extend((name, probe.label, *plan) for plan in found)
    return rows, query_rows, (memory_before, memory_after), plans if show_plans else []


# Running it


KEPT_NAME = "accord_bench_situation"
KEPT_DIR = Path("/tmp") / KEPT_NAME
TOKENS = "tokens.json"  # the viewers' API tokens, kept beside the kept database


@contextlib.contextmanager
def kept_database(admin: str, reuse: bool) -> Iterator[tuple[BenchDatabase, bool]]:
    """The database kept between runs: (database, whether it already holds the incidents)."""
    url = _pg_database_url(admin, KEPT_NAME)
    data_dir = KEPT_DIR / "data"

    async def exists() -> bool:
        connection = await asyncpg.connect(admin)
        try:
            query = "SELECT 1 FROM pg_database WHERE datname = $1"
            return bool(await connection.fetchval(query, KEPT_NAME))
        finally:
            await connection.close()

    if reuse and asyncio.run(exists()) and (data_dir / TOKENS).is_file():
        upgrade(url)
        yield BenchDatabase("postgresql", url, data_dir), True
        return
    shutil.rmtree(KEPT_DIR, ignore_errors=True)
    data_dir.mkdir(parents=True)
    asyncio.run(_pg_admin(admin, f'DROP DATABASE IF EXISTS "{KEPT_NAME}" WITH (FORCE)'))
    asyncio.run(_pg_admin(admin, f'CREATE DATABASE "{KEPT_NAME}"'))
    prepare(url, data_dir)
    yield BenchDatabase("postgresql", url, data_dir), False


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=POSTGRES_ADMIN, help="admin URL of PostgreSQL")
    parser.add_argument("--incidents", type=int, default=1_000_000, help="incidents generated")
    parser.add_argument("--requests", type=int, default=50, help="requests of each kind")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    parser.add_argument("--keep", action="store_true", help=f"keep the database as {KEPT_NAME}")
    parser.add_argument("--reuse", action="store_true", help=f"measure {KEPT_NAME} again")
    arguments = parser.parse_args()
    if arguments.incidents < 1 or arguments.requests < 1:
        parser.error("--incidents and --requests need positive numbers")
    return arguments


async def count_incidents(url: str) -> int:
    connection = await asyncpg.connect(asyncpg_url(url))
    try:
        return await connection.fetchval("SELECT count(*) FROM incidents")
    finally:
        await connection.close()


def run(database: BenchDatabase, filled: bool, arguments: argparse.Namespace) -> None:
    now = datetime.now(UTC)
    if filled:
        print(f"Reusing {KEPT_NAME}: {asyncio.run(count_incidents(database.url)):,} incidents")
        tokens = json.loads((database.data_dir / TOKENS).read_text())
    else:
        started = time.perf_counter()
        copied = asyncio.run(generate(database.url, arguments.incidents, now))
        total = time.perf_counter() - started
        rate = arguments.incidents / copied
        print(f"Generated {arguments.incidents:,} incidents: COPY {copied:.0f} s ({rate:,.0f}/s), "
              f"with VACUUM ANALYZE {total:.0f} s")  # fmt: skip
        tokens = asyncio.run(make_users(database, VIEWERS))
        if arguments.keep:
            (database.data_dir / TOKENS).write_text(json.dumps(tokens))
    rows, query_rows, memory, plans = measure(
        database, tokens, arguments.requests, arguments.explain
    )
    print(f"\n{arguments.requests} requests of each kind, one after another; target p95 < 100 ms")
    print(table(rows, ["viewer", "request", "p50", "p95", "max", "p95 < 100 ms"]))
    print("\nDatabase time of the queries behind each request (EXPLAIN ANALYZE, in order)")
    print(table(query_rows, ["viewer", "request", "queries", "execution times"]))
    before, after = memory
    print(f"\nServer resident memory: {before['VmRSS']:.0f} MiB after start, "
          f"{after['VmRSS']:.0f} MiB at the end, peak {after['VmHWM']:.0f} MiB "
          "(target < 250 MiB)")  # fmt: skip
    print(f"Machine at the end: {machine()}")
    for name, label, statement, ms, lines in plans:
        print(f"\n--- {name}, {label}: {ms:.1f} ms\n{statement}\n" + "\n".join(lines))


def main() -> None:
    arguments = parse_arguments()
    print(f"Accord situation benchmark — PostgreSQL; {machine()}\n")
    if arguments.keep or arguments.reuse:
        with kept_database(arguments.postgres, arguments.reuse) as (database, filled):
            arguments.keep = True
            run(database, filled, arguments)
        return
    with fresh_database("postgresql", arguments.postgres) as database:
        run(database, False, arguments)


if __name__ == "__main__":
    main()
