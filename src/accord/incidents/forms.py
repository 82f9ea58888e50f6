"""The report and edit forms: raw form values to schemas and back, errors naming the field."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from starlette.datastructures import FormData

from accord.access import Classification, Viewer
from accord.clock import utcnow
from accord.errors import InvalidInput
from accord.i18n import _
from accord.incidents.schemas import IncidentChange, IncidentCreate
from accord.models import Incident, MemberState
from accord.web.forms import parse_form

TEXT_FIELDS = (
    "area",
    "title",
    "description",
    "occurred_at",
    "severity",
    "urgency",
    "certainty",
    "status",
    "mode",
    "country",
    "classification",
    "source",
    "language",
    "latitude",
    "longitude",
    "polygon",
    "comment",
    "version",
)
# What the edit form changes; status moves have their own buttons.
EDIT_FIELDS = (
    "area",
    "title",
    "description",
    "occurred_at",
    "severity",
    "urgency",
    "certainty",
    "mode",
    "country",
    "classification",
    "source",
)
MAX_FIELD = 20_000


def submitted(form: FormData) -> dict[str, Any]:
    """The form's values as strings (and the releasability list), ready to show again."""
    values: dict[str, Any] = {
        name: str(form.get(name) or "")[:MAX_FIELD].strip() for name in TEXT_FIELDS
    }
    values["description"] = str(form.get("description") or "")[:MAX_FIELD]
    values["releasable_to"] = [str(code) for code in form.getlist("releasable_to")][:50]
    return values


def local_value(moment: datetime) -> str:
    """A UTC time as a datetime-local input shows it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


def utc_time(value: str, field: str = "occurred_at") -> datetime:
    """A datetime-local value, read as UTC."""
    if not value:
        raise InvalidInput(_("{field}: give the date and time").format(field=field), field=field)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            _("{field}: not a date and time like 2024-05-01T08:00").format(field=field),
            field=field,
        ) from None
    return parsed.replace(tzinfo=UTC) if parsed.utcoffset() is None else parsed.astimezone(UTC)


def _number(value: str, field: str) -> float:
    try:
        return float(value.replace(",", "."))
    except ValueError:
        raise InvalidInput(
            _("{field}: {value!r} is not a number").format(field=field, value=value), field=field
        ) from None


def location(values: dict[str, Any]) -> dict[str, Any] | None:
    """The geometry the form gives: the polygon when one is pasted, else the point, else none."""
    if values["polygon"]:
        try:
            geometry = json.loads(values["polygon"])
        except ValueError:
            raise InvalidInput(
                _("polygon: not valid GeoJSON (paste a geometry of type Polygon)"), field="polygon"
            ) from None
        if isinstance(geometry, dict) and geometry.get("type") == "Feature":
            geometry = geometry.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") != "Polygon":
            raise InvalidInput(
                _("polygon: give a GeoJSON geometry of type Polygon"), field="polygon"
            )
        return geometry
    latitude, longitude = values["latitude"], values["longitude"]
    if not latitude and not longitude:
        return None
    if not latitude or not longitude:
        missing = "latitude" if not latitude else "longitude"
        raise InvalidInput(
            _("{field}: give both latitude and longitude, or neither").format(field=missing),
            field=missing,
        )
    return {
        "type": "Point",
        "coordinates": [_number(longitude, "longitude"), _number(latitude, "latitude")],
    }


def _markings(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "classification": values["classification"] or None,
        "releasable_to": sorted(set(values["releasable_to"])),
    }


def create_from_form(values: dict[str, Any]) -> IncidentCreate:
    """A validated new report from the form; InvalidInput names the field at fault."""
    data = {
        name: values[name]
        for name in ("area", "title", "description", "severity", "urgency", "certainty")
    }
    data.update(
        status=values["status"] or "reported",
        mode=values["mode"] or "actual",
        source=values["source"],
        language=values["language"] or "en",
        country=values["country"] or None,
        occurred_at=utc_time(values["occurred_at"]),
        location=location(values),
        **_markings(values),
    )
    return _validated(IncidentCreate, data, values)


def _validated(schema, data: dict[str, Any], values: dict[str, Any]):
    """Validate; an error in the geometry names the input the person typed it in."""
    try:
        return parse_form(schema, data)
    except InvalidInput as error:
        if error.field and error.field.startswith("location"):
            error.field = _location_input(values, error.message)
        raise


def edit_values(incident: Incident) -> dict[str, Any]:
    """The edit form's values for an incident as it is stored."""
    geometry = incident.location or {}
    point = geometry.get("coordinates") if geometry.get("type") == "Point" else None
    return {
        "area": incident.area,
        "title": incident.title,
        "description": incident.description,
        "occurred_at": local_value(incident.occurred_at),
        "severity": incident.severity,
        "urgency": incident.urgency,
        "certainty": incident.certainty,
        "status": incident.status,
        "mode": incident.mode,
        "country": incident.country or "",
        "classification": Classification.parse(incident.classification).name,
        "source": incident.source,
        "language": incident.language,
        "latitude": repr(point[1]) if point else "",
        "longitude": repr(point[0]) if point else "",
        "polygon": json.dumps(geometry) if geometry.get("type") == "Polygon" else "",
        "releasable_to": sorted(incident.releasable_to),
        "comment": "",
        "version": str(incident.version),
    }


