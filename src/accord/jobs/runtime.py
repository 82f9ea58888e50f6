"""The background work of one serving process: due jobs and the mail outbox."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy.orm import Session

from accord.clock import utcnow
from accord.config import Settings
from accord.db import Database, on_after_commit
from accord.jobs.service import WAKE_AFTER_COMMIT, next_due_at, run_due
from accord.notifications.mail import send_due

log = logging.getLogger(__name__)
_running: list[JobRuntime] = []


@on_after_commit
def _wake(session: Session) -> None:
    if session.info.pop(WAKE_AFTER_COMMIT, False):
        for runtime in _running:
            runtime.kick()


class JobRuntime:
    """Starts with the app and stops with it: runs due jobs at start and then on every tick."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.create_task(self._run(), name="accord-jobs")
        _running.append(self)

    async def stop(self) -> None:
        with contextlib.suppress(ValueError):
            _running.remove(self)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def kick(self) -> None:
        """Run the loop now rather than at the next tick."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    async def tick(self) -> None:
        """One round: due jobs, then due mail; errors are logged and the next round tries again."""
        try:
            await run_due(self.db)
        except Exception:
            log.exception("running due jobs failed; retrying on the next tick")
        try:
            await send_due(self.db, self.settings)
        except Exception:
            log.exception("sending mail failed; retrying on the next tick")

    async def _run(self) -> None:
        # The first round runs at once: jobs that fell due while no server ran go now.
        while True:
            await self.tick()
            # Not asyncio.wait_for: on Python 3.11 it can swallow a cancel arriving with the wake.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(await self._pause()):
                    await self._wake.wait()
            self._wake.clear()

    async def _pause(self) -> float:
        """Seconds until the next round: the interval, or less when a job falls due sooner."""
        interval = self.settings.job_interval_seconds
        try:
            due = await next_due_at(self.db)
        except Exception:
            log.exception("reading the next due job failed; waiting the whole interval")
            return interval
        if due is None:
            return interval
        return min(interval, max((due - utcnow()).total_seconds(), 0.0) + 0.005)
