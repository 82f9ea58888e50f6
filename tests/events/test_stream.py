"""The live stream against real ``accord serve`` processes: who gets which event, and when."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from accord.access import EVERYONE, Classification
from accord.db import Database
from accord.events.repository import count_unsealed
from accord.events.service import record_event
from tests.conftest import ROOT, ServerProcess, free_port, run_cli
from tests.factories import PASSWORD

STREAM = "/api/v1/events/stream"
WAIT_SECONDS = 30


# Reading the stream


@dataclass(frozen=True)
class Received:
    """One server-sent event as the client parsed it."""

    seq: int
    kind: str
    data: dict


@dataclass
class LiveStream:
    """A client connected to the live stream, reading in a background task."""

    base_url: str
    headers: dict[str, str] = field(default_factory=dict)
    cookies: httpx.Cookies | None = None
    events: list[Received] = field(default_factory=list)
    status: int | None = None

    async def __aenter__(self) -> LiveStream:
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            cookies=self.cookies,
            timeout=httpx.Timeout(10, read=WAIT_SECONDS * 2),
        )
        self._opened = asyncio.Event()
        self._task = asyncio.create_task(self._read())
        # Once the answer's headers arrive, the server has registered the subscription.
        await asyncio.wait_for(self._opened.wait(), WAIT_SECONDS)
        if self._task.done():
            self._task.result()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
        await self._client.aclose()

    async def _read(self) -> None:
        try:
            async with self._client.stream("GET", STREAM, headers=self.headers) as response:
                self.status = response.status_code
                self._opened.set()
                fields: dict[str, str] = {}
                async for line in response.aiter_lines():
                    if line.startswith(":"):
                        continue
                    if line:
                        name, _sep, value = line.partition(":")
                        fields[name] = value.removeprefix(" ")
                        continue
                    if "data" in fields:
                        self.events.append(
                            Received(int(fields["id"]), fields["event"], json.loads(fields["data"]))
                        )
                    fields = {}
        finally:
            self._opened.set()

    async def wait_for(self, matches: Callable[[Received], bool]) -> Received:
        """The first event received that ``matches``, waiting a bounded time for it."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            for event in self.events:
                if matches(event):
                    return event
            if self._task.done():
                self._task.result()
                break
            await asyncio.sleep(0.05)
        kinds = [(event.seq, event.kind) for event in self.events]
        raise AssertionError(f"no matching event arrived; received {kinds}")

    def before(self, marker: Received) -> list[Received]:
        return [event for event in self.events if event.seq < marker.seq]


def created_user(username: str) -> Callable[[Received], bool]:
    return lambda event: (
        event.kind == "user.created" and event.data["payload"]["username"] == username
    )


def with_subject(subject: str) -> Callable[[Received], bool]:
    return lambda event: event.data["subject"] == subject


# Setting up users and events


def cli_env(database_url: str, data_dir: Path) -> dict[str, str]:
    return {"ACCORD_DATABASE_URL": database_url, "ACCORD_DATA_DIR": str(data_dir)}


def create_admin_token(database_url: str, data_dir: Path) -> str:
    """An ORG administrator made with the CLI; returns its API token."""
    env = cli_env(database_url, data_dir)
    name = f"admin-{uuid.uuid4().hex[:6]}"
    added = run_cli(
        "user",
        "add",
        name,
        "--state",
        "ORG",
        "--role",
        "admin",
        "--clearance",
        "SECRET",
        "--password-stdin",
        env=env,
        input=PASSWORD + "\n",
    )
    assert added.returncode == 0, added.stderr
    issued = run_cli("token", "create", name, env=env)
    assert issued.returncode == 0, issued.stderr
    return issued.stdout.strip().splitlines()[-1]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Admin:
    """The administrator's API client on one server."""

    base_url: str
    token: str

    async def create_user(self, expect: int = 201, **values: object) -> httpx.Response:
        body = {
            "username": f"user-{uuid.uuid4().hex[:8]}",
            "state": "ORG",
            "roles": ["analyst"],
            "clearance": "RESTRICTED",
            "password": PASSWORD,
            **values,
        }
        async with httpx.AsyncClient(base_url=self.base_url, timeout=30) as client:
            answer = await client.post("/api/v1/users", json=body, headers=bearer(self.token))
        assert answer.status_code == expect, answer.text
        return answer

    async def user_token(self, username: str) -> str:
        async with httpx.AsyncClient(base_url=self.base_url, timeout=30) as client:
            answer = await client.post(
                f"/api/v1/users/{username}/tokens",
                json={"label": "stream"},
                headers=bearer(self.token),
            )
        assert answer.status_code == 201, answer.text
        return answer.json()["token"]

    async def stream_as(self, **values: object) -> LiveStream:
        """A new user with ``values``, connected to the stream with a token of their own."""
        username = (await self.create_user(**values)).json()["username"]
        return LiveStream(self.base_url, headers=bearer(await self.user_token(username)))


