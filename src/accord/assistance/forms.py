"""The assistance forms: raw form values to schemas, with errors naming the field."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from accord.assistance.schemas import (
    DeploymentChange,
    HoldingCreate,
    OfferCreate,
    OfferResponse,
    RequestCreate,
)
from accord.web.forms import parse_form

NEED_LINE_ROWS = 5
LINE_FIELDS = ("capability", "quantity", "place", "longitude", "latitude", "needed_by")
MAX_FIELD = 20_000


def text(form: FormData, name: str) -> str:
    return str(form.get(name) or "")[:MAX_FIELD].strip()


def instant(value: str) -> str | None:
    """A datetime-local value (UTC, as the forms say) as ISO 8601 with its offset."""
    if not value:
        return None
    if len(value) == 16:
        value += ":00"
    return value if ("+" in value[10:] or value.endswith("Z")) else value + "+00:00"


def version(form: FormData) -> int:
    """The record version a form was made against (1 when missing or garbled)."""
    value = text(form, "version")
    return int(value) if value.isdigit() and 0 < len(value) < 10 else 1


def _number(value: str) -> str | None:
    return value.replace(",", ".") if value else None


def _markings(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if text(form, "classification"):
        values["classification"] = text(form, "classification")
    releasable = [str(code) for code in form.getlist("releasable_to") if code]
    if releasable:
        values["releasable_to"] = releasable
    return values


def request_values(form: FormData) -> dict[str, Any]:
    """What the request form holds, as strings, to show again after an error."""
    values = {
        name: text(form, name)
        for name in ("crisis_id", "title", "description", "contact", "classification")
    }
    values["releasable_to"] = [str(code) for code in form.getlist("releasable_to") if code]
    values["lines"] = [
        {name: text(form, f"{name}_{index}") for name in LINE_FIELDS}
        for index in range(NEED_LINE_ROWS)
    ]
    return values


def request_from_form(form: FormData) -> RequestCreate:
    lines = []
    for index in range(NEED_LINE_ROWS):
        row = {name: text(form, f"{name}_{index}") for name in LINE_FIELDS}
        if not row["capability"]:
            continue
        lines.append(
            {
                "capability": row["capability"],
                "quantity": row["quantity"] or None,
                "place": row["place"],
                "longitude": _number(row["longitude"]),
                "latitude": _number(row["latitude"]),
                "needed_by": instant(row["needed_by"]),
            }
        )
    values = {
        "crisis_id": text(form, "crisis_id"),
        "title": text(form, "title"),
        "description": text(form, "description"),
        "contact": text(form, "contact"),
        "need_lines": lines,
        **_markings(form),
    }
    return parse_form(RequestCreate, values)


def offer_from_form(form: FormData) -> OfferCreate:
    values = {
        "need_line_id": text(form, "need_line_id"),
        "quantity": text(form, "quantity") or None,
        "arrival_at": instant(text(form, "arrival_at")),
        "conditions": text(form, "conditions"),
    }
    return parse_form(OfferCreate, values)


def response_from_form(form: FormData) -> OfferResponse:
    return parse_form(
        OfferResponse, {"response": text(form, "response"), "note": text(form, "note")}
    )


def holding_from_form(form: FormData) -> HoldingCreate:
    values = {
        "capability": text(form, "capability"),
        "quantity": text(form, "quantity") or None,
        "readiness_hours": text(form, "readiness_hours") or None,
        "home_base": text(form, "home_base"),
        "longitude": _number(text(form, "longitude")),
        "latitude": _number(text(form, "latitude")),
        "notes": text(form, "notes"),
        **_markings(form),
    }
    return parse_form(HoldingCreate, values)


def deployment_from_form(form: FormData) -> DeploymentChange:
    values: dict[str, Any] = {
        "version": text(form, "version") or None,
        "note": text(form, "note"),
    }
    if text(form, "status"):
        values["status"] = text(form, "status")
    longitude, latitude = _number(text(form, "longitude")), _number(text(form, "latitude"))
    if longitude or latitude:
        values["position"] = {"longitude": longitude, "latitude": latitude}
    if text(form, "estimated_arrival"):
        values["estimated_arrival"] = instant(text(form, "estimated_arrival"))
    return parse_form(DeploymentChange, values)
