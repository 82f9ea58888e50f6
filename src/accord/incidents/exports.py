"""What the incident list shows, exported as GeoJSON and CSV, streamed in keyset batches.

The request's session closes when the route returns, before the body is sent: each export reads
through a session of its own, opened inside the stream. The classification marking is the highest
level among the matching incidents, announced before the first row; the export reads as a viewer
cleared only up to that level, so nothing marked higher can slip in while it streams.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import replace

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Classification, Viewer
from accord.auth.dependencies import Principal, current_principal, get_session
from accord.db import Database
from accord.incidents import repository
from accord.incidents.filters import incident_filter
from accord.incidents.repository import IncidentFilter
from accord.incidents.service import incident_read
from accord.models import Incident

router = APIRouter(prefix="/api/v1", tags=["incidents"])

BATCH = 1000
ROWS_PER_CHUNK = 200
CSV_COLUMNS = (
    "id",
    "area",
    "title",
    "description",
    "language",
    "occurred_at",
    "reported_at",
    "updated_at",
    "severity",
    "urgency",
    "certainty",
    "longitude",
    "latitude",
    "location",
    "country",
    "status",
    "mode",
    "source",
    "owner",
    "classification",
    "releasable_to",
    "reported_by",
    "duplicate_of",
    "version",
)
FREE_TEXT = ("title", "description", "source")
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


async def export_marking(
    session: AsyncSession, viewer: Viewer, filters: IncidentFilter
) -> Classification:
    """The highest classification among the incidents an export will hold."""
    query = repository.filtered(session, viewer, filters).with_only_columns(
        func.max(Incident.classification), maintain_column_froms=True
    )
    return Classification.parse(await session.scalar(query) or Classification.PUBLIC)


def cleared_up_to(viewer: Viewer, marking: Classification) -> Viewer:
    return replace(viewer, clearance=min(viewer.clearance, marking))


async def _chunks(
    db: Database, viewer: Viewer, filters: IncidentFilter, render: Callable[[Incident], str]
) -> AsyncIterator[str]:
    async with db.sessions() as session:
        pending: list[str] = []
        async for incident in repository.stream_incidents(session, viewer, filters, batch=BATCH):
            pending.append(render(incident))
            if len(pending) >= ROWS_PER_CHUNK:
                yield "".join(pending)
                pending.clear()
        if pending:
            yield "".join(pending)


def geojson_feature(incident: Incident) -> dict:
    """An incident as a GeoJSON feature; one without a place has a null geometry."""
    properties = incident_read(incident).model_dump(mode="json", exclude={"location"})
    return {
        "type": "Feature",
        "id": str(incident.id),
        "geometry": incident.location,
        "properties": properties,
    }


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


async def geojson_stream(
    db: Database, viewer: Viewer, filters: IncidentFilter, marking: Classification
) -> AsyncIterator[str]:
    yield f'{{"type":"FeatureCollection","classification":{_json(marking.name)},"features":['
    first = True

    def render(incident: Incident) -> str:
        nonlocal first
        separator = "" if first else ","
        first = False
        return separator + _json(geojson_feature(incident))

    async for chunk in _chunks(db, viewer, filters, render):
        yield chunk
    yield "]}\n"


def _spreadsheet_safe(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_row(incident: Incident) -> list[str]:
    record = incident_read(incident).model_dump(mode="json")
    record["longitude"], record["latitude"] = incident.longitude, incident.latitude
    record["location"] = _json(incident.location) if incident.location else ""
    record["releasable_to"] = " ".join(incident.releasable_to)
    for name in FREE_TEXT:
        record[name] = _spreadsheet_safe(record[name])
    return ["" if record[name] is None else str(record[name]) for name in CSV_COLUMNS]


def _csv_lines(*rows: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


async def csv_stream(
    db: Database, viewer: Viewer, filters: IncidentFilter, marking: Classification
) -> AsyncIterator[str]:
    yield _csv_lines([f"Classification: {marking.name}"], list(CSV_COLUMNS))
    async for chunk in _chunks(db, viewer, filters, lambda row: _csv_lines(csv_row(row))):
        yield chunk


def _headers(marking: Classification, filename: str) -> dict[str, str]:
    return {
        "X-Classification": marking.name,
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-store",
    }


@router.get("/incidents.geojson", response_class=StreamingResponse)
async def export_geojson(
    request: Request,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    filters: IncidentFilter = Depends(incident_filter),
) -> StreamingResponse:
    """The filtered incidents as a GeoJSON FeatureCollection, newest first.

    Incidents without a place are included with a null geometry; the collection's
    ``classification`` member and the ``X-Classification`` header carry the marking.
    """
    marking = await export_marking(session, principal.viewer, filters)
    viewer = cleared_up_to(principal.viewer, marking)
    return StreamingResponse(
        geojson_stream(request.app.state.db, viewer, filters, marking),
        media_type="application/geo+json",
        headers=_headers(marking, "incidents.geojson"),
    )


@router.get("/incidents.csv", response_class=StreamingResponse)
async def export_csv(
    request: Request,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    filters: IncidentFilter = Depends(incident_filter),
) -> StreamingResponse:
    """The filtered incidents as CSV, newest first.

    The first row is the marking (``Classification: LEVEL``), the second the column names.
    """
    marking = await export_marking(session, principal.viewer, filters)
    viewer = cleared_up_to(principal.viewer, marking)
    return StreamingResponse(
        csv_stream(request.app.state.db, viewer, filters, marking),
        media_type="text/csv; charset=utf-8",
        headers=_headers(marking, "incidents.csv"),
    )
