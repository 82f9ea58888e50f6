"""The one blob store: content kept once by hash, on both backends."""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select

from accord.blobs import read_blob, store_blob
from accord.models.blob import Blob


async def test_the_same_content_is_stored_once_under_its_hash(db):
    data = b"\x89PNG fake image bytes"
    async with db.transaction() as session:
        first = await store_blob(session, data)
        again = await store_blob(session, data)
        other = await store_blob(session, b"other")
    assert first == again == hashlib.sha256(data).hexdigest()
    async with db.transaction() as session:
        assert await read_blob(session, first) == data
        assert await read_blob(session, other) == b"other"
        assert await read_blob(session, "0" * 64) == b""
        count = await session.scalar(
            select(func.count()).select_from(Blob).where(Blob.sha256.in_([first, other]))
        )
    assert count == 2
