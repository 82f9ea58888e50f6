"""An incident reported over the API, delivered live to many connected stream clients.

    python bench/stream.py [--postgres URL|none] [--clients 100,1000] [--rounds 5]

A real ``accord serve`` with N raw SSE connections to ``/api/v1/events/stream`` (analysts and
duty officers of the six member states and the secretariat, each with their own API token, all
cleared and released to see the incident); a Kazakh duty officer then reports an incident with
``POST /api/v1/incidents`` (RESTRICTED, releasable to ALL). For every client, the delay from the
moment the request was sent to the arrival of the event's ``id:`` line; printed: the time the
POST took to answer, p50, p95 and max of the delays, and how many clients received the event
(the fewest over the rounds), and the server's resident memory. Target: every client within 1 s.

The stream clients are those of ``events.py``. Each backend gets a fresh database (PostgreSQL:
``accord_bench_<pid>``, dropped at the end); everything runs against 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
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
from situation import STATES, machine, make_users, report_body, resident, sample

from accord.access import SECRETARIAT
from events import DELIVERY_SECONDS, Audience, warm_tokens

REPORTER = "kaz.duty"
WATCHER_ROLES = (("analyst",), ("duty_officer",), ("delegate",))
WATCHER_LEVELS = ("RESTRICTED", "CONFIDENTIAL", "SECRET")


def watchers() -> dict[str, tuple]:
    """Three users per member state and three of the secretariat, each may see the incident."""
    users = {REPORTER: ("KAZ", ("duty_officer",), "CONFIDENTIAL")}
    for state in (*STATES, SECRETARIAT):
        for index, roles in enumerate(WATCHER_ROLES):
            if state == SECRETARIAT and roles == ("duty_officer",):
                roles = ("secretariat",)
            level = WATCHER_LEVELS[index]
            users[f"{state.lower()}.watcher{index}"] = (state, roles, level)
    return users


class Trigger:
    """A client that causes one event and finds its sequence number once it is sealed."""

    kind = ""  # the kind of event ``fire`` causes

    def __init__(self, base_url: str, token: str) -> None:
        self.client = httpx.AsyncClient(
            base_url=base_url, timeout=30, headers={"Authorization": f"Bearer {token}"}
        )
        self.answer_seconds: list[float] = []

    async def post(self, path: str, body: dict) -> tuple[int, float]:
        """Send ``body``; the delay counts from sending it. Returns the event's seq and then."""
        sent_at = time.time()
        created = await self.client.post(path, json=body)
        self.answer_seconds.append(time.time() - sent_at)
        created.raise_for_status()
        return await self._sealed(created.json()["id"]), sent_at

    async def _sealed(self, subject: str) -> int:
        deadline = time.monotonic() + DELIVERY_SECONDS
        while time.monotonic() < deadline:
            listed = await self.client.get(
                "/api/v1/events", params={"kind": self.kind, "limit": 20}
            )
            for item in listed.json()["items"]:
                if item["subject"] == subject:
                    return item["seq"]
            await asyncio.sleep(0.01)
        raise RuntimeError(f"the {self.kind} event was never sealed")

    async def close(self) -> None:
        await self.client.aclose()


class IncidentTrigger(Trigger):
    """The Kazakh duty officer reports an incident."""

    kind = "incident.reported"

    def __init__(self, base_url: str, token: str) -> None:
        super().__init__(base_url, token)
        self.rng = random.Random(7)

    async def fire(self) -> tuple[int, float]:
        now = datetime.now(UTC) - timedelta(minutes=1)
        body = report_body(sample(self.rng, now, span=timedelta(hours=6), owner="KAZ"))
        body.update(classification="RESTRICTED", releasable_to=["ALL"])
        return await self.post("/api/v1/incidents", body)


async def measure(database: BenchDatabase, server: Server, counts: list[int], rounds: int):
    tokens = await make_users(database, watchers())
    reporter = tokens.pop(REPORTER)
    await warm_tokens(server.url, [reporter, *tokens.values()])
    audience = Audience(server.port, list(tokens.values()))
    trigger = IncidentTrigger(server.url, reporter)
    rows = []
    try:
        for count in counts:
            await audience.grow_to(count)
            rows.append(await _rounds(database, audience, trigger, count, rounds))
            rows[-1][-1] = f"{resident(server.process.pid)['VmRSS']:.0f} MiB"
    finally:
        audience.close()
        await trigger.close()
    return rows


async def _round(audience: Audience, trigger: IncidentTrigger) -> list[float]:
    seq, sent_at = await trigger.fire()
    await audience.wait_for(seq)
    return audience.delays(seq, sent_at)


async def _rounds(database, audience, trigger, count: int, rounds: int) -> list[object]:
    await _round(audience, trigger)  # warm-up, not counted
    trigger.answer_seconds.clear()
    delays: list[float] = []
    fewest = count
    for _ in range(rounds):
        received = await _round(audience, trigger)
        delays.extend(received)
        fewest = min(fewest, len(received))
    spread = [percentile(delays, 0.5), percentile(delays, 0.95), max(delays)] if delays else []
    return [
        database.backend, count, milliseconds(percentile(trigger.answer_seconds, 0.5)),
        *(milliseconds(value) for value in spread), f"{fewest}/{count}",
        "yes" if delays and fewest == count and max(delays) < 1 else "NO", "-",
    ]  # fmt: skip


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres",
        default=POSTGRES_ADMIN,
        help="admin URL of the PostgreSQL server ('none' to skip PostgreSQL)",
    )
    parser.add_argument("--sqlite", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--clients", default="100,1000", help="connected clients")
    parser.add_argument("--rounds", type=int, default=5, help="incidents reported per figure")
    arguments = parser.parse_args()
    arguments.counts = [int(part) for part in arguments.clients.split(",") if part.strip()]
    if arguments.rounds < 1 or not arguments.counts or min(arguments.counts) < 1:
        parser.error("--rounds and --clients need positive numbers")
    return arguments


def main() -> None:
    arguments = parse_arguments()
    limit = raise_file_limit(max(arguments.counts) * 2 + 1024)
    backends = []
    if arguments.postgres.lower() not in ("", "none"):
        backends.append("postgresql")
    if arguments.sqlite:
        backends.append("sqlite")
    rows: list[list[object]] = []
    before = machine()
    for backend in backends:
        with fresh_database(backend, arguments.postgres) as database, Server(database) as server:
            rows.extend(asyncio.run(measure(database, server, arguments.counts, arguments.rounds)))
    print(f"Accord incident stream benchmark — open-file limit {limit}; {before}\n")
    print(
        f"An incident reported with POST /api/v1/incidents, {arguments.rounds} per row; delay "
        "from sending the request to each client's receipt; target: all within 1 s"
    )
    headers = ["backend", "clients", "POST p50", "p50", "p95", "max", "received",
               "all < 1 s", "server RSS"]  # fmt: skip
    print(table(rows, headers))
    print(f"\nMachine at the end: {machine()}")


if __name__ == "__main__":
    main()
