"""The requester's edit form: the open need lines as rows to change, blank rows to add lines.

Kept lines are rows ``line_<n>``; new lines are rows ``new_<n>``. The form's rows become one
``RequestChange`` whose need lines replace the open ones (a ticked "cancel" drops a line).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from starlette.datastructures import FormData

from accord.assistance.forms import instant, text, version
from accord.assistance.schemas import RequestChange
from accord.models.assistance_request import AssistanceRequest
from accord.models.need_line import NeedLine
from accord.web.forms import parse_form

NEW_ROWS = 2
MAX_LINES = 100  # as many as a request holds
ROW_FIELDS = ("quantity", "place", "latitude", "longitude", "needed_by")


def minute(value: datetime) -> str:
    """A stored instant as a datetime-local field shows it (UTC, to the minute)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


def _number(value: str) -> str | None:
    return value.replace(",", ".") if value else None


def coordinate(value: float | None) -> str:
    """A stored coordinate as the form shows it: at most six decimals (about 10 cm)."""
    return "" if value is None else f"{value:.6f}".rstrip("0").rstrip(".")


def _kept_coordinate(typed: str, stored: float | None) -> str | float | None:
    """The stored value when the field still shows it, so an untouched line stays unchanged."""
    return stored if typed == coordinate(stored) and stored is not None else _number(typed)


@dataclass
class EditForm:
    """What the form shows: the request's fields, its line rows and its blank rows."""

    version: int
    title: str
    description: str
    contact: str
    lines: list[dict[str, Any]]
    new: list[dict[str, str]] = field(default_factory=list)
    # The form row each position of ``need_lines`` came from, to point at a refused field.
    sources: list[str] = field(default_factory=list)

    def invalid(self, error_field: str) -> str:
        """The name of the input an error's dotted field points at, or ''."""
        parts = error_field.split(".")
        if len(parts) < 3 or parts[0] != "need_lines" or not parts[1].isdigit():
            return error_field
        index = int(parts[1])
        if index >= len(self.sources):
            return ""
        return f"{self.sources[index]}_{parts[2]}"


def blank_form(request: AssistanceRequest, lines: list[NeedLine]) -> EditForm:
    """The form as the request stands."""
    rows = [
        {
            "id": str(line.id),
            "capability": line.capability_code,
            "quantity": str(line.quantity),
            "place": line.place,
            "latitude": coordinate(line.latitude),
            "longitude": coordinate(line.longitude),
            "needed_by": minute(line.needed_by),
            "cancel": False,
        }
        for line in lines
        if line.status == "open"
    ]
    return EditForm(
        version=request.version,
        title=request.title,
        description=request.description,
        contact=request.contact,
        lines=rows,
        new=[{"capability": ""} | dict.fromkeys(ROW_FIELDS, "") for _row in range(NEW_ROWS)],
    )


def posted_form(form: FormData, lines: list[NeedLine]) -> EditForm:
    """What was posted: read into a change, and shown again as typed after a refusal."""
    capabilities = {str(line.id): line.capability_code for line in lines}
    rows = []
    for index in range(MAX_LINES):
        ident = text(form, f"line_{index}_id")
        if not ident:
            break
        row: dict[str, Any] = {name: text(form, f"line_{index}_{name}") for name in ROW_FIELDS}
        row.update(
            id=ident,
            capability=capabilities.get(ident, ""),
            cancel=bool(text(form, f"line_{index}_cancel")),
        )
        rows.append(row)
    new = [
        {name: text(form, f"new_{index}_{name}") for name in ("capability", *ROW_FIELDS)}
        for index in range(NEW_ROWS)
    ]
    return EditForm(
        version=version(form),
        title=text(form, "title"),
        description=text(form, "description"),
        contact=text(form, "contact"),
        lines=rows,
        new=new,
    )


def _line_values(row: dict[str, Any], kept: NeedLine | None) -> dict[str, Any]:
    needed_by: str | None = row["needed_by"]
    if kept is not None and needed_by == minute(kept.needed_by):
        needed_by = kept.needed_by.isoformat()  # untouched: keep the stored instant exactly
    else:
        needed_by = instant(needed_by or "")
    values = {
        "capability": row["capability"],
        "quantity": row["quantity"] or None,
        "place": row["place"],
        "latitude": _kept_coordinate(row["latitude"], kept.latitude if kept else None),
        "longitude": _kept_coordinate(row["longitude"], kept.longitude if kept else None),
        "needed_by": needed_by,
    }
    if row.get("id"):
        values["id"] = row["id"]
    return values


def change_from_form(shown: EditForm, lines: list[NeedLine]) -> RequestChange:
    """The change the posted form asks for; InvalidInput names the field at fault."""
    stored = {str(line.id): line for line in lines}
    given: list[dict[str, Any]] = []
    shown.sources = []
    for index, row in enumerate(shown.lines):
        if not row["cancel"]:
            given.append(_line_values(row, stored.get(row["id"])))
            shown.sources.append(f"line_{index}")
    for index, row in enumerate(shown.new):
        if row["capability"]:
            given.append(_line_values(row, None))
            shown.sources.append(f"new_{index}")
    values = {
        "version": shown.version,
        "title": shown.title,
        "description": shown.description,
        "contact": shown.contact,
        "need_lines": given,
    }
    return parse_form(RequestChange, values)
