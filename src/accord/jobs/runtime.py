"""The background work of one serving process: due jobs and the mail outbox."""

from __future__ import annotations

from accord.config import Settings
from accord.db import Database


class JobRuntime:
    """Starts with the app and stops with it."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None
