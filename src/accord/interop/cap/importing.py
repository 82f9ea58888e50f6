"""Importing CAP alerts: one viewer's alerts in one transaction, through the incidents service.

An imported alert is stored as a ``CapAlert`` (the original XML, its key and references) beside
the incident it created or changed:

- Owner and default markings come from the importer's state; Accord's ``classification`` and
  ``releasable_to`` parameters override them, never above the importer's clearance.
- The same alert (sender, identifier, sent) imported again changes nothing.
- An Update or Cancel applies to the incident of the newest alert it references that the
  importer's state owns and may change: an Update rewrites the fields it states (area only
  through Accord's ``area`` parameter), a Cancel closes the incident. Both leave a timeline entry.
- Referenced alerts that are not found are recorded as unresolved; an Update or Cancel that
  resolves none is stored as an incident of its own (a Cancel's closed at once).
- When an alert arrives that stored alerts of the same state were waiting for, it joins the
  incident of the newest of them (which already holds the newer word), with a timeline entry;
  other incidents that waited for it are linked to that one as duplicates.
- Within one batch, new alerts are taken first, then updates and cancels in the order they were
  sent, so that an update finds its alert wherever it stands in the batch. The incidents of new
  alerts are reported together, a few statements for many alerts.
- Unresolved references are kept twice: as a list on the stored alert, and as rows of
  ``CapReference`` by the key they name, so that an arriving alert finds what waits for it.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from accord.access import EVERYONE, SECRETARIAT, Viewer, can_change, can_see
from accord.clock import utcnow
from accord.errors import AccordError, Conflict, Forbidden, InvalidInput, field_path
from accord.i18n import _
from accord.incidents import service as incidents
from accord.incidents.schemas import IncidentChange, IncidentCreate
from accord.interop.cap.parse import ParsedAlert, Reference
from accord.members import repository as members
from accord.models import CapAlert, CapReference, Incident

ALERT_COLUMNS = (
    "id",
    "sender",
    "identifier",
    "sent",
    "msg_type",
    "status",
    "references",
    "unresolved_references",
    "incident_id",
    "received_at",
    "imported_by",
    "xml",
)
CAP_FIELDS = {
    "location": "info.area",
    "classification": "info.parameter.classification",
    "releasable_to": "info.parameter.releasable_to",
}


@dataclass
class ImportResult:
    """What importing one alert did: the incident, and whether it was new or changed."""

    incident: Incident
    created: bool
    updated: bool
    alert: CapAlert

    @property
    def outcome(self) -> str:
        if self.created:
            return "created"
        return "updated" if self.updated else "already_imported"


@dataclass
class ImportOutcome:
    """One document of a batch: its result, or why it was refused."""

    name: str
    result: ImportResult | None = None
    error: AccordError | None = None

    @property
    def outcome(self) -> str:
        return self.result.outcome if self.result else "refused"


@dataclass
class QueuedReport:
    """A new alert whose incident is reported with the next ones."""

    outcome: ImportOutcome
    alert: ParsedAlert
    data: IncidentCreate
    unresolved: list[Reference]


def _reference_row(cap: CapAlert, reference: Reference) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "alert_id": cap.id,
        "sender": reference.sender,
        "identifier": reference.identifier,
        "sent": reference.sent,
    }


def _names(reference: Reference, alert: CapAlert | Reference) -> bool:
    """Whether ``reference`` names ``alert`` (a reference without a readable sent names any)."""
    return (
        reference.sender == alert.sender
        and reference.identifier == alert.identifier
        and (reference.sent is None or reference.sent == alert.sent)
    )


def _cap_error(error: AccordError) -> AccordError:
    """Name the CAP element behind an incident field the incidents service refused."""
    head = (error.field or "").split(".")[0]
    if head in CAP_FIELDS:
        error.field = CAP_FIELDS[head]
    return error


def _invalid(error: ValidationError) -> InvalidInput:
    first = error.errors()[0]
    name = field_path(first.get("loc", ()))
    cap_name = CAP_FIELDS.get(name.split(".")[0], name)
    message = first.get("msg", "invalid value").removeprefix("Value error, ")
    return InvalidInput(f"{cap_name}: {message}", field=cap_name)


class AlertImport:
    """Alerts imported by one viewer in one transaction, looked up together."""

    def __init__(self, session: AsyncSession, viewer: Viewer) -> None:
        self.session = session
        self.viewer = viewer
        self.stored: dict[tuple[str, str], list[tuple[CapAlert, Incident]]] = {}
        self.waiting: list[tuple[CapAlert, Incident]] = []
        self.states: dict[str, Any] | None = None
        self.pending: list[CapAlert] = []
        self.queued: dict[Reference, QueuedReport] = {}

    # Loading what the batch refers to

    async def preload(self, alerts: Sequence[ParsedAlert]) -> None:
        keys = [alert.key for alert in alerts]
        if keys:
            await self._load_stored(keys + [r for alert in alerts for r in alert.references])
            await self._load_waiting(keys)

    async def _load_stored(self, keys: list[Reference]) -> None:
        query = (
            select(CapAlert, Incident)
            .join(Incident, CapAlert.incident_id == Incident.id)
            .where(
                CapAlert.sender.in_({key.sender for key in keys}),
                CapAlert.identifier.in_({key.identifier for key in keys}),
            )
            .options(defer(CapAlert.xml))
        )
        for cap, incident in (await self.session.execute(query)).all():
            self._remember(cap, incident)

    async def _load_waiting(self, keys: list[Reference]) -> None:
        # From the references' index outwards: started from the state's incidents, the plan
        # would read all of them.
        query = (
            select(CapAlert, Incident)
            .select_from(CapReference)
            .join(CapAlert, CapAlert.id == CapReference.alert_id)
            .join(Incident, CapAlert.incident_id == Incident.id)
            .where(
                CapReference.sender.in_({key.sender for key in keys}),
                CapReference.identifier.in_({key.identifier for key in keys}),
                Incident.owner == self.viewer.state,
            )
            .options(defer(CapAlert.xml))
        )
        rows = (await self.session.execute(query)).all()
        self.waiting = list({cap.id: (cap, incident) for cap, incident in rows}.values())

    def _remember(self, cap: CapAlert, incident: Incident) -> None:
        self.stored.setdefault((cap.sender, cap.identifier), []).append((cap, incident))

    def _find(self, reference: Reference) -> tuple[CapAlert, Incident] | None:
        matches = [
            (cap, incident)
            for cap, incident in self.stored.get((reference.sender, reference.identifier), [])
            if _names(reference, cap)
        ]
        return max(matches, key=lambda match: match[0].sent) if matches else None

    def _changeable(self, incident: Incident) -> bool:
        return can_change(self.viewer, incident, incidents.REPORTING_ROLES)

    async def finish(self) -> None:
        """Write what the batch holds; the alerts after their incidents, which they point at."""
        await self.report_queued()
        await flush_or_conflict(self.session)
        if self.pending:
            rows = [{name: getattr(cap, name) for name in ALERT_COLUMNS} for cap in self.pending]
            references = [
                _reference_row(cap, Reference.from_list(item))
                for cap in self.pending
                for item in cap.unresolved_references
            ]
            self.pending = []
            # One bulk statement: the ORM's per-object bookkeeping is not needed for these rows.
            await flush_or_conflict(self.session, insert(CapAlert), rows)
            if references:
                await self.session.execute(insert(CapReference), references)

    # Taking one alert

    async def take(self, alert: ParsedAlert, outcome: ImportOutcome) -> None:
        """Store ``alert``: a new incident, a change to an earlier one, or nothing (a repeat).

        Refusals raise. A new incident from an Alert is reported with the next ones, together:
        its ``outcome`` gets its result, or why it was refused, when they are.
        """
        if not self.viewer.has_role(*incidents.REPORTING_ROLES):
            raise Forbidden(_("importing CAP alerts needs the duty officer or analyst role"))
        if alert.msg_type != "Alert" or alert.key in self.queued:
            await self.report_queued()
        repeat = self._find(alert.key)
        if repeat is not None:
            outcome.result = self._repeat(*repeat)
            return
        _check_sent(alert.sent)
        targets, unresolved = self._targets(alert)
        waiting = self._waiting_for(alert)
        if waiting:
            await self.report_queued()
            incident = await self._join(alert, waiting)
        elif targets:
            incident = max(targets, key=lambda match: match[0].sent)[1]
            await self._apply(alert, incident)
        else:
            data = await self._report(alert)
            self.queued[alert.key] = QueuedReport(outcome, alert, data, unresolved)
            if alert.msg_type != "Alert":  # later updates may refer to it or wait for it
                await self.report_queued()
            return
        cap = self._store(alert, incident, unresolved)
        outcome.result = ImportResult(incident, created=False, updated=True, alert=cap)

    async def report_queued(self) -> None:
        """Report the new incidents of the queued alerts, together, and store the alerts."""
        queued, self.queued = list(self.queued.values()), {}
        if not queued:
            return
        with self.session.no_autoflush:
            reported = await incidents.report_incidents(
                self.session,
                self.viewer,
                [item.data for item in queued],
                extras=[{"translations": item.alert.translations} for item in queued],
            )
        for item, incident in zip(queued, reported, strict=True):
            if isinstance(incident, AccordError):
                item.outcome.error = _cap_error(incident)
                continue
            cap = self._store(item.alert, incident, item.unresolved)
            item.outcome.result = ImportResult(incident, created=True, updated=False, alert=cap)

    def _repeat(self, cap: CapAlert, incident: Incident) -> ImportResult:
        if not can_see(self.viewer, incident):
            raise Conflict(
                _(
                    "alert: this alert (sender, identifier, sent) was already imported by "
                    "another state"
                ),
                field="alert",
            )
        return ImportResult(incident, created=False, updated=False, alert=cap)

    def _targets(
        self, alert: ParsedAlert
    ) -> tuple[list[tuple[CapAlert, Incident]], list[Reference]]:
        if alert.msg_type not in ("Update", "Cancel"):
            return [], []
        targets, unresolved = [], []
        for reference in alert.references:
            found = self._find(reference)
            if found is not None and self._changeable(found[1]):
                targets.append(found)
            else:
                unresolved.append(reference)
        return targets, unresolved

    def _waiting_for(self, alert: ParsedAlert) -> list[tuple[CapAlert, Incident]]:
        return [
            (cap, incident)
            for cap, incident in self.waiting
            if self._changeable(incident)
            and any(
                _names(Reference.from_list(item), alert.key) for item in cap.unresolved_references
            )
        ]

    def _store(
        self, alert: ParsedAlert, incident: Incident, unresolved: list[Reference]
    ) -> CapAlert:
        cap = CapAlert(
            id=uuid.uuid4(),
            sender=alert.sender,
            identifier=alert.identifier,
            sent=alert.sent,
            msg_type=alert.msg_type,
            status=alert.status,
            references=[reference.as_list() for reference in alert.references],
            unresolved_references=[reference.as_list() for reference in unresolved],
            incident_id=incident.id,
            received_at=utcnow(),
            imported_by=self.viewer.username,
            xml=alert.xml,
        )
        self.pending.append(cap)
        self._remember(cap, incident)
        if unresolved:
            self.waiting.append((cap, incident))
        return cap

    # The three ways an alert lands

    async def _state_codes(self) -> set[str]:
        if self.states is None:  # only alerts naming a country or states need them
            self.states = {state.code: state for state in await members.list_states(self.session)}
        return set(self.states)

    async def _country(self, alert: ParsedAlert) -> str | None:
        if alert.country is None:
            return None
        return alert.country if alert.country in await self._state_codes() else None

    async def _report(self, alert: ParsedAlert) -> IncidentCreate:
        try:
            return IncidentCreate(
                area=alert.area,
                title=alert.title,
                description=alert.description,
                occurred_at=occurred_at(alert),
                severity=alert.severity,
                urgency=alert.urgency,
                certainty=alert.certainty,
                location=alert.location,
                country=await self._country(alert),
                status="closed" if alert.msg_type == "Cancel" else "reported",
                mode=alert.mode,
                source=f"CAP {alert.sender}"[:200],
                language=alert.language,
                classification=alert.classification,
                releasable_to=alert.releasable_to,
            )
        except ValidationError as error:
            raise _invalid(error) from None

    async def _check_markings(self, alert: ParsedAlert) -> None:
        # Checked before the incident is touched, so that a refusal leaves it as it was.
        if alert.classification is not None and alert.classification > self.viewer.clearance:
            raise InvalidInput(
                _("info.parameter.classification: above your own clearance"),
                field="info.parameter.classification",
            )
        known = await self._state_codes() | {EVERYONE, SECRETARIAT}
        for code in alert.releasable_to or []:
            if code not in known:
                raise InvalidInput(
                    _(
                        "info.parameter.releasable_to: {code} is not a member state, ORG or ALL"
                    ).format(code=code),
                    field="info.parameter.releasable_to",
                )

    async def _changes(self, alert: ParsedAlert, incident: Incident) -> dict[str, Any]:
        if alert.msg_type == "Cancel":
            moves = incidents.STATUS_MOVES.get(incident.status, set())
            return {"status": "closed"} if "closed" in moves else {}
        values: dict[str, Any] = {"mode": alert.mode}
        if alert.has_info:
            values.update(
                title=alert.title,
                description=alert.description,
                severity=alert.severity,
                urgency=alert.urgency,
                certainty=alert.certainty,
            )
        if alert.area_given:
            values["area"] = alert.area
        if alert.location is not None:
            values["location"] = alert.location
        country = await self._country(alert)
        if country:
            values["country"] = country
        if alert.onset is not None and alert.onset <= utcnow() + incidents.FUTURE_TOLERANCE:
            values["occurred_at"] = alert.onset
        for name in ("classification", "releasable_to"):
            if getattr(alert, name) is not None:
                values[name] = getattr(alert, name)
        return values

    async def _apply(self, alert: ParsedAlert, incident: Incident) -> None:
        await self._check_markings(alert)
        await self.session.flush()
        values = await self._changes(alert, incident)
        comment = _("CAP {kind} {identifier} from {sender}, sent {sent}").format(
            kind=alert.msg_type, identifier=alert.identifier, sender=alert.sender, sent=alert.sent
        )
        try:
            change = IncidentChange(version=incident.version, comment=comment, **values)
        except ValidationError as error:
            raise _invalid(error) from None
        if alert.has_info and alert.msg_type == "Update":
            incident.language = alert.language
            incident.translations = alert.translations
        # change_incident flushes once: the translations go with its update, in one version.
        with self.session.no_autoflush:
            await incidents.change_incident(self.session, self.viewer, incident.id, change)

    async def _join(self, alert: ParsedAlert, waiting: list[tuple[CapAlert, Incident]]) -> Incident:
        newest_cap, thread = max(waiting, key=lambda match: match[0].sent)
        await self.session.flush()
        for cap, incident in waiting:
            cap.unresolved_references = [
                item
                for item in cap.unresolved_references
                if not _names(Reference.from_list(item), alert.key)
            ]
            if incident.id != thread.id and incident.duplicate_of is None:
                await self._link(incident, thread)
        await self.session.execute(
            delete(CapReference)
            .where(
                CapReference.alert_id.in_([cap.id for cap, _incident in waiting]),
                CapReference.sender == alert.sender,
                CapReference.identifier == alert.identifier,
                or_(CapReference.sent.is_(None), CapReference.sent == alert.sent),
            )
            .execution_options(synchronize_session=False)
        )
        await incidents.comment_on(
            self.session,
            self.viewer,
            thread.id,
            _(
                "CAP {kind} {identifier} from {sender}, sent {sent}, arrived after {later}, "
                "which refers to it; it is kept with this incident"
            ).format(
                kind=alert.msg_type,
                identifier=alert.identifier,
                sender=alert.sender,
                sent=alert.sent,
                later=newest_cap.identifier,
            ),
        )
        return thread

    async def _link(self, incident: Incident, thread: Incident) -> None:
        # Already linked the other way round: the two stay as they are.
        with contextlib.suppress(InvalidInput):
            await incidents.link_duplicate(
                self.session, self.viewer, incident.id, thread.id, incident.version
            )


def _check_sent(sent: datetime) -> None:
    if sent > utcnow() + incidents.FUTURE_TOLERANCE:
        raise InvalidInput(_("sent: the alert is dated in the future"), field="sent")


def occurred_at(alert: ParsedAlert) -> datetime:
    """Onset (or effective), unless it lies ahead — forecasts — then the time it was sent."""
    if alert.onset is not None and alert.onset <= utcnow() + incidents.FUTURE_TOLERANCE:
        return alert.onset
    return alert.sent


async def flush_or_conflict(session: AsyncSession, *statement: Any) -> None:
    try:
        if statement:
            await session.execute(*statement)
        else:
            await session.flush()
    except IntegrityError:
        raise Conflict(
            _("alert: the same alert is being imported at this moment; try again"), field="alert"
        ) from None
