"""CAP import speed: alerts a second parsed and validated, and parsed, validated and stored.

    python bench/cap.py [--postgres URL|none] [--alerts N] [--batch B]

The alerts are the real corpus (``../shared/data/cap/real``, the schema-valid files under
120 kB) with their identifiers rewritten, so that every one is new; one in ten becomes an
Update of an alert generated before it (so it changes that incident rather than making one).
Figures, each over the same N documents:

- parse only: lxml's safe parser, nothing else (the floor);
- parse + validate: the parser and the CAP 1.2 XSD;
- parse + validate + read: ``parse_alert``, everything before the database;
- import, per backend: ``import_in_transactions`` as ``accord cap import`` runs it (B documents
  per transaction: lookups, incidents, timeline entries, events and the stored XML), then
  the sealing of the events it wrote, timed apart;
- import one per transaction, per backend: ``import_alert`` in its own transaction per
  document, as ``POST /api/v1/cap`` does (on the first 1,000 documents).

Beside alerts a second, each figure gives the CPU time spent per alert by this process (SQLite
works inside it) and, on PostgreSQL, by the server processes of the bench database: on a busy
machine it moves much less than the rate does, so it is the one to compare between runs.

Each backend gets a fresh database (PostgreSQL: ``accord_bench_<pid>``, dropped at the end).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("ACCORD_ARGON2_TIME_COST", "1")
os.environ.setdefault("ACCORD_ARGON2_MEMORY_KIB", "8")

from _common import POSTGRES_ADMIN, ROOT, BenchDatabase, fresh_database, table
from lxml import etree
from sqlalchemy import text

from accord.access import Viewer
from accord.auth import service as auth
from accord.auth.schemas import UserCreate
from accord.auth.service import viewer_of
from accord.config import Settings
from accord.db import Database
from accord.events.runtime import seal_and_announce
from accord.interop.cap import service
from accord.interop.cap.parse import _PARSER, cap_schema, parse_alert

CORPUS = ROOT.parent / "shared" / "data" / "cap" / "real"
TEMPLATE_LIMIT = 120_000
UPDATE_SHARE = 0.1
ONE_BY_ONE = 1000
CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"
AFTER_REFERENCES = (
    f"{CAP}incidents",
    f"{CAP}info",
    "{http://www.w3.org/2000/09/xmldsig#}Signature",
)


def templates() -> list[bytes]:
    """The schema-valid real alerts under the size limit."""
    schema, found = cap_schema(), []
    for path in sorted(CORPUS.glob("*.xml")):
        data = path.read_bytes()
        if len(data) <= TEMPLATE_LIMIT and schema.validate(etree.fromstring(data, _PARSER)):
            found.append(data)
    return found


def rewritten(template: bytes, identifier: str, references: str | None) -> tuple[bytes, str]:
    """``template`` as a new Alert (or an Update of ``references``); returns it and its key."""
    root = etree.fromstring(template, _PARSER)
    root.find(f"{CAP}identifier").text = identifier
    root.find(f"{CAP}msgType").text = "Update" if references else "Alert"
    old = root.find(f"{CAP}references")
    if old is not None:
        root.remove(old)
    if references:
        element = etree.Element(f"{CAP}references")
        element.text = references
        following = next(child for child in root if child.tag in AFTER_REFERENCES)
        following.addprevious(element)
    key = ",".join((root.findtext(f"{CAP}sender"), identifier, root.findtext(f"{CAP}sent")))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8"), key


def generate(count: int, seed: int = 7) -> list[bytes]:
    """``count`` alerts from the corpus, each with a fresh identifier; some update earlier ones."""
    chooser = random.Random(seed)
    sources = templates()
    documents: list[bytes] = []
    keys: list[str] = []
    for index in range(count):
        update = bool(keys) and chooser.random() < UPDATE_SHARE
        references = chooser.choice(keys) if update else None
        data, key = rewritten(sources[index % len(sources)], f"bench-{index:08d}", references)
        if not update:
            keys.append(key)
        documents.append(data)
    return documents


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}"


def _server_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def cpu_seconds(db: Database | None = None) -> float | None:
    """CPU time used so far by this process (SQLite works inside it) and, on PostgreSQL, by the
    server processes of the bench database; None when those cannot be read (another host)."""
    spent = time.process_time()
    if db is None or db.is_sqlite:
        return spent
    async with db.engine.connect() as connection:
        pids = await connection.execute(
            text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        )
        try:
            return spent + sum(_server_cpu(pid) for pid in pids.scalars())
        except (OSError, ValueError, IndexError):
            return None


def per_alert(count: int, cpu: float | None) -> str:
    return "-" if cpu is None else f"{cpu / count * 1e6:,.0f}"


class Clock:
    """Wall and CPU time of one measured stretch."""

    def __init__(self, db: Database | None = None) -> None:
        self.db = db

    async def __aenter__(self) -> Clock:
        self.cpu_started = await cpu_seconds(self.db)
        self.started = time.perf_counter()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self.wall = time.perf_counter() - self.started
        now = await cpu_seconds(self.db)
        started = self.cpu_started
        self.cpu = None if now is None or started is None else now - started

    def figures(self, count: int) -> list[str]:
        return [rate(count, self.wall), per_alert(count, self.cpu)]


async def parse_figures(documents: list[bytes]) -> list[list[object]]:
    schema = cap_schema()
    rows: list[list[object]] = []
    async with Clock() as clock:
        for data in documents:
            etree.fromstring(data, _PARSER)
    rows.append(["-", "parse only", *clock.figures(len(documents))])
    async with Clock() as clock:
        for data in documents:
            schema.validate(etree.fromstring(data, _PARSER))
    rows.append(["-", "parse + validate", *clock.figures(len(documents))])
    async with Clock() as clock:
        for data in documents:
            parse_alert(data)
    rows.append(["-", "parse + validate + read", *clock.figures(len(documents))])
    return rows


async def importer(db: Database, username: str) -> Viewer:
    data = UserCreate(
        username=username,
        state="KAZ",
        roles=["duty_officer"],
        clearance="CONFIDENTIAL",
        email=None,
        password="bench-password-long",
    )
    async with db.transaction() as session:
        return viewer_of(await auth.create_user(session, data, actor="bench"))


async def import_figures(
    database: BenchDatabase, documents: list[bytes], batch: int
) -> list[list[object]]:
    settings = Settings(database_url=database.url, data_dir=database.data_dir)
    db = Database(database.url)
    rows: list[list[object]] = []
    try:
        viewer = await importer(db, "bench.batch")
        named = [(str(index), data) for index, data in enumerate(documents)]
        outcomes = []
        async with Clock(db) as storing:
            for start in range(0, len(named), batch):
                outcomes += await service.import_in_transactions(
                    db, viewer, named[start : start + batch]
                )
        async with Clock(db) as sealing:
            await seal_and_announce(db, settings)
        refused = [outcome for outcome in outcomes if outcome.error]
        if refused:
            raise SystemExit(f"{len(refused)} refused, first: {refused[0].error.message}")
        kinds = {kind: sum(o.outcome == kind for o in outcomes) for kind in ("created", "updated")}
        label = f"import, {batch} per transaction"
        rows.append([database.backend, label, *storing.figures(len(named))])
        both = None if None in (storing.cpu, sealing.cpu) else storing.cpu + sealing.cpu
        rows.append(
            [
                database.backend,
                label + " + sealing",
                rate(len(named), storing.wall + sealing.wall),
                per_alert(len(named), both),
            ]
        )
        print(f"{database.backend}: {kinds['created']} created, {kinds['updated']} updated")
        rows.append(await one_by_one(db, database.backend, documents[:ONE_BY_ONE]))
    finally:
        await db.dispose()
    return rows


async def one_by_one(db: Database, backend: str, documents: list[bytes]) -> list[object]:
    viewer = await importer(db, "bench.single")
    fresh = [data.replace(b"<identifier>bench-", b"<identifier>single-") for data in documents]
    fresh = [data.replace(b",bench-", b",single-") for data in fresh]
    async with Clock(db) as clock:
        for data in fresh:
            async with db.transaction() as session:
                await service.import_alert(session, viewer, data)
    return [backend, "import, one per transaction", *clock.figures(len(fresh))]


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres",
        default=POSTGRES_ADMIN,
        help="admin URL of the PostgreSQL server ('none' to skip PostgreSQL)",
    )
    parser.add_argument("--alerts", type=int, default=10_000, help="alerts generated")
    parser.add_argument("--batch", type=int, default=500, help="alerts per transaction")
    arguments = parser.parse_args()
    if arguments.alerts < 1 or arguments.batch < 1:
        parser.error("--alerts and --batch need positive numbers")
    return arguments


def load_average() -> str:
    """The machine's one-minute load average: the figures are only as steady as it is."""
    return f"{os.getloadavg()[0]:.2f}"


def main() -> None:
    arguments = parse_arguments()
    load_before = load_average()
    documents = generate(arguments.alerts)
    size = sum(len(data) for data in documents) / len(documents)
    rows = asyncio.run(parse_figures(documents))
    backends = ["sqlite"]
    if arguments.postgres.lower() not in ("", "none"):
        backends.append("postgresql")
    for backend in backends:
        with fresh_database(backend, arguments.postgres) as database:
            rows += asyncio.run(import_figures(database, documents, arguments.batch))
    print(
        f"\nAccord CAP import — {os.cpu_count()} CPUs (load average {load_before} at the start, "
        f"{load_average()} at the end), {len(documents)} alerts (mean {size / 1024:.1f} kB), "
        "target 2,000 alerts/s stored\n"
    )
    print(table(rows, ["backend", "path", "alerts/s", "CPU µs/alert"]))


if __name__ == "__main__":
    main()
