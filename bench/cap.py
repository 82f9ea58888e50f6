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


def parse_figures(documents: list[bytes]) -> list[list[object]]:
    schema = cap_schema()
    rows = []
    started = time.perf_counter()
    for data in documents:
        etree.fromstring(data, _PARSER)
    rows.append(["-", "parse only", rate(len(documents), time.perf_counter() - started)])
    started = time.perf_counter()
    for data in documents:
        schema.validate(etree.fromstring(data, _PARSER))
    rows.append(["-", "parse + validate", rate(len(documents), time.perf_counter() - started)])
    started = time.perf_counter()
    for data in documents:
        parse_alert(data)
    rows.append(
        ["-", "parse + validate + read", rate(len(documents), time.perf_counter() - started)]
    )
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
        started = time.perf_counter()
        outcomes = []
        for start in range(0, len(named), batch):
            outcomes += await service.import_in_transactions(
                db, viewer, named[start : start + batch]
            )
        stored = time.perf_counter() - started
        started = time.perf_counter()
        await seal_and_announce(db, settings)
        sealed = time.perf_counter() - started
        refused = [outcome for outcome in outcomes if outcome.error]
        if refused:
            raise SystemExit(f"{len(refused)} refused, first: {refused[0].error.message}")
        kinds = {kind: sum(o.outcome == kind for o in outcomes) for kind in ("created", "updated")}
        label = f"import, {batch} per transaction"
        rows.append([database.backend, label, rate(len(named), stored)])
        rows.append([database.backend, label + " + sealing", rate(len(named), stored + sealed)])
        print(f"{database.backend}: {kinds['created']} created, {kinds['updated']} updated")
        rows.append(await one_by_one(db, database.backend, documents[:ONE_BY_ONE]))
    finally:
        await db.dispose()
    return rows


async def one_by_one(db: Database, backend: str, documents: list[bytes]) -> list[object]:
    viewer = await importer(db, "bench.single")
    fresh = [data.replace(b"<identifier>bench-", b"<identifier>single-") for data in documents]
    fresh = [data.replace(b",bench-", b",single-") for data in fresh]
    started = time.perf_counter()
    for data in fresh:
        async with db.transaction() as session:
            await service.import_alert(session, viewer, data)
    return [backend, "import, one per transaction", rate(len(fresh), time.perf_counter() - started)]


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
    rows = parse_figures(documents)
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
    print(table(rows, ["backend", "path", "alerts/s"]))


if __name__ == "__main__":
    main()
