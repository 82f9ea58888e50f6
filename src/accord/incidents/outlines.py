"""Member states' outlines for the small maps of the report form and the incident page.

They come from the ``countryinfo`` package's data, so a map needs no tile server.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from countryinfo import CountryInfo


@cache
def member_outlines(codes: tuple[str, ...]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the outlines of the states ``codes``."""
    features = []
    for code in codes:
        try:
            collection = CountryInfo(code).geo_json()
        except LookupError:  # a code the package does not know has no outline
            continue
        for feature in collection.get("features", []):
            features.append(
                {"type": "Feature", "properties": {"code": code}, "geometry": feature["geometry"]}
            )
    return {"type": "FeatureCollection", "features": features}
