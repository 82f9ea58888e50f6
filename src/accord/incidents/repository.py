"""All SQL of the incidents domain; every read goes through the access filter."""

from __future__ import annotations

import base64
import json
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, and_, literal_column, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer, visible
from accord.errors import InvalidInput
from accord.i18n import _
from accord.models import Incident, IncidentUpdate

WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class IncidentFilter:
    """What a list, map, export or count is narrowed to."""

    areas: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    text: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    include_duplicates: bool = True
    extra: dict = field(default_factory=dict)


SORTS = ("time", "severity")


def _text_match(session: AsyncSession, words: list[str]):
    if session.bind.dialect.name == "sqlite":
        query = " ".join(f'"{word}"*' for word in words)
        return literal_column("incidents.rowid").in_(
            text("SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH :fts").bindparams(
                fts=query
            )
        )
    return text("incidents.search_vector @@ to_tsquery('simple', :tsq)").bindparams(
        tsq=" & ".join(f"{word}:*" for word in words)
    )


def filtered(session: AsyncSession, viewer: Viewer, filters: IncidentFilter) -> Select:
    """The incidents ``viewer`` may see that match ``filters``, as a query to refine."""
    query = select(Incident).where(visible(viewer, Incident))
    for column, values in (
        (Incident.area, filters.areas),
        (Incident.owner, filters.owners),
        (Incident.country, filters.countries),
        (Incident.severity, filters.severities),
        (Incident.status, filters.statuses),
        (Incident.mode, filters.modes),
    ):
        if values:
            query = query.where(column.in_(values))
    if filters.since:
        query = query.where(Incident.occurred_at >= filters.since)
    if filters.until:
        query = query.where(Incident.occurred_at < filters.until)
    if not filters.include_duplicates:
        query = query.where(Incident.duplicate_of.is_(None))
    if filters.text:
        words = WORD.findall(filters.text.lower())[:10]
        if words:
            query = query.where(_text_match(session, words))
    return query


def encode_cursor(incident: Incident, sort: str) -> str:
    key = [incident.occurred_at.isoformat(), str(incident.id)]
    if sort == "severity":
        key.insert(0, incident.severity_rank)
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str) -> list:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded))
        expected = 3 if sort == "severity" else 2
        if not isinstance(key, list) or len(key) != expected:
            raise ValueError
        key[-2] = datetime.fromisoformat(key[-2])
        key[-1] = uuid.UUID(key[-1])
        return key
    except (ValueError, TypeError, json.JSONDecodeError):
        raise InvalidInput(_("the cursor is not one this list gave"), field="cursor") from None


def ordered_page(query: Select, sort: str, cursor: str | None) -> Select:
    """Newest (or most severe, then newest) first, continuing after ``cursor``."""
    if sort == "severity":
        order = (Incident.severity_rank.desc(), Incident.occurred_at.desc(), Incident.id.desc())
    else:
        order = (Incident.occurred_at.desc(), Incident.id.desc())
    if cursor:
        key = _decode_cursor(cursor, sort)
        if sort == "severity":
            rank, at, last_id = key
            query = query.where(
                or_(
                    Incident.severity_rank < rank,
                    and_(Incident.severity_rank == rank, Incident.occurred_at < at),
                    and_(
                        Incident.severity_rank == rank,
                        Incident.occurred_at == at,
                        Incident.id < last_id,
                    ),
                )
            )
        else:
            at, last_id = key
            query = query.where(
                or_(
                    Incident.occurred_at < at,
                    and_(Incident.occurred_at == at, Incident.id < last_id),
                )
            )
    return query.order_by(*order)


async def list_incidents(
    session: AsyncSession,
    viewer: Viewer,
    filters: IncidentFilter,
    *,
    sort: str = "time",
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[Incident], str | None]:
    """One page of incidents and the cursor of the next page (None on the last)."""
    query = ordered_page(filtered(session, viewer, filters), sort, cursor).limit(limit + 1)
    rows = list((await session.execute(query)).scalars())
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, encode_cursor(rows[-1], sort) if more and rows else None


async def stream_incidents(
    session: AsyncSession, viewer: Viewer, filters: IncidentFilter, *, batch: int = 1000
) -> AsyncIterator[Incident]:
    """Every matching incident, newest first, fetched in keyset batches (exports)."""
    cursor = None
    while True:
        rows, cursor = await list_incidents(session, viewer, filters, cursor=cursor, limit=batch)
        for row in rows:
            yield row
        session.expunge_all()
        if cursor is None:
            return


async def get_visible(
    session: AsyncSession, viewer: Viewer, incident_id: uuid.UUID
) -> Incident | None:
    query = select(Incident).where(Incident.id == incident_id, visible(viewer, Incident))
    return (await session.execute(query)).scalar_one_or_none()


async def timeline(session: AsyncSession, incident_id: uuid.UUID) -> list[IncidentUpdate]:
    query = (
        select(IncidentUpdate)
        .where(IncidentUpdate.incident_id == incident_id)
        .order_by(IncidentUpdate.at, IncidentUpdate.id)
    )
    return list((await session.execute(query)).scalars())
