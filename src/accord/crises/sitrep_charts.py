"""Pictures for the PDF report, drawn with matplotlib off screen: need fulfilment and a map.

The map draws the member states' outlines the application ships (no tiles, no network) with the
incidents and deployments of the snapshot as points.
"""

from __future__ import annotations

import io
from typing import Any

# A bare Figure (no pyplot) draws with the Agg renderer and touches no global state.
from matplotlib.figure import Figure
from matplotlib.patches import Polygon as PolygonPatch

from accord.i18n import _
from accord.incidents.outlines import member_outlines

COLOURS = {
    "requested": "#9aa5b1",
    "offered": "#f0b429",
    "accepted": "#3e7cb1",
    "deployed": "#2f855a",
}
DPI = 150


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    return buffer.getvalue()


def fulfilment_chart(needs: list[dict[str, Any]], capability_names: dict[str, str]) -> bytes:
    """Grouped bars per need line: requested, offered, accepted and deployed units."""
    figure = Figure(figsize=(7.0, 0.5 + 0.55 * max(len(needs), 1)))
    axes = figure.add_subplot()
    series = {
        "requested": _("requested"),
        "offered": _("offered"),
        "accepted": _("accepted"),
        "deployed": _("deployed"),
    }
    height = 0.8 / len(series)
    for index, row in enumerate(needs):
        for offset, key in enumerate(series):
            axes.barh(
                index + offset * height,
                row[key],
                height=height,
                color=COLOURS[key],
                label=series[key] if index == 0 else None,
            )
    axes.set_yticks([index + 0.4 - height / 2 for index in range(len(needs))])
    axes.set_yticklabels(
        [f"{capability_names.get(row['capability'], row['capability'])}" for row in needs],
        fontsize=8,
    )
    axes.invert_yaxis()
    axes.set_xlabel(_("units"), fontsize=8)
    axes.tick_params(axis="x", labelsize=8)
    axes.xaxis.get_major_locator().set_params(integer=True)
    if needs:
        axes.legend(fontsize=7, loc="lower right")
    axes.set_title(_("Need fulfilment"), fontsize=10)
    return _png(figure)


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry["type"] == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []


def _points(rows: list[dict[str, Any]]) -> list[tuple[float, float]]:
    return [
        (row["longitude"], row["latitude"])
        for row in rows
        if row.get("longitude") is not None and row.get("latitude") is not None
    ]


def _extent(
    focus: list[list[list[float]]], points: list[tuple[float, float]]
) -> tuple[float, float, float, float]:
    xs = [p[0] for ring in focus for p in ring] + [p[0] for p in points]
    ys = [p[1] for ring in focus for p in ring] + [p[1] for p in points]
    if not xs:
        return 40.0, 90.0, 35.0, 56.0
    pad_x = max((max(xs) - min(xs)) * 0.1, 1.0)
    pad_y = max((max(ys) - min(ys)) * 0.1, 1.0)
    return min(xs) - pad_x, max(xs) + pad_x, min(ys) - pad_y, max(ys) + pad_y


def map_image(snapshot: dict[str, Any], member_codes: tuple[str, ...]) -> bytes:
    """The member states' outlines around the affected ones, with incidents and deployments."""
    outlines = member_outlines(member_codes)
    affected = set(snapshot["crisis"]["affected_states"])
    incidents = _points(snapshot["incidents"])
    deployments = _points(snapshot["deployments"])
    needs = _points(snapshot["needs"])
    figure = Figure(figsize=(7.0, 4.2))
    axes = figure.add_subplot()
    focus = []
    for feature in outlines["features"]:
        code = feature["properties"]["code"]
        for ring in _rings(feature["geometry"]):
            hit = code in affected
            if hit:
                focus.append(ring)
            axes.add_patch(
                PolygonPatch(
                    ring,
                    closed=True,
                    facecolor="#fde8e8" if hit else "#eef1f4",
                    edgecolor="#7b8794",
                    linewidth=0.6,
                )
            )
    for points, colour, marker, label in (
        (incidents, "#c81e1e", "o", _("incidents")),
        (needs, "#f0b429", "s", _("places of need")),
        (deployments, "#1c64f2", "^", _("deployments")),
    ):
        if points:
            axes.scatter(
                [p[0] for p in points],
                [p[1] for p in points],
                c=colour,
                marker=marker,
                s=28,
                label=label,
                zorder=3,
                edgecolors="white",
                linewidths=0.5,
            )
    west, east, south, north = _extent(focus, incidents + deployments + needs)
    axes.set_xlim(west, east)
    axes.set_ylim(south, north)
    axes.set_aspect("equal", adjustable="box")
    axes.tick_params(labelsize=7)
    if incidents or deployments or needs:
        axes.legend(fontsize=7, loc="upper right")
    axes.set_title(_("Map: incidents and deployments"), fontsize=10)
    return _png(figure)
