"""CAP alerts in and out: the entry points the API, the pages and the command line call.

How imported alerts become incidents is described in ``importing``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from babel import Locale
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer
from accord.db import Database
from accord.errors import AccordError, Conflict
from accord.incidents import repository as incidents_repository
from accord.incidents import service as incidents
from accord.incidents.repository import IncidentFilter
from accord.incidents.schemas import IncidentRead
from accord.interop.cap.importing import AlertImport, ImportOutcome, ImportResult
from accord.interop.cap.parse import ParsedAlert, parse_alert
from accord.interop.cap.render import render_alert, render_feed
from accord.members import repository as members

FEED_SIZE = 100


async def import_alert(
    session: AsyncSession, viewer: Viewer, xml: bytes, *, language: str | None = None
) -> ImportResult:
    """Import one CAP 1.2 document as ``viewer``; refusals raise and store nothing."""
    alert = parse_alert(xml, language=language)
    batch = AlertImport(session, viewer)
    await batch.preload([alert])
    outcome = ImportOutcome("alert")
    await batch.take(alert, outcome)
    await batch.finish()
    if outcome.result is None:
        assert outcome.error is not None
        raise outcome.error
    return outcome.result


async def import_alerts(
    session: AsyncSession,
    viewer: Viewer,
    documents: Iterable[tuple[str, bytes]],
    *,
    language: str | None = None,
) -> list[ImportOutcome]:
    """Import named documents in one transaction; each is stored or refused on its own.

    The outcomes follow the order of ``documents``.
    """
    outcomes: list[ImportOutcome] = []
    parsed: list[tuple[ImportOutcome, ParsedAlert]] = []
    for name, data in documents:
        outcome = ImportOutcome(name)
        outcomes.append(outcome)
        try:
            parsed.append((outcome, parse_alert(data, language=language)))
        except AccordError as error:
            outcome.error = error
    batch = AlertImport(session, viewer)
    await batch.preload([alert for _outcome, alert in parsed])
    # New alerts first, then updates and cancels in the order they were sent: an update finds
    # its alert wherever it stands in the batch, and the new incidents are written in one go.
    for outcome, alert in sorted(
        parsed, key=lambda item: (item[1].msg_type != "Alert", item[1].sent)
    ):
        try:
            await batch.take(alert, outcome)
        except AccordError as error:
            outcome.error = error
    await batch.finish()
    return outcomes


async def import_in_transactions(
    db: Database,
    viewer: Viewer,
    documents: Sequence[tuple[str, bytes]],
    *,
    language: str | None = None,
) -> list[ImportOutcome]:
    """Import ``documents`` in one transaction; if another import collides, one by one."""
    try:
        async with db.transaction() as session:
            return await import_alerts(session, viewer, documents, language=language)
    except Conflict:
        return [await _import_one(db, viewer, document, language) for document in documents]


async def _import_one(
    db: Database, viewer: Viewer, document: tuple[str, bytes], language: str | None
) -> ImportOutcome:
    try:
        async with db.transaction() as session:
            return (await import_alerts(session, viewer, [document], language=language))[0]
    except Conflict as error:
        return ImportOutcome(document[0], error=error)


async def alert_sender(session: AsyncSession) -> str:
    """``accord@<organisation abbreviation>``: the sender of every alert Accord writes."""
    organisation = await members.get_organisation(session)
    abbreviation = (organisation.abbreviations.get("en") if organisation else None) or "accord"
    return f"accord@{abbreviation.lower()}"


async def export_alert(session: AsyncSession, viewer: Viewer, incident_id: uuid.UUID) -> bytes:
    """The CAP 1.2 alert of an incident the viewer may see (404 otherwise)."""
    incident = await incidents.get_incident(session, viewer, incident_id)
    return await alert_of(session, incidents.incident_read(incident))


async def alert_of(session: AsyncSession, incident: IncidentRead) -> bytes:
    country_name = None
    if incident.country:
        state = await members.get_state(session, incident.country)
        country_name = _country_name(state.alpha2) if state else None
    return render_alert(incident, sender=await alert_sender(session), country_name=country_name)


def _country_name(alpha2: str) -> str | None:
    return Locale("en").territories.get(alpha2)


async def alert_feed(session: AsyncSession, viewer: Viewer, *, base_url: str) -> bytes:
    """An Atom feed of the newest alerts the viewer may see."""
    rows, _cursor = await incidents_repository.list_incidents(
        session, viewer, IncidentFilter(), limit=FEED_SIZE
    )
    shown = [incidents.incident_read(row) for row in rows]
    return render_feed(shown, sender=await alert_sender(session), base_url=base_url)