def form_version(values: dict[str, Any]) -> int:
    if not values["version"].isdigit():
        raise InvalidInput(_("version: reload the page and try again"), field="version")
    return int(values["version"])


def change_from_form(values: dict[str, Any], incident: Incident) -> IncidentChange:
    """The fields the person actually changed, against the version they saw."""
    current = edit_values(incident)
    data: dict[str, Any] = {"version": form_version(values), "comment": values["comment"]}
    for name in EDIT_FIELDS:
        if values[name] != current[name]:
            data[name] = values[name]
    if "occurred_at" in data:
        data["occurred_at"] = utc_time(data["occurred_at"])
    if "country" in data:
        data["country"] = data["country"] or None
    if "classification" in data and not data["classification"]:
        del data["classification"]
    if sorted(set(values["releasable_to"])) != current["releasable_to"]:
        data["releasable_to"] = sorted(set(values["releasable_to"]))
    if any(values[name] != current[name] for name in ("latitude", "longitude", "polygon")):
        data["location"] = location(values)
    return _validated(IncidentChange, data, values)


def _location_input(values: dict[str, Any], message: str) -> str:
    if values["polygon"]:
        return "polygon"
    return "longitude" if "longitude" in message and "latitude" not in message else "latitude"


def status_change(version: str, status: str) -> IncidentChange:
    return parse_form(
        IncidentChange, {"version": form_version({"version": version}), "status": status}
    )


def report_defaults(viewer: Viewer, state: MemberState | None, language: str) -> dict[str, Any]:
    """A blank report: now, unknown scales, the state's default markings capped at clearance."""
    level = Classification.RESTRICTED
    releasable = ["ALL"]
    if state is not None:
        level = Classification.parse(state.default_classification)
        releasable = list(state.default_releasable_to)
    values = dict.fromkeys(TEXT_FIELDS, "")
    values.update(
        occurred_at=local_value(utcnow()),
        severity="Unknown",
        urgency="Unknown",
        certainty="Unknown",
        status="reported",
        mode="actual",
        classification=min(level, viewer.clearance).name,
        language=language,
        releasable_to=releasable,
    )
    return values


def edit_values_or(
    attempted: dict[str, Any] | None, incident: Incident, conflict: bool
) -> dict[str, Any]:
    """After a conflict the form shows the current record; after a mistake, what was typed."""
    current = edit_values(incident)
    if attempted is None or conflict:
        return current
    return {**current, **attempted, "version": current["version"]}
