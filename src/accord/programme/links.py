"""Typed links to records of other domains: what they are called and who may see them.

The programme and the press centre point at sessions, decisions, documents, incidents, crises
and programmes by ``(kind, id)``. Each kind is read through its own domain's service function,
with the access rule of that domain; a domain that is not installed yet simply resolves nothing.
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import EVERYONE, Classification, Viewer
from accord.errors import NotFound
from accord.i18n import current_language

# The public as a viewer: PUBLIC clearance, a state that owns nothing, so only records marked
# PUBLIC and released to everyone pass the access rule.
PUBLIC_VIEWER = Viewer(
    state="PUBLIC", clearance=Classification.PUBLIC, roles=frozenset(), username="public"
)
PROGRAMME_KINDS = ("session", "decision", "exercise", "incident", "crisis", "document")
PRESS_KINDS = ("session", "decision", "document", "programme")
KINDS = tuple(dict.fromkeys(PROGRAMME_KINDS + PRESS_KINDS))

Getter = Callable[[AsyncSession, Viewer, uuid.UUID], Awaitable[Any]]


@dataclass(frozen=True)
class LinkedRecord:
    """A record a link points at, as far as the viewer may see it."""

    kind: str
    id: uuid.UUID
    title: str
    classification: Classification
    url: str
    public: bool


# Where each kind is read: the service functions that may hold it, first found wins.
SOURCES: dict[str, tuple[tuple[str, str], ...]] = {
    "session": (
        ("accord.council.sessions", "get_council_session"),
        ("accord.council.service", "get_council_session"),
    ),
    "decision": (("accord.council.service", "get_decision"),),
    "document": (("accord.documents.service", "get_document"),),
    "incident": (("accord.incidents.service", "get_incident"),),
    "exercise": (("accord.incidents.service", "get_incident"),),
    "crisis": (("accord.crises.service", "get_crisis"),),
    "programme": (("accord.programme.service", "get_programme"),),
}
URLS = {
    "session": "/council/sessions/{id}",
    "decision": "/council/decisions/{id}",
    "document": "/documents/{id}",
    "incident": "/incidents/{id}",
    "exercise": "/incidents/{id}",
    "crisis": "/crises/{id}",
    "programme": "/programme/{year}",
}


def _getter(kind: str) -> Getter | None:
    for module_name, name in SOURCES[kind]:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        function = getattr(module, name, None)
        if function is not None:
            return function
    return None


def _title(kind: str, record: Any) -> str:
    if kind == "programme":
        return str(record.year)
    title = getattr(record, "title", None) or getattr(record, "titles", None) or ""
    if isinstance(title, dict):
        return title.get(current_language()) or next(iter(title.values()), "")
    number = getattr(record, "number", None)
    return f"{number} {title}" if number and kind == "decision" else str(title)


def _public_stage(kind: str, record: Any) -> bool:
    """Whether the record is at the stage where the public may read it, beside its marking."""
    if kind == "session":
        return bool(getattr(record, "public", True))
    if kind == "decision":
        return (
            getattr(record, "status", None) == "adopted" or getattr(record, "adopted", None) is True
        )
    if kind == "document":
        return getattr(record, "status", None) == "in_force"
    # The public site shows no incidents, exercises or crises, whatever their marking.
    return kind not in ("incident", "exercise", "crisis")


def _is_public(kind: str, record: Any) -> bool:
    released = getattr(record, "releasable_to", None) or []
    return (
        Classification.parse(record.classification) == Classification.PUBLIC
        and EVERYONE in released
        and _public_stage(kind, record)
    )


async def _fetch(session: AsyncSession, viewer: Viewer, kind: str, ident: uuid.UUID) -> Any:
    getter = _getter(kind)
    if getter is None:
        return None
    try:
        record = await getter(session, viewer, ident)
    except NotFound:
        return None
    if kind == "exercise" and getattr(record, "mode", None) != "exercise":
        return None
    return record


def _url(kind: str, record: Any) -> str:
    return URLS[kind].format(id=record.id, year=getattr(record, "year", ""))


async def resolve(
    session: AsyncSession, viewer: Viewer, kind: str, ident: uuid.UUID
) -> LinkedRecord | None:
    """The record ``(kind, ident)`` if ``viewer`` may see it, else None (absent or hidden)."""
    if kind not in SOURCES:
        return None
    record = await _fetch(session, viewer, kind, ident)
    if record is None:
        return None
    return LinkedRecord(
        kind=kind,
        id=ident,
        title=_title(kind, record),
        classification=Classification.parse(record.classification),
        url=_url(kind, record),
        public=_is_public(kind, record),
    )


async def resolve_public(session: AsyncSession, kind: str, ident: uuid.UUID) -> LinkedRecord | None:
    """The record if the public may read it: PUBLIC, released to all, adopted or in force."""
    found = await resolve(session, PUBLIC_VIEWER, kind, ident)
    return found if found is not None and found.public else None


async def visible_links(
    session: AsyncSession, viewer: Viewer | None, links: list[dict[str, Any]]
) -> list[LinkedRecord]:
    """The links of a record that ``viewer`` may follow (the public when None), in order."""
    shown = []
    for link in links:
        ident = uuid.UUID(str(link["id"]))
        if viewer is None:
            found = await resolve_public(session, link["kind"], ident)
        else:
            found = await resolve(session, viewer, link["kind"], ident)
        if found is not None:
            shown.append(found)
    return shown
