"""Council benchmarks: the outcome function, and the delay from a silence deadline to adoption.

(a) outcome: ``decide`` (and the sentence of its reason) over random decisions — random rules
    and parameters, 3 to 30 members of every status, random positions, some written — per
    second, beside a baseline loop that only counts the blocking positions of the same inputs.
(b) silence: a real ``accord serve``; the secretariat launches silence procedures with deadlines
    a few seconds ahead through the API and a live-stream client waits for each
    ``decision.adopted`` event. The delay is the event's arrival minus the deadline (and the
    stored closing time minus the deadline). Nobody opens a page: the server's job loop ends
    the procedure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    POSTGRES_ADMIN,
    Server,
    fresh_database,
    milliseconds,
    percentile,
    table,
)

from accord.council.outcome import BLOCKING, POSITIONS, RULES, Member, Position, Rule, decide
from accord.council.reasons import describe


def random_cases(count: int, seed: int = 5) -> list[tuple]:
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        size = rng.randint(3, 30)
        members = [
            Member(
                f"S{index:02d}",
                rng.choice(("member",) * 6 + ("suspended", "observer", "partner")),
                rng.randint(10**5, 10**8),
            )
            for index in range(size)
        ]
        positions = {
            m.code: Position(rng.choice(POSITIONS), written=rng.random() < 0.1)
            for m in members
            if rng.random() < 0.9
        }
        rule = Rule(
            kind=rng.choice(RULES),
            absence=rng.choice(("no_objection", "not_bound", "blocks")),
            qualified=rng.choice((Fraction(2, 3), Fraction(3, 4))),
        )
        concerned = [members[0].code] if rng.random() < 0.2 else []
        cases.append((rule, members, positions, rng.random() < 0.5, concerned))
    return cases


def bench_outcome(count: int) -> None:
    cases = random_cases(count)
    names = {f"S{index:02d}": f"State {index}" for index in range(30)}
    started = time.perf_counter()
    blocked = 0
    for _rule, members, positions, _procedural, _concerned in cases:
        eligible = {m.code for m in members if m.status == "member"}
        blocked += any(p.kind in BLOCKING for c, p in positions.items() if c in eligible)
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    adopted = 0
    for rule, members, positions, procedural, concerned in cases:
        outcome = decide(rule, members, positions, procedural=procedural, concerned=concerned)
        adopted += outcome.adopted
    decided = time.perf_counter() - started
    started = time.perf_counter()
    for rule, members, positions, procedural, concerned in cases:
        outcome = decide(rule, members, positions, procedural=procedural, concerned=concerned)
        describe(outcome.reason, names)
    described = time.perf_counter() - started
    print(f"(a) outcome of {count:,} random decisions ({adopted:,} adopted)")
    rows = [
        [label, f"{count / seconds:,.0f}", f"{seconds / count * 1e6:.1f}"]
        for label, seconds in (
            ("decide", decided),
            ("decide + reason sentence", described),
            ("baseline: count objections", baseline),
        )
    ]
    print(table(rows, ["", "decisions/s", "µs each"]))


async def _secretariat_token(url: str) -> str:
    from accord.auth import service as auth
    from accord.auth.schemas import UserCreate
    from accord.db import Database

    db = Database(url)
    try:
        async with db.transaction() as session:
            user = await auth.create_user(
                session,
                UserCreate(
                    username="bench-secretariat",
                    state="ORG",
                    roles=["secretariat"],
                    clearance="SECRET",
                    password="bench-password-long",
                ),
                actor="bench",
            )
            _token, secret = await auth.create_token(session, user, "bench", actor="bench")
            return secret
    finally:
        await db.dispose()


async def _watch(base_url: str, token: str, wanted: set[str], arrivals: dict[str, float]) -> None:
    headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
    async with (
        httpx.AsyncClient(base_url=base_url, timeout=httpx.Timeout(120, read=None)) as client,
        client.stream("GET", "/api/v1/events/stream", headers=headers) as response,
    ):
        kind = None
        async for line in response.aiter_lines():
            if line.startswith("event:"):
                kind = line[6:].strip()
            elif line.startswith("data:") and kind == "decision.adopted":
                subject = json.loads(line[5:]).get("subject")
                if subject in wanted and subject not in arrivals:
                    arrivals[subject] = time.time()
                    if len(arrivals) == len(wanted):
                        return


async def _silence_round(base_url: str, token: str, procedures: int, lead: float) -> list[list]:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=30) as client:
        drafts = []
        for index in range(procedures):
            answer = await client.post(
                "/api/v1/decisions",
                json={"title": f"Bench statement {index}", "texts": {"en": "…"}},
            )
            answer.raise_for_status()
            drafts.append(answer.json()["id"])
        arrivals: dict[str, float] = {}
        watcher = asyncio.create_task(_watch(base_url, token, set(drafts), arrivals))
        await asyncio.sleep(1)
        deadlines = {}
        for index, ident in enumerate(drafts):
            deadline = datetime.now(UTC) + timedelta(seconds=lead + 0.37 * index)
            answer = await client.post(
                f"/api/v1/decisions/{ident}/silence", json={"deadline": deadline.isoformat()}
            )
            answer.raise_for_status()
            deadlines[ident] = deadline
        await asyncio.wait_for(watcher, timeout=lead + procedures + 60)
        rows = []
        for ident in drafts:
            stored = (await client.get(f"/api/v1/decisions/{ident}")).json()
            closed = datetime.fromisoformat(stored["closed_at"])
            rows.append(
                [
                    (closed - deadlines[ident]).total_seconds(),
                    arrivals[ident] - deadlines[ident].timestamp(),
                ]
            )
        return rows


def bench_silence(backend: str, postgres: str, procedures: int, lead: float) -> None:
    with fresh_database(backend, postgres) as database:
        token = asyncio.run(_secretariat_token(database.url))
        with Server(database, sealer_interval_seconds="0.2") as server:
            rows = asyncio.run(_silence_round(server.url, token, procedures, lead))
    closing = [row[0] for row in rows]
    arrival = [row[1] for row in rows]
    print(f"\n(b) silence deadline → adoption, {procedures} procedures, {backend}")
    print(
        table(
            [
                ["stored closing time − deadline", milliseconds(percentile(closing, 0.5)),
                 milliseconds(percentile(closing, 0.95)), milliseconds(max(closing))],
                ["adoption event on the stream − deadline", milliseconds(percentile(arrival, 0.5)),
                 milliseconds(percentile(arrival, 0.95)), milliseconds(max(arrival))],
            ],
            ["", "p50", "p95", "max"],
        )
    )  # fmt: skip
    if min(closing) < 0:
        print("ERROR: a procedure closed before its deadline")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=10_000)
    parser.add_argument("--procedures", type=int, default=10)
    parser.add_argument("--lead", type=float, default=3.0, help="seconds to the first deadline")
    parser.add_argument("--postgres", default=POSTGRES_ADMIN, help="admin URL, or 'none'")
    parser.add_argument("--only", choices=("outcome", "silence"))
    arguments = parser.parse_args()
    if arguments.only != "silence":
        bench_outcome(arguments.decisions)
    if arguments.only != "outcome":
        backends = ["sqlite"] + ([] if arguments.postgres == "none" else ["postgresql"])
        for backend in backends:
            bench_silence(backend, arguments.postgres, arguments.procedures, arguments.lead)


if __name__ == "__main__":
    main()
