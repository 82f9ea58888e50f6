"""CAP areas as Accord sees them: polygons and circles as GeoJSON, geocodes as a country.

CAP writes positions as "lat,lon" pairs; GeoJSON as [lon, lat]. One polygon is kept as it is;
several become the rectangle that holds them all; without polygons the first circle's centre is
the location (its radius goes into the description); geocodes alone give no geometry.
"""

from __future__ import annotations

import math
import re
from functools import cache, lru_cache
from typing import Any

from lxml import etree

from accord.errors import InvalidInput
from accord.i18n import _
from accord.incidents.schemas import MAX_RING_POSITIONS

CAP_12 = "urn:oasis:names:tc:emergency:cap:1.2"


@cache
def cap_tag(name: str) -> str:
    """The qualified name of a CAP 1.2 element."""
    return f"{{{CAP_12}}}{name}"


POLYGON, CIRCLE, GEOCODE = cap_tag("polygon"), cap_tag("circle"), cap_tag("geocode")


class ChildTexts:
    """An element's child elements' texts by tag, read in one pass: the first of each counts."""

    __slots__ = ("element", "texts")

    def __init__(self, element: etree._Element) -> None:
        self.element = element
        self.texts: dict[Any, str | None] = {}
        for child in element:
            self.texts.setdefault(child.tag, child.text)

    def text(self, name: str) -> str:
        return (self.texts.get(cap_tag(name)) or "").strip()


def _position(pair: str, field_name: str) -> list[float]:
    try:
        latitude, longitude = (float(part) for part in pair.split(",")[:2])
    except ValueError:
        raise InvalidInput(
            _("{field}: {pair!r} is not a lat,lon pair").format(field=field_name, pair=pair),
            field=field_name,
        ) from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or math.isnan(latitude + longitude):
        raise InvalidInput(
            _("{field}: {pair!r} lies outside latitude -90…90 or longitude -180…180").format(
                field=field_name, pair=pair
            ),
            field=field_name,
        )
    return [longitude, latitude]


def read_polygon(text: str) -> list[list[float]]:
    """A CAP polygon ("lat,lon lat,lon …") as a closed GeoJSON ring of [lon, lat] positions."""
    ring = _quick_ring(text) or [_position(pair, "info.area.polygon") for pair in text.split()]
    if ring and ring[0] != ring[-1]:
        ring.append(ring[0])
    if len(ring) < 4:
        raise InvalidInput(
            _("info.area.polygon: a polygon needs at least three distinct lat,lon pairs"),
            field="info.area.polygon",
        )
    if len(ring) > MAX_RING_POSITIONS:
        # Very detailed outlines are thinned evenly; the original stays in the stored XML.
        step = math.ceil((len(ring) - 1) / (MAX_RING_POSITIONS - 1))
        ring = [*ring[:-1:step], ring[0]]
    return ring


def _quick_ring(text: str) -> list[list[float]] | None:
    """The ring of a well-formed polygon in one pass; None sends odd ones to the careful path."""
    pairs = text.split()
    try:
        numbers = [float(number) for pair in pairs for number in pair.split(",")]
    except ValueError:
        return None
    latitudes, longitudes = numbers[0::2], numbers[1::2]
    if (
        len(numbers) != 2 * len(pairs)
        or not pairs
        or math.isnan(sum(numbers))
        or min(latitudes) < -90
        or max(latitudes) > 90
        or min(longitudes) < -180
        or max(longitudes) > 180
    ):
        return None
    return [
        [longitude, latitude] for latitude, longitude in zip(latitudes, longitudes, strict=True)
    ]


def read_circle(text: str) -> tuple[list[float], float]:
    """A CAP circle ("lat,lon radius-km") as its centre [lon, lat] and radius."""
    centre, _sep, radius = text.strip().partition(" ")
    try:
        kilometres = float(radius.strip() or 0)
    except ValueError:
        raise InvalidInput(
            _("info.area.circle: {text!r} is not 'lat,lon radius'").format(text=text),
            field="info.area.circle",
        ) from None
    return _position(centre, "info.area.circle"), kilometres


def _envelope(rings: list[list[list[float]]]) -> dict[str, Any]:
    positions = [position for ring in rings for position in ring]
    west, east = min(p[0] for p in positions), max(p[0] for p in positions)
    south, north = min(p[1] for p in positions), max(p[1] for p in positions)
    if west == east or south == north:
        return {"type": "Point", "coordinates": [(west + east) / 2, (south + north) / 2]}
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def read_geometry(areas: list[etree._Element]) -> tuple[dict[str, Any] | None, list[str]]:
    """The incident's location from an info's areas, and notes on what the geometry leaves out."""
    rings = [read_polygon(p.text or "") for area in areas for p in area.findall(POLYGON)]
    circles = [read_circle(c.text or "") for area in areas for c in area.findall(CIRCLE)]
    notes = [
        f"Circle: radius {radius:g} km around {centre[1]:g},{centre[0]:g}"
        for centre, radius in circles
    ]
    if len(rings) == 1:
        return {"type": "Polygon", "coordinates": rings}, notes
    if rings:
        notes.insert(0, f"Location: the rectangle around {len(rings)} polygons")
        return _envelope(rings), notes
    if circles:
        return {"type": "Point", "coordinates": circles[0][0]}, notes
    return None, notes


def _iso_country(value: str) -> str | None:
    import pycountry  # loaded on first use: only geocoded alerts need it

    code = value.strip().upper().split("-")[0]
    if len(code) == 3 and pycountry.countries.get(alpha_3=code):
        return code
    if len(code) == 2:
        country = pycountry.countries.get(alpha_2=code)
        return country.alpha_3 if country else None
    return None


def area_country(areas: list[etree._Element]) -> str | None:
    """The one country that ISO 3166 geocodes name for every area, else None."""
    found: set[str | None] = set()
    for area in areas:
        geocodes = [ChildTexts(geocode) for geocode in area.iterchildren(GEOCODE)]
        codes = {
            _iso_country(geocode.text("value"))
            for geocode in geocodes
            if _names_iso3166(geocode.text("valueName"))
        }
        found |= codes or {None}
    return found.pop() if len(found) == 1 else None


@lru_cache(maxsize=512)  # producers use a handful of names; input may bring many
def _names_iso3166(value_name: str) -> bool:
    return re.sub(r"[^a-z0-9]", "", value_name.lower()).startswith("iso3166")
