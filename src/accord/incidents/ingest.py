"""Bulk ingest: many reports in one request, each stored or refused on its own."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer
from accord.clock import utcnow
from accord.errors import AccordError, Conflict, InvalidInput, TooLarge, field_path
from accord.i18n import _
from accord.incidents.schemas import IncidentCreate
from accord.incidents.service import report_incidents
from accord.models import IdempotencyRecord

MAX_BATCH = 1000


@dataclass
class StoredAnswer:
    status_code: int
    body: dict[str, Any]


def batch_items(body: Any) -> list[Any]:
    """The items of a batch body: a JSON array, or an object with ``items``."""
    items = body.get("items") if isinstance(body, dict) else body
    if not isinstance(items, list):
        raise InvalidInput(
            _("send a JSON array of incidents, or an object with items"), field="items"
        )
    if len(items) > MAX_BATCH:
        raise TooLarge(
            _("a batch holds at most {limit} incidents; this one has {count}").format(
                limit=MAX_BATCH, count=len(items)
            ),
            field="items",
        )
    return items


def _item_error(error: Exception) -> dict[str, Any]:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        field = field_path(first.get("loc", ()))
        message = first.get("msg", "invalid value").removeprefix("Value error, ")
        return {"code": "validation_error", "message": f"{field}: {message}", "field": field}
    assert isinstance(error, AccordError)
    return error.as_body()["error"]


async def ingest(session: AsyncSession, viewer: Viewer, items: list[Any]) -> dict[str, Any]:
    """Report every valid item; answer per item with its id or why it was refused."""
    results: list[dict[str, Any]] = []
    valid: list[tuple[int, IncidentCreate]] = []
    for index, item in enumerate(items):
        try:
            valid.append((index, IncidentCreate.model_validate(item)))
        except ValidationError as error:
            results.append({"index": index, "status": "error", "error": _item_error(error)})
    outcomes = await report_incidents(session, viewer, [data for _index, data in valid])
    for (index, _data), outcome in zip(valid, outcomes, strict=True):
        if isinstance(outcome, InvalidInput):
            results.append({"index": index, "status": "error", "error": _item_error(outcome)})
        else:
            results.append({"index": index, "status": "created", "id": str(outcome.id)})
    return {"results": sorted(results, key=lambda result: result["index"])}


def request_digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


async def replay(
    session: AsyncSession, user_id: uuid.UUID, key: str, digest: str
) -> StoredAnswer | None:
    """The first answer to this key, or None; a different body under the same key is a 409."""
    query = select(IdempotencyRecord).where(
        IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key
    )
    record = (await session.execute(query)).scalar_one_or_none()
    if record is None:
        return None
    if record.request_hash != digest:
        raise Conflict(
            _("this Idempotency-Key was used with a different body"), field="Idempotency-Key"
        )
    return StoredAnswer(record.status_code, record.body)


def remember(
    session: AsyncSession, user_id: uuid.UUID, key: str, digest: str, answer: StoredAnswer
) -> None:
    session.add(
        IdempotencyRecord(
            user_id=user_id,
            key=key,
            request_hash=digest,
            status_code=answer.status_code,
            body=answer.body,
            created_at=utcnow(),
        )
    )
