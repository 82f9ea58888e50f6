"""File content kept once by its SHA-256 in the ``blobs`` table, for every domain that stores files.

Incident attachments and release images point at a blob by hash; storing the same content twice
keeps one row.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from accord.models.blob import Blob


async def store_blob(session: AsyncSession, data: bytes) -> str:
    """Keep ``data`` once under its SHA-256 and return the hash (hex)."""
    digest = hashlib.sha256(data).hexdigest()
    insert = sqlite_insert if session.bind.dialect.name == "sqlite" else postgresql_insert
    statement = insert(Blob).values(sha256=digest, size=len(data), data=data)
    await session.execute(statement.on_conflict_do_nothing(index_elements=["sha256"]))
    return digest


async def read_blob(session: AsyncSession, digest: str) -> bytes:
    """The content stored under ``digest``; empty when there is none."""
    data = await session.scalar(select(Blob.data).where(Blob.sha256 == digest))
    return bytes(data or b"")
