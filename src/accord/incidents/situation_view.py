"""The situation picture as plain values: what the page renders and the live page refetches."""

from __future__ import annotations

import math
from typing import Any

from accord.i18n import _
from accord.incidents import labels
from accord.incidents.schemas import AREAS
from accord.incidents.situation import (
    OUTSIDE,
    SEVERITY_BANDS,
    WINDOWS,
    Situation,
    WindowCounts,
)
from accord.members.service import StateView
from accord.models import Incident
from accord.web.rendering import environment

CHART_WIDTH = 720
CHART_HEIGHT = 180
CHART_LEFT = 36
CHART_RIGHT = 8
CHART_TOP = 10
CHART_BOTTOM = 24


def window_names() -> dict[str, str]:
    return {"24h": _("Last 24 hours"), "7d": _("Last 7 days"), "30d": _("Last 30 days")}


def band_names() -> dict[str, str]:
    return {
        "high": _("Extreme or severe"),
        "moderate": _("Moderate"),
        "low": _("Minor or unknown"),
    }


def _counts(counts: WindowCounts) -> dict[str, Any]:
    cells: dict[str, dict[str, int]] = {}
    for (area, country), n in counts.by_cell.items():
        cells.setdefault(area, {})[country] = n
    return {
        "total": counts.total,
        "severe": counts.severe,
        "exercise": counts.exercise,
        "test": counts.test,
        "by_area": dict(counts.by_area),
        "by_country": dict(counts.by_country),
        "cells": cells,
    }


def _scale_top(largest: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, … that is at least ``largest``."""
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if step * magnitude >= largest:
                return step * magnitude
        magnitude *= 10


def trend_chart(picture: Situation) -> dict[str, Any]:
    """Stacked daily bars (most severe at the bottom) in the SVG's own coordinates."""
    days = picture.trend
    top = _scale_top(max((day.total for day in days), default=0))
    plot_width = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    slot = plot_width / max(len(days), 1)
    bars, ticks = [], []
    names = band_names()
    for index, day in enumerate(days):
        x = CHART_LEFT + index * slot
        base = CHART_TOP + plot_height
        for band in SEVERITY_BANDS:
            count = day.bands[band]
            if not count:
                continue
            height = plot_height * count / top
            base -= height
            bars.append(
                {
                    "band": band,
                    "x": round(x + slot * 0.12, 1),
                    "y": round(base, 1),
                    "w": round(slot * 0.76, 1),
                    "h": round(height, 1),
                    "title": f"{day.day}: {count} — {names[band]}",
                }
            )
        if index % 7 == (len(days) - 1) % 7:
            ticks.append({"x": round(x + slot / 2, 1), "label": day.day[5:]})
    grid = [
        {"y": round(CHART_TOP + plot_height * (1 - share), 1), "label": str(round(top * share))}
        for share in (0, 0.5, 1)
        if share == 0 or top * share == math.floor(top * share)
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "right": CHART_WIDTH - CHART_RIGHT,
        "baseline": CHART_TOP + plot_height,
        "label_y": CHART_HEIGHT - 6,
        "bars": bars,
        "ticks": ticks,
        "grid": grid,
        "total": sum(day.total for day in days),
        "bands": [{"band": band, "name": names[band]} for band in SEVERITY_BANDS],
    }


def incident_item(incident: Incident, picture: Situation, names: dict[str, str]) -> dict[str, Any]:
    shown = environment.filters["datetime"]
    waited = (picture.at - incident.reported_at).total_seconds()
    return {
        "id": str(incident.id),
        "url": f"/incidents/{incident.id}",
        "title": incident.title,
        "area": incident.area,
        "area_name": labels.area_names()[incident.area],
        "severity": incident.severity,
        "severity_name": labels.severity_names()[incident.severity],
        "mode": incident.mode,
        "mode_name": labels.mode_names()[incident.mode],
        "status": incident.status,
        "status_name": labels.status_names()[incident.status],
        "country": incident.country,
        "country_name": names.get(incident.country or "", _("outside the member states")),
        "owner": incident.owner,
        "classification": incident.classification.name,
        "occurred_at": incident.occurred_at.isoformat(),
        "occurred_at_text": shown(incident.occurred_at),
        "reported_at": incident.reported_at.isoformat(),
        "reported_at_text": shown(incident.reported_at),
        "waiting_seconds": int(waited),
        "waiting": labels.age(waited),
    }


def situation_view(picture: Situation, states: list[StateView]) -> dict[str, Any]:
    """Everything the situation page shows, as JSON-ready values in the current language."""
    names = {state.code: state.name for state in states}
    areas = labels.area_names()
    return {
        "generated_at": picture.at.isoformat(),
        "generated_at_text": environment.filters["datetime"](picture.at),
        "classification": picture.classification.name,
        "windows": {key: _counts(counts) for key, counts in picture.windows.items()},
        "window_names": window_names(),
        "areas": [{"code": code, "name": areas[code]} for code in AREAS],
        "columns": [{"code": state.code, "name": state.name} for state in states]
        + [{"code": OUTSIDE, "name": _("Outside the member states")}],
        "trend": trend_chart(picture),
        "newest": [incident_item(row, picture, names) for row in picture.newest],
        "unverified": [incident_item(row, picture, names) for row in picture.unverified],
        "unverified_count": picture.unverified_count,
        "unverified_since": (picture.at - WINDOWS["30d"]).date().isoformat(),
    }
