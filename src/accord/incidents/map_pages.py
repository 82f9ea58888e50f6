"""The map of incidents: the page, the country outlines it draws, and MarkerCluster's files.

The map needs no tile server: countries are drawn from the outlines the ``countryinfo`` package
ships. A tile URL, where the network has a tile server, adds a base map beneath them.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from countryinfo import CountryInfo
from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession
from xstatic.pkg import leaflet_markercluster

from accord.auth.dependencies import Principal, get_session, page_principal
from accord.errors import NotFound
from accord.i18n import _
from accord.incidents.exports import export_marking
from accord.incidents.filters import incident_filter
from accord.incidents.labels import area_names, mode_names, severity_names, status_names
from accord.incidents.repository import IncidentFilter
from accord.incidents.schemas import AREAS, MODES, SEVERITIES, STATUSES
from accord.members import service as members
from accord.web.middleware import content_security_policy
from accord.web.rendering import render

router = APIRouter()

MARKERCLUSTER_DIR = Path(leaflet_markercluster.BASE_DIR)
SEVERITY_COLOURS = {
    "Extreme": "#7f0000",
    "Severe": "#d7301f",
    "Moderate": "#fc8d59",
    "Minor": "#fdcc8a",
    "Unknown": "#969696",
}
TILE_HOST = re.compile(r"(\*\.)?[A-Za-z0-9.-]+(:\d+)?")
LIST_FILTERS = ("area", "owner", "country", "severity", "status", "mode")


def tile_layer(url: str) -> tuple[str, str]:
    """A usable tile URL and the image source the page's policy must allow for it.

    Only http(s) URLs and paths on this server are used; anything else is ignored.
    """
    url = url.strip()
    if url.startswith("/") and not url.startswith("//"):
        return url, ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "", ""
    host = re.sub(r"\{[^}]*\}", "*", parts.netloc)
    if not TILE_HOST.fullmatch(host):
        return url, f"{parts.scheme}:"
    return url, f"{parts.scheme}://{host}"


def _country_features(data: dict) -> list[dict]:
    collection = data.get("geoJSON") or {}
    return [
        feature
        for feature in collection.get("features", [])
        if (feature.get("geometry") or {}).get("type") in ("Polygon", "MultiPolygon")
    ]


@lru_cache(maxsize=8)
def outlines_geojson(statuses: tuple[tuple[str, str], ...]) -> bytes:
    """Every country's outline as one FeatureCollection, members marked with their status."""
    status_of = dict(statuses)
    features = []
    for data in CountryInfo.all().values():
        code = (data.get("ISO") or {}).get("alpha3")
        if not code:
            continue
        for feature in _country_features(data):
            properties = {"iso3": code, "name": data.get("name", code)}
            properties["status"] = status_of.get(code)
            features.append(
                {"type": "Feature", "properties": properties, "geometry": feature["geometry"]}
            )
    features.sort(key=lambda feature: feature["properties"]["iso3"])
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, separators=(",", ":"), ensure_ascii=False).encode()


@router.get("/api/v1/map/outlines.geojson", tags=["map"])
async def country_outlines(request: Request, session: AsyncSession = get_session) -> Response:
    """Country outlines for the map (public reference data); members carry their status."""
    states = tuple(
        sorted((state.code, state.status) for state in await members.list_states(session))
    )
    body = outlines_geojson(states)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=3600"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/geo+json", headers=headers)


def vendor_file(base: Path, path: str) -> Path:
    """A file inside ``base``; 404 for anything else, such as a path climbing out of it."""
    root = base.resolve()
    target = (root / path).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        raise NotFound(_("nothing here"))
    return target


@router.get("/static/vendor/markercluster/{path:path}", include_in_schema=False)
async def markercluster_file(path: str) -> FileResponse:
    return FileResponse(
        vendor_file(MARKERCLUSTER_DIR, path), headers={"Cache-Control": "public, max-age=86400"}
    )


def _as_local_input(value: str | None) -> str:
    """A filter time as a ``datetime-local`` field shows it, in UTC."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return ""
    if moment.utcoffset() is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M")


def _chosen(request: Request) -> dict[str, object]:
    query = request.query_params
    chosen: dict[str, object] = {name: query.getlist(name) for name in LIST_FILTERS}
    chosen["q"] = query.get("q", "")
    chosen["since"] = _as_local_input(query.get("since"))
    chosen["until"] = _as_local_input(query.get("until"))
    return chosen


def _client_config(tile_url: str) -> dict[str, object]:
    return {
        "tileUrl": tile_url,
        "colours": SEVERITY_COLOURS,
        "labels": {
            "severity": severity_names(),
            "mode": mode_names(),
            "status": status_names(),
            "area": area_names(),
            "open": _("Open the report"),
            "shown": _("Incidents on the map: {count}"),
            "unplaced": _("without a place, not on the map: {count}"),
            "loading": _("Loading…"),
            "failed": _("The incidents could not be loaded: {reason}"),
        },
    }


@router.get("/map", response_class=HTMLResponse, include_in_schema=False)
async def map_page(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
    filters: IncidentFilter = Depends(incident_filter),
) -> Response:
    tile_url, tile_source = tile_layer(request.app.state.settings.map_tile_url)
    marking = await export_marking(session, principal.viewer, filters)
    country_names = {state.code: state.name for state in await members.list_states(session)}
    response = render(
        request,
        "map.html",
        {
            "chosen": _chosen(request),
            "country_names": country_names,
            "owner_names": {**country_names, "ORG": _("Secretariat")},
            "query": f"?{request.url.query}" if request.url.query else "",
            "areas": AREAS,
            "area_names": area_names(),
            "severities": SEVERITIES,
            "severity_names": severity_names(),
            "statuses": STATUSES,
            "status_names": status_names(),
            "modes": MODES,
            "mode_names": mode_names(),
            "colours": SEVERITY_COLOURS,
            "config": json.dumps(_client_config(tile_url), ensure_ascii=False),
        },
        shown=[marking],
    )
    response.headers["Content-Security-Policy"] = content_security_policy(tile_source)
    return response
