"""Reading list filters from a query string, shared by the API, the pages and the exports."""

from __future__ import annotations

from datetime import datetime

from fastapi import Query

from accord.errors import InvalidInput
from accord.i18n import _
from accord.incidents.repository import IncidentFilter
from accord.incidents.schemas import AREAS, MODES, SEVERITIES, STATUSES


def _checked(name: str, values: list[str], allowed: tuple[str, ...]) -> tuple[str, ...]:
    for value in values:
        if value not in allowed:
            raise InvalidInput(
                _("{field}: unknown value {value!r}; use one of {allowed}").format(
                    field=name, value=value, allowed=", ".join(allowed)
                ),
                field=name,
            )
    return tuple(values)


def _codes(name: str, values: list[str]) -> tuple[str, ...]:
    for value in values:
        if len(value) != 3 or not value.isalpha() or not value.isupper():
            raise InvalidInput(
                _("{field}: {value!r} is not an ISO 3166 alpha-3 code").format(
                    field=name, value=value
                ),
                field=name,
            )
    return tuple(values)


def _time(name: str, value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            _("{field}: not an ISO 8601 date and time").format(field=name), field=name
        ) from None
    if parsed.utcoffset() is None:
        raise InvalidInput(
            _("{field}: give the offset, e.g. 2024-05-01T08:00:00+00:00").format(field=name),
            field=name,
        )
    return parsed


def incident_filter(
    area: list[str] = Query(default_factory=list),
    owner: list[str] = Query(default_factory=list),
    country: list[str] = Query(default_factory=list),
    severity: list[str] = Query(default_factory=list),
    status: list[str] = Query(default_factory=list),
    mode: list[str] = Query(default_factory=list),
    q: str | None = Query(None, max_length=200),
    since: str | None = Query(None, max_length=40),
    until: str | None = Query(None, max_length=40),
) -> IncidentFilter:
    """The filters of a list request, validated; repeat a filter to allow several values."""
    return IncidentFilter(
        areas=_checked("area", area, AREAS),
        owners=_codes("owner", [code for code in owner if code != "ORG"])
        + tuple(code for code in owner if code == "ORG"),
        countries=_codes("country", country),
        severities=_checked("severity", severity, SEVERITIES),
        statuses=_checked("status", status, STATUSES),
        modes=_checked("mode", mode, MODES),
        text=q.strip() if q and q.strip() else None,
        since=_time("since", since),
        until=_time("until", until),
    )
