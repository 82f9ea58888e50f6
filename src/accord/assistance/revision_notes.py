"""A request's revisions in words: what an offering state reads under "what changed"."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from babel.dates import format_datetime

from accord import i18n
from accord.i18n import _
from accord.models.need_line import NeedLine
from accord.models.request_revision import RequestRevision


@dataclass
class Note:
    """One change of one revision: a heading, what it is about, and each value before → after."""

    revision: int
    at: datetime
    actor: str
    what: str
    subject: str = ""
    details: list[tuple[str, str, str]] = field(default_factory=list)


def _when(value: Any) -> str:
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return format_datetime(
        moment, "yyyy-MM-dd HH:mm 'UTC'", tzinfo=UTC, locale=i18n.current_locale()
    )


def _position(longitude: Any, latitude: Any) -> str:
    return "—" if longitude is None or latitude is None else f"{latitude}, {longitude}"


def _line_details(diff: dict[str, list]) -> list[tuple[str, str, str]]:
    details = []
    if "quantity" in diff:
        details.append((_("quantity"), str(diff["quantity"][0]), str(diff["quantity"][1])))
    if "place" in diff:
        details.append((_("place"), diff["place"][0], diff["place"][1]))
    if "longitude" in diff or "latitude" in diff:
        longitude = diff.get("longitude")
        latitude = diff.get("latitude")
        before = _position(longitude[0] if longitude else None, latitude[0] if latitude else None)
        after = _position(longitude[1] if longitude else None, latitude[1] if latitude else None)
        details.append((_("position"), before, after))
    if "needed_by" in diff:
        details.append((_("needed by"), _when(diff["needed_by"][0]), _when(diff["needed_by"][1])))
    return details


def _line_subject(line: dict[str, Any] | NeedLine | None, names: dict[str, str]) -> str:
    if line is None:
        return ""
    if isinstance(line, NeedLine):
        line = {"capability": line.capability_code, "quantity": line.quantity, "place": line.place}
    name = names.get(line["capability"], line["capability"])
    return f"{name} × {line['quantity']} · {line['place']}"


FIELD_NAMES = {
    "title": lambda: _("Title"),
    "description": lambda: _("Description"),
    "contact": lambda: _("Contact"),
    "status": lambda: _("Status"),
    "classification": lambda: _("Classification"),
    "releasable_to": lambda: _("Releasable to"),
}


def _note(base: dict[str, Any], change: dict, lines: dict[str, NeedLine], names) -> Note | None:
    kind = change.get("field")
    line = lines.get(str(change.get("line")))
    if kind == "need_line_added":
        added = change.get("to") or {}
        details = [(_("needed by"), "", _when(added.get("needed_by")))]
        return Note(
            **base, what=_("Need added"), subject=_line_subject(added, names), details=details
        )
    if kind == "need_line_changed":
        diff = change.get("changes") or {}
        subject = _line_subject(line, names)
        return Note(**base, what=_("Need changed"), subject=subject, details=_line_details(diff))
    if kind == "need_line_cancelled":
        return Note(**base, what=_("Need cancelled"), subject=_line_subject(line, names))
    if kind == "expires_at":
        details = [(_("lapses on"), _when(change.get("from")), _when(change.get("to")))]
        return Note(**base, what=_("Renewed"), details=details)
    if kind in FIELD_NAMES:
        before, after = change.get("from"), change.get("to")
        if isinstance(before, list) or isinstance(after, list):
            before, after = ", ".join(before or []), ", ".join(after or [])
        return Note(**base, what=FIELD_NAMES[kind](), details=[("", str(before), str(after))])
    return None


def describe(
    revisions: list[RequestRevision], lines: list[NeedLine], names: dict[str, str]
) -> list[Note]:
    """Each change of ``revisions`` as a note a person reads, oldest first."""
    by_id = {str(line.id): line for line in lines}
    notes = []
    for revision in revisions:
        base = {"revision": revision.revision, "at": revision.at, "actor": revision.actor}
        for change in revision.changes or []:
            note = _note(base, change, by_id, names)
            if note is not None:
                notes.append(note)
    return notes
