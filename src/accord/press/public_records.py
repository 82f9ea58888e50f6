"""What the public site shows of other domains: public sessions, adopted public decisions and
documents in force, read through those domains' own functions with the public as the viewer.

A domain that is not installed (or not yet written) contributes nothing.
"""

from __future__ import annotations

import importlib
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import EVERYONE, Classification
from accord.i18n import current_language
from accord.programme.links import PUBLIC_VIEWER

LIMIT = 500


@dataclass(frozen=True)
class PublicSession:
    id: uuid.UUID
    title: str
    when: str
    year: int
    held_on: date | None
    city: str
    venue: str


@dataclass(frozen=True)
class PublicDecision:
    id: uuid.UUID
    number: str
    title: str
    session_id: uuid.UUID | None


@dataclass(frozen=True)
class PublicDocument:
    id: uuid.UUID
    title: str
    kind: str
    in_force_at: Any
    bundle_url: str


def _function(module_name: str, name: str) -> Any:
    try:
        return getattr(importlib.import_module(module_name), name, None)
    except ImportError:
        return None


def is_public(record: Any) -> bool:
    """PUBLIC and released to everyone: checked here again, whatever the other domain did."""
    return Classification.parse(record.classification) == Classification.PUBLIC and (
        EVERYONE in (record.releasable_to or [])
    )


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return value.get(current_language()) or next(iter(value.values()), "")
    return str(value or "")


async def public_sessions(session: AsyncSession) -> list[PublicSession]:
    """Sessions marked public, newest first."""
    all_sessions = _function("accord.council.repository", "all_sessions")
    when_text = _function("accord.council.sessions", "when_text")
    if all_sessions is None:
        return []
    rows = [row for row in await all_sessions(session, None) if row.public and is_public(row)]
    rows.sort(key=lambda row: (row.year, row.quarter or 0, row.held_on or date.min), reverse=True)
    return [
        PublicSession(
            id=row.id,
            title=row.title,
            when=when_text(row) if when_text else str(row.held_on or row.year),
            year=row.year,
            held_on=row.held_on,
            city=row.city,
            venue=row.venue,
        )
        for row in rows
    ]


async def public_decisions(session: AsyncSession) -> list[PublicDecision]:
    """Adopted decisions classified PUBLIC, as the council lists them."""
    list_decisions = _function("accord.council.repository", "list_decisions")
    if list_decisions is None:
        return []
    rows, _cursor = await list_decisions(session, PUBLIC_VIEWER, statuses=("adopted",), limit=LIMIT)
    return [
        PublicDecision(
            id=row.id, number=row.number or "", title=row.title, session_id=row.session_id
        )
        for row in rows
        if is_public(row) and row.adopted
    ]


async def public_documents(session: AsyncSession) -> list[PublicDocument]:
    """Documents in force classified PUBLIC, with the link to their verification bundle."""
    list_documents = _function("accord.documents.repository", "list_documents")
    if list_documents is None:
        return []
    rows, _cursor = await list_documents(session, None, statuses=("in_force",), limit=LIMIT)
    return [
        PublicDocument(
            id=row.id,
            title=_text(row.title),
            kind=row.kind,
            in_force_at=row.in_force_at,
            bundle_url=f"/api/v1/documents/{row.id}/bundle",
        )
        for row in rows
        if is_public(row) and row.status == "in_force"
    ]