async def logged_in_cookies(base_url: str, username: str) -> httpx.Cookies:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        answer = await client.post(
            "/api/v1/auth/login", json={"username": username, "password": PASSWORD}
        )
        assert answer.status_code == 200, answer.text
        return client.cookies


async def write_event(
    database_url: str,
    *,
    state: str,
    classification: Classification,
    releasable_to: list[str],
    kind: str = "test.marked",
) -> str:
    """Commit one event straight into the log, as any domain's service would; returns its subject.

    The serving process seals it on its next tick and delivers it then.
    """
    subject = uuid.uuid4().hex
    db = Database(database_url)
    try:
        async with db.transaction() as session:
            record_event(
                session,
                actor="test",
                state=state,
                kind=kind,
                subject=subject,
                payload={"note": kind},
                classification=classification,
                releasable_to=releasable_to,
            )
    finally:
        await db.dispose()
    return subject


async def write_public_event(database_url: str) -> str:
    return await write_event(
        database_url, state="ORG", classification=Classification.PUBLIC, releasable_to=[EVERYONE]
    )


async def wait_until_sealed(database_url: str) -> None:
    db = Database(database_url)
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            async with db.sessions() as session:
                if await count_unsealed(session) == 0:
                    return
            await asyncio.sleep(0.05)
        raise AssertionError("the server did not seal the events")
    finally:
        await db.dispose()


@pytest.fixture
def admin(server: ServerProcess, sqlite_url: str, data_dir: Path) -> Admin:
    return Admin(server.url, create_admin_token(sqlite_url, data_dir))


# Who may connect


async def test_stream_without_login_answers_401_with_a_json_error(server: ServerProcess):
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        anonymous = await client.get(STREAM)
        wrong_token = await client.get(STREAM, headers=bearer("acc_not-a-real-token"))
    for answer in (anonymous, wrong_token):
        assert answer.status_code == 401
        assert answer.headers["content-type"].startswith("application/json")
        assert answer.json()["error"]["code"] == "not_authenticated"


# What arrives, and when


async def test_logged_in_user_receives_each_new_event_after_it_commits(
    server: ServerProcess, admin: Admin
):
    analyst = (await admin.create_user(state="ORG", clearance="RESTRICTED")).json()["username"]
    cookies = await logged_in_cookies(server.url, analyst)
    async with LiveStream(server.url, cookies=cookies) as stream:
        assert stream.status == 200
        first = (await admin.create_user()).json()
        second = (await admin.create_user()).json()
        got_first = await stream.wait_for(created_user(first["username"]))
        got_second = await stream.wait_for(created_user(second["username"]))

    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        log = await client.get(
            "/api/v1/events", params={"kind": "user.created"}, headers=bearer(admin.token)
        )
    sealed = {item["subject"]: item for item in log.json()["items"]}
    for received, user in ((got_first, first), (got_second, second)):
        assert received.kind == "user.created" == received.data["kind"]
        assert received.seq == received.data["seq"] == sealed[user["id"]]["seq"]
        assert received.data["subject"] == user["id"]
        assert received.data["hash"] == sealed[user["id"]]["hash"]
    assert got_first.seq < got_second.seq
    # Events reach the stream in the order of the chain.
    seqs = [event.seq for event in stream.events]
    assert seqs == sorted(seqs)


async def test_user_in_another_state_or_without_clearance_never_receives_the_event(
    server: ServerProcess, admin: Admin, sqlite_url: str
):
    org_admin = LiveStream(server.url, headers=bearer(admin.token))
    kaz_secret = await admin.stream_as(state="KAZ", clearance="SECRET")
    org_public = await admin.stream_as(state="ORG", clearance="PUBLIC", roles=["press"])
    async with org_admin, kaz_secret, org_public:
        username = (await admin.create_user(state="KAZ", clearance="CONFIDENTIAL")).json()[
            "username"
        ]
        await org_admin.wait_for(created_user(username))
        # A later event all three may see: once it arrives, the earlier one was passed over.
        marker = await write_public_event(sqlite_url)
        for stream in (org_admin, kaz_secret, org_public):
            await stream.wait_for(with_subject(marker))

    for stream in (kaz_secret, org_public):
        assert not [event for event in stream.events if event.kind == "user.created"]
        assert all(event.data["classification"] == "PUBLIC" for event in stream.events)


