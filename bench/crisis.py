"""The crisis page and the requests list under load, and a request delivered to 1,000 clients.

    python bench/crisis.py [--postgres URL] [--crises 200] [--requests 5000] [--offers 50000]
                           [--deployments 25000] [--samples 50] [--clients 1000] [--rounds 5]

On a fresh PostgreSQL database (``accord_bench_<pid>``, dropped at the end) it bulk-loads, with
Core inserts, open crises over the six member states, requests for assistance (two need lines
each), offers against the need lines and deployments of accepted offers, with their markings,
then VACUUM ANALYZE. A real ``accord serve`` answers, one request after another:

- the crisis page ``/crises/{id}`` (when the crises domain serves it) and the assistance panel
  of a crisis as JSON (``/api/v1/assistance/crises/{id}``, the data the page's panel shows);
- the requests list ``/api/v1/assistance-requests`` (first page, and filtered by crisis);
- the ``/assistance`` page;

each for the affected state's duty officer (sees everything of its requests), another state's
duty officer (sees the requests, only its own offers) and a secretariat officer: p50, p95, max
against the 100 ms target. Then ``--clients`` raw SSE clients (duty officers and analysts of
every state and the secretariat) connect to ``/api/v1/events/stream``, and the Tajik duty officer
posts a request with ``POST /api/v1/assistance-requests`` (RESTRICTED, releasable to ALL): the
delay from sending the request to each client's receipt of the ``assistance.requested`` event.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("ACCORD_ARGON2_TIME_COST", "1")
os.environ.setdefault("ACCORD_ARGON2_MEMORY_KIB", "8")

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
from situation import STATES, machine, make_users, resident
from sqlalchemy import insert, text
from stream import Trigger

from accord.access import SECRETARIAT, Classification
from accord.db import Database
from accord.models.assistance_request import AssistanceRequest
from accord.models.crisis import Crisis
from accord.models.deployment import Deployment
from accord.models.need_line import NeedLine
from accord.models.offer import Offer
from events import Audience, warm_tokens

CHUNK = 5_000
CAPABILITIES = (
    "usar_light", "usar_medium", "usar_heavy", "medical_team", "field_hospital",
    "water_purification", "aerial_firefighting", "high_capacity_pumping", "flood_rescue",
    "cbrn_detection", "emergency_shelter", "transport_aircraft",
)  # fmt: skip
LEVELS = ("monitoring", "consultations", "declared", "collective_response", "recovery")
DEPLOYMENT_STATUSES = ("accepted", "mobilising", "en_route", "deployed", "demobilised")
VIEWERS = {
    "tjk.duty": ("TJK", ("duty_officer",), "CONFIDENTIAL"),
    "kaz.duty": ("KAZ", ("duty_officer",), "CONFIDENTIAL"),
    "org.secretariat": (SECRETARIAT, ("secretariat",), "SECRET"),
}
WATCHER_ROLES = (("duty_officer",), ("analyst",), ("delegate",))


# Generating the load


def _markings(rng: random.Random, owner: str) -> tuple[Classification, list[str]]:
    level = rng.choices((Classification.RESTRICTED, Classification.CONFIDENTIAL), weights=(85, 15))[
        0
    ]
    releasable = ["ALL"] if rng.random() < 0.8 else sorted({*rng.sample(STATES, 3), SECRETARIAT})
    return level, [code for code in releasable if code != owner] or ["ALL"]


async def _insert(session, model, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        await session.execute(insert(model), rows[start : start + CHUNK])


async def generate(database: BenchDatabase, arguments: argparse.Namespace) -> list[uuid.UUID]:
    """Crises, requests, need lines, offers and deployments; returns the crisis ids."""
    rng = random.Random(11)
    now = datetime.now(UTC)
    crises, requests, lines, offers, deployments = [], [], [], [], []
    for index in range(arguments.crises):
        affected = sorted(rng.sample(STATES, rng.choice((1, 1, 2))))
        if index == 0:
            affected = ["TJK"]
        crises.append(
            {
                "id": uuid.uuid4(), "title": f"Crisis {index}", "summary": "",
                "level": rng.choice(LEVELS), "mode": "exercise", "affected_states": affected,
                "owner": affected[0], "classification": Classification.RESTRICTED,
                "releasable_to": ["ALL"], "opened_by": "bench",
                "opened_at": now - timedelta(days=rng.randint(1, 60)), "level_changed_at": now,
                "updated_at": now, "version": 1,
            }
        )  # fmt: skip
    per_crisis = max(1, arguments.requests // len(crises))
    for crisis in crises:
        for number in range(per_crisis):
            owner = rng.choice(crisis["affected_states"])
            level, releasable = _markings(rng, owner)
            if crisis is crises[0]:
                level, releasable = Classification.RESTRICTED, ["ALL"]
            posted = crisis["opened_at"] + timedelta(hours=number)
            request_id = uuid.uuid4()
            requests.append(
                {
                    "id": request_id, "crisis_id": crisis["id"], "title": f"Request {number}",
                    "description": "", "contact": "desk", "status": "open", "revision": 1,
                    "expires_at": posted + timedelta(days=90), "owner": owner,
                    "classification": level, "releasable_to": releasable,
                    "posted_by": "bench", "posted_at": posted, "updated_at": posted,
                    "version": 1,
                }
            )  # fmt: skip
            for position in range(2):
                lines.append(
                    {
                        "id": uuid.uuid4(), "request_id": request_id, "position": position,
                        "capability_code": rng.choice(CAPABILITIES),
                        "quantity": rng.randint(2, 10), "place": "Somewhere",
                        "longitude": 70.0, "latitude": 39.0,
                        "needed_by": posted + timedelta(days=3), "status": "open",
                        "_request": requests[-1],
                    }
                )  # fmt: skip
    for index in range(arguments.offers):
        line = lines[index % len(lines)]
        request = line["_request"]
        offerer = rng.choice([state for state in STATES if state != request["owner"]])
        accepted = len(deployments) < arguments.deployments and rng.random() < 0.6
        offer_id = uuid.uuid4()
        at = request["posted_at"] + timedelta(minutes=index % 600)
        offers.append(
            {
                "id": offer_id, "request_id": request["id"], "need_line_id": line["id"],
                "capability_code": line["capability_code"], "quantity": 1,
                "arrival_at": at + timedelta(days=1), "conditions": "",
                "status": "accepted" if accepted else rng.choice(("offered", "declined")),
                "request_revision": 1, "response_note": "", "responded_by": None,
                "responded_at": None, "owner": offerer,
                "classification": request["classification"],
                "releasable_to": sorted({request["owner"], SECRETARIAT}),
                "offered_by": "bench", "offered_at": at, "updated_at": at, "version": 1,
            }
        )  # fmt: skip
        if accepted:
            deployments.append(
                {
                    "id": uuid.uuid4(), "offer_id": offer_id, "request_id": request["id"],
                    "need_line_id": line["id"], "crisis_id": request["crisis_id"],
                    "capability_code": line["capability_code"], "quantity": 1,
                    "status": rng.choice(DEPLOYMENT_STATUSES), "longitude": 70.5,
                    "latitude": 39.5, "estimated_arrival": at + timedelta(days=1),
                    "owner": offerer, "classification": request["classification"],
                    "releasable_to": sorted({*request["releasable_to"], request["owner"]}),
                    "updated_by": "bench", "updated_at": at, "version": 1,
                }
            )  # fmt: skip
    for line in lines:
        del line["_request"]
    db = Database(database.url)
    try:
        async with db.transaction() as session:
            await _insert(session, Crisis, crises)
            await _insert(session, AssistanceRequest, requests)
            await _insert(session, NeedLine, lines)
            await _insert(session, Offer, offers)
            await _insert(session, Deployment, deployments)
        async with db.engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text("VACUUM ANALYZE"))
    finally:
        await db.dispose()
    print(
        f"loaded {len(crises)} open crises, "
        f"{len(requests)} requests, {len(lines)} need lines, {len(offers)} offers, "
        f"{len(deployments)} deployments"
    )
    return [crisis["id"] for crisis in crises]


# Pages and lists


async def timed(client: httpx.AsyncClient, path: str, samples: int) -> list[float] | None:
    answer = await client.get(path)
    if answer.status_code != 200:
        return None
    seconds = []
    for _ in range(samples):
        start = time.perf_counter()
        answer = await client.get(path)
        seconds.append(time.perf_counter() - start)
        answer.raise_for_status()
    return seconds


async def measure_pages(
    server: Server, tokens: dict[str, str], crisis_ids: list[uuid.UUID], samples: int
) -> list[list[object]]:
    crisis = crisis_ids[0]
    paths = [
        ("crisis page", f"/crises/{crisis}"),
        ("crisis assistance panel (JSON)", f"/api/v1/assistance/crises/{crisis}"),
        ("requests list", "/api/v1/assistance-requests"),
        ("requests list, one crisis", f"/api/v1/assistance-requests?crisis_id={crisis}"),
        ("/assistance page", "/assistance"),
    ]
    rows = []
    for name in VIEWERS:
        headers = {"Authorization": f"Bearer {tokens[name]}"}
        async with httpx.AsyncClient(base_url=server.url, headers=headers, timeout=60) as client:
            for label, path in paths:
                seconds = await timed(client, path, samples)
                if seconds is None:
                    rows.append([name, label, "-", "-", "-", "not served"])
                    continue
                p95 = percentile(seconds, 0.95)
                rows.append(
                    [
                        name, label, milliseconds(percentile(seconds, 0.5)), milliseconds(p95),
                        milliseconds(max(seconds)), "yes" if p95 < 0.1 else "NO",
                    ]
                )  # fmt: skip
    return rows


# A request delivered to the connected clients


def watchers() -> dict[str, tuple]:
    users = {}
    for state in (*STATES, SECRETARIAT):
        for index, roles in enumerate(WATCHER_ROLES):
            if state == SECRETARIAT and roles == ("duty_officer",):
                roles = ("secretariat",)
            users[f"{state.lower()}.watcher{index}"] = (state, roles, "CONFIDENTIAL")
    return users


class RequestTrigger(Trigger):
    """The Tajik duty officer posts a request for assistance."""

    kind = "assistance.requested"

    def __init__(self, base_url: str, token: str, crisis_id: uuid.UUID) -> None:
        super().__init__(base_url, token)
        self.crisis_id = crisis_id

    async def fire(self) -> tuple[int, float]:
        needed_by = (datetime.now(UTC) + timedelta(days=2)).isoformat()
        body = {
            "crisis_id": str(self.crisis_id), "title": "Rescue teams", "contact": "desk",
            "classification": "RESTRICTED", "releasable_to": ["ALL"],
            "need_lines": [
                {"capability": "usar_medium", "quantity": 2, "place": "Gharm",
                 "needed_by": needed_by},
            ],
        }  # fmt: skip
        return await self.post("/api/v1/assistance-requests", body)


async def measure_delivery(
    database: BenchDatabase, server: Server, reporter: str, crisis: uuid.UUID, arguments
) -> list[object]:
    tokens = await make_users(database, watchers())
    await warm_tokens(server.url, list(tokens.values()))
    audience = Audience(server.port, list(tokens.values()))
    trigger = RequestTrigger(server.url, reporter, crisis)
    try:
        await audience.grow_to(arguments.clients)
        seq, sent_at = await trigger.fire()  # warm-up, not counted
        await audience.wait_for(seq)
        trigger.answer_seconds.clear()
        delays: list[float] = []
        fewest = arguments.clients
        for _ in range(arguments.rounds):
            seq, sent_at = await trigger.fire()
            await audience.wait_for(seq)
            received = audience.delays(seq, sent_at)
            delays.extend(received)
            fewest = min(fewest, len(received))
    finally:
        audience.close()
        await trigger.close()
    return [
        arguments.clients, milliseconds(percentile(trigger.answer_seconds, 0.5)),
        milliseconds(percentile(delays, 0.5)), milliseconds(percentile(delays, 0.95)),
        milliseconds(max(delays)), f"{fewest}/{arguments.clients}",
        "yes" if fewest == arguments.clients and max(delays) < 1 else "NO",
        f"{resident(server.process.pid)['VmRSS']:.0f} MiB",
    ]  # fmt: skip


async def run(database: BenchDatabase, arguments: argparse.Namespace) -> None:
    crisis_ids = await generate(database, arguments)
    tokens = await make_users(database, VIEWERS)
    with Server(database) as server:
        await warm_tokens(server.url, list(tokens.values()))
        pages = await measure_pages(server, tokens, crisis_ids, arguments.samples)
        delivery = await measure_delivery(
            database, server, tokens["tjk.duty"], crisis_ids[0], arguments
        )
    print(
        f"\nPages and lists, {arguments.samples} requests each, one after another "
        "(target p95 < 100 ms)"
    )
    print(table(pages, ["viewer", "what", "p50", "p95", "max", "p95 < 100 ms"]))
    print(
        "\nA request posted with POST /api/v1/assistance-requests, "
        f"{arguments.rounds} rounds; delay from sending it to each client's receipt"
    )
    headers = ["clients", "POST p50", "p50", "p95", "max", "received", "all < 1 s", "RSS"]
    print(table([delivery], headers))


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=POSTGRES_ADMIN, help="admin URL of PostgreSQL")
    parser.add_argument("--crises", type=int, default=200)
    parser.add_argument("--requests", type=int, default=5_000)
    parser.add_argument("--offers", type=int, default=50_000)
    parser.add_argument("--deployments", type=int, default=25_000)
    parser.add_argument("--samples", type=int, default=50, help="requests per page figure")
    parser.add_argument("--clients", type=int, default=1_000, help="connected stream clients")
    parser.add_argument("--rounds", type=int, default=5, help="requests posted for the delay")
    arguments = parser.parse_args()
    if min(arguments.crises, arguments.requests, arguments.samples, arguments.clients) < 1:
        parser.error("the counts must be positive")
    return arguments


def main() -> None:
    arguments = parse_arguments()
    limit = raise_file_limit(arguments.clients * 2 + 1024)
    print(f"Accord crisis benchmark — open-file limit {limit}; {machine()}")
    with fresh_database("postgresql", arguments.postgres) as database:
        asyncio.run(run(database, arguments))
    print(f"\nMachine at the end: {machine()}")


if __name__ == "__main__":
    main()
