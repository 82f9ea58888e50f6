"""Keyset pages of lists: the cursor is the (time, id) of the last row shown."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, or_
from sqlalchemy.ext.asyncio import AsyncSession

from accord.errors import InvalidInput
from accord.i18n import _


def encode_cursor(at: datetime, ident: uuid.UUID) -> str:
    raw = json.dumps([at.isoformat(), str(ident)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    """The (time, id) a cursor carries; a cursor this API did not give is a 422 naming it."""
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(key, list) or len(key) != 2:
            raise ValueError
        return datetime.fromisoformat(key[0]), uuid.UUID(key[1])
    except (ValueError, TypeError, json.JSONDecodeError):
        raise InvalidInput(_("the cursor is not one this list gave"), field="cursor") from None


async def keyset_page(
    session: AsyncSession,
    query: Select,
    at_column: Any,
    id_column: Any,
    cursor: str | None,
    limit: int,
    *,
    newest_first: bool = True,
) -> tuple[list[Any], str | None]:
    """One page of ``query`` ordered by ``at_column`` then ``id_column``, and the next cursor."""
    if cursor:
        at, ident = decode_cursor(cursor)
        if newest_first:
            after = or_(at_column < at, and_(at_column == at, id_column < ident))
        else:
            after = or_(at_column > at, and_(at_column == at, id_column > ident))
        query = query.where(after)
    order = (at_column.desc(), id_column.desc()) if newest_first else (at_column, id_column)
    query = query.order_by(*order).limit(limit + 1)
    rows = list((await session.execute(query)).scalars())
    more, rows = len(rows) > limit, rows[:limit]
    if not (more and rows):
        return rows, None
    last = rows[-1]
    return rows, encode_cursor(getattr(last, at_column.key), getattr(last, id_column.key))
