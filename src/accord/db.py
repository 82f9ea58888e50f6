"""The engine, the session factory and the unit of work: one request or command, one transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session

from accord.config import normalise_database_url

AfterCommitHook = Callable[[Session], None]
_after_commit_hooks: list[AfterCommitHook] = []


def on_after_commit(hook: AfterCommitHook) -> AfterCommitHook:
    """Register ``hook`` to run after every successful commit of any session."""
    _after_commit_hooks.append(hook)
    return hook


@event.listens_for(Session, "after_commit")
def _run_after_commit_hooks(session: Session) -> None:
    for hook in _after_commit_hooks:
        hook(session)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_engine(url: str) -> AsyncEngine:
    url = normalise_database_url(url)
    if url.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    # No pre-ping: it costs a round trip per request; a connection found dead is dropped
    # from the pool on its first error.
    return create_async_engine(url, pool_size=10, max_overflow=20, pool_recycle=1800)


class Database:
    """An engine and the factory of its sessions."""

    def __init__(self, url: str) -> None:
        self.url = normalise_database_url(url)
        self.engine = create_engine(self.url)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: commit on success, roll back on any error."""
        async with self.sessions() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    async def ping(self) -> None:
        from sqlalchemy import text

        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