async def test_last_event_id_resumes_with_the_missed_events_the_user_may_see(
    server: ServerProcess, admin: Admin, sqlite_url: str
):
    kaz = await admin.stream_as(state="KAZ", clearance="CONFIDENTIAL")
    async with kaz:
        first = await kaz.wait_for(with_subject(await write_public_event(sqlite_url)))

    missed = {
        "own": (Classification.RESTRICTED, "KAZ", []),
        "released": (Classification.CONFIDENTIAL, "ARM", ["KAZ"]),
        "public": (Classification.PUBLIC, "ORG", [EVERYONE]),
        "other state": (Classification.RESTRICTED, "ARM", ["BLR"]),
        "above clearance": (Classification.SECRET, "KAZ", []),
    }
    subjects = {}
    for label, (level, owner, released) in missed.items():
        subjects[label] = await write_event(
            sqlite_url, state=owner, classification=level, releasable_to=released
        )
    await admin.create_user(state="KAZ")
    await wait_until_sealed(sqlite_url)

    resumed = LiveStream(kaz.base_url, headers={**kaz.headers, "Last-Event-ID": str(first.seq)})
    async with resumed:
        marker = await resumed.wait_for(with_subject(await write_public_event(sqlite_url)))
    backlog = resumed.before(marker)
    assert [event.data["subject"] for event in backlog] == [
        subjects["own"],
        subjects["released"],
        subjects["public"],
    ]
    assert all(event.seq > first.seq for event in backlog)


# What must not arrive


async def test_work_that_fails_and_rolls_back_sends_nothing(
    server: ServerProcess, admin: Admin, sqlite_url: str
):
    existing = (await admin.create_user()).json()["username"]
    async with LiveStream(server.url, headers=bearer(admin.token)) as stream:
        duplicate = await admin.create_user(expect=409, username=existing)
        assert duplicate.json()["error"]["code"] == "conflict"
        await admin.create_user(expect=422, username="nowhere-user", state="XXX")
        with pytest.raises(RuntimeError):
            await write_event_then_fail(sqlite_url)
        marker = (await admin.create_user()).json()["username"]
        arrived = await stream.wait_for(created_user(marker))

    assert not [
        event
        for event in stream.before(arrived)
        if event.kind.startswith("user.") or event.kind == "test.rolled_back"
    ]
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        log = await client.get(
            "/api/v1/events",
            params={"kind": "user.created", "limit": 500},
            headers=bearer(admin.token),
        )
    usernames = [item["payload"]["username"] for item in log.json()["items"]]
    assert usernames.count(existing) == 1
    assert "nowhere-user" not in usernames


async def write_event_then_fail(database_url: str) -> None:
    db = Database(database_url)
    try:
        async with db.transaction() as session:
            record_event(
                session,
                actor="test",
                state="ORG",
                kind="test.rolled_back",
                subject="nothing",
                payload={},
                classification=Classification.PUBLIC,
                releasable_to=[EVERYONE],
            )
            await session.flush()
            raise RuntimeError("the work failed after writing its event")
    finally:
        await db.dispose()


# Several processes on PostgreSQL


class ServerWithIdleSealer(ServerProcess):
    """A server whose own sealer ticks once an hour: others' events reach it only by NOTIFY."""

    def __init__(self, database_url: str, data_dir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            **cli_env(database_url, data_dir),
            "ACCORD_SEALER_INTERVAL_SECONDS": "3600",
        }
        self.log = data_dir / f"server-{self.port}.log"
        command = [sys.executable, "-m", "accord", "serve", "--port", str(self.port)]
        self.process = subprocess.Popen(
            command, env=self.env, cwd=ROOT, stdout=self.log.open("w"), stderr=subprocess.STDOUT
        )
        self._wait_ready()


@pytest.mark.postgres
async def test_event_caused_through_one_server_reaches_a_client_of_another(
    postgres_url: str, data_dir: Path
):
    token = create_admin_token(postgres_url, data_dir)
    server_a = ServerProcess(postgres_url, data_dir)
    server_b = ServerWithIdleSealer(postgres_url, data_dir)
    try:
        async with LiveStream(server_b.url, headers=bearer(token)) as on_b:
            username = (await Admin(server_a.url, token).create_user()).json()["username"]
            received = await on_b.wait_for(created_user(username))
        assert received.data["hash"] is not None
    finally:
        server_a.stop()
        server_b.stop()


@pytest.mark.postgres
async def test_serve_with_two_workers_on_postgresql_starts_and_delivers_to_every_client(
    postgres_url: str, data_dir: Path
):
    token = create_admin_token(postgres_url, data_dir)
    server = ServerProcess(postgres_url, data_dir, workers=2)
    try:
        async with contextlib.AsyncExitStack() as connected:
            # Several connections, so that each worker process most likely serves some.
            streams = [
                await connected.enter_async_context(LiveStream(server.url, headers=bearer(token)))
                for _ in range(6)
            ]
            # Each request may land on either worker; every client gets every event.
            for _ in range(3):
                username = (await Admin(server.url, token).create_user()).json()["username"]
                for stream in streams:
                    await stream.wait_for(created_user(username))
    finally:
        server.stop()


def test_serve_with_two_workers_on_sqlite_exits_2_with_a_one_line_error(
    sqlite_url: str, data_dir: Path
):
    answer = run_cli(
        "serve", "--workers", "2", "--port", str(free_port()), env=cli_env(sqlite_url, data_dir)
    )
    assert answer.returncode == 2
    lines = answer.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: --workers")
    assert "PostgreSQL" in lines[0]
