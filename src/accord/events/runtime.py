"""The events machinery of one serving process: the sealer loop and cross-process delivery."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import asyncpg
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from accord.config import Settings
from accord.db import Database, on_after_commit
from accord.events.hub import Hub
from accord.events.keys import load_or_create_key
from accord.events.sealer import CHANNEL, chain_head, seal_pending
from accord.events.service import EVENTS_WRITTEN

log = logging.getLogger(__name__)
_running: EventRuntime | None = None


@on_after_commit
def _kick_after_commit(session: Session) -> None:
    if session.info.pop(EVENTS_WRITTEN, False) and _running is not None:
        _running.kick()


async def announce(db: Database, hub: Hub | None, last_seq: int) -> None:
    """Deliver sealed events on SQLite; on PostgreSQL the sealer's commit notified everyone."""
    if db.is_sqlite and hub is not None:
        await hub.deliver_through(last_seq)


async def seal_and_announce(db: Database, settings: Settings, hub: Hub | None = None) -> None:
    """Seal what is pending and announce it: what the CLI does after its own commits."""
    sealed = await seal_pending(db, load_or_create_key(settings.checkpoint_key_path))
    if sealed:
        await announce(db, hub, sealed.last)


class EventRuntime:
    """Starts with the app: seals after each commit and feeds this process's live stream."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self.hub = Hub(db)
        self.key = load_or_create_key(settings.checkpoint_key_path)
        self._wake = asyncio.Event()
        # Commits with events in this process, and events delivered from any: together they
        # tell a cache of derived pictures when to compute again.
        self.local_commits = 0
        self._seal_lock = asyncio.Lock()
        self._tasks: list[asyncio.Task] = []
        self._listener: asyncpg.Connection | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> None:
        global _running
        self._loop = asyncio.get_running_loop()
        async with self.db.sessions() as session:
            self.hub.delivered, _ = await chain_head(session)
        if not self.db.is_sqlite:
            await self._listen()
        self._tasks.append(asyncio.create_task(self._seal_loop(), name="accord-sealer"))
        _running = self

    async def stop(self) -> None:
        global _running
        if _running is self:
            _running = None
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._listener is not None:
            with contextlib.suppress(Exception):
                await self._listener.close()

    def kick(self) -> None:
        """Wake the sealer now (called after a commit that wrote events)."""
        self.local_commits += 1
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    @property
    def changes_seen(self) -> tuple[int, int]:
        """Changes known to this process: its own commits with events, and events delivered."""
        return (self.local_commits, self.hub.delivered)

    async def seal_now(self) -> None:
        async with self._seal_lock:
            sealed = await seal_pending(self.db, self.key)
        if sealed:
            await announce(self.db, self.hub, sealed.last)
        else:
            async with self.db.sessions() as session:
                head, _ = await chain_head(session)
            if head > self.hub.delivered:  # sealed elsewhere (another command or process)
                await self.hub.deliver_through(head)

    async def _seal_loop(self) -> None:
        while True:
            # Not asyncio.wait_for: on Python 3.11 it swallows a cancel that arrives as the wake-up
            # does, and stop() would then wait for this loop forever.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.settings.sealer_interval_seconds):
                    await self._wake.wait()
            self._wake.clear()
            try:
                await self.seal_now()
            except Exception:
                log.exception("sealing events failed; retrying on the next tick")

    async def _listen(self) -> None:
        url = make_url(self.db.url).set(drivername="postgresql")
        self._listener = await asyncpg.connect(url.render_as_string(hide_password=False))
        await self._listener.add_listener(CHANNEL, self._on_notify)

    def _on_notify(self, _connection, _pid, _channel, payload: str) -> None:
        task = asyncio.get_running_loop().create_task(self.hub.deliver_through(int(payload)))
        self._tasks.append(task)
        task.add_done_callback(self._forget)

    def _forget(self, task: asyncio.Task) -> None:
        with contextlib.suppress(ValueError):
            self._tasks.remove(task)
