"""Writing CAP 1.2: an incident in, a schema-valid alert out; no database.

The alert's identifier is ``urn:uuid:<incident id>`` and ``sent`` the time of the incident's
current version, so exporting one version twice gives the same alert. PUBLIC incidents go out
with scope Public; every other one with scope Restricted, its restriction naming the marking.
Accord's profile puts classification, releasability and area in ``parameter`` elements and the
country in an ISO 3166 ``geocode``; translations become further ``info`` blocks.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from lxml import etree

from accord.incidents.schemas import IncidentRead
from accord.interop.cap.areas import CAP_12

STATUS_OF_MODE = {"actual": "Actual", "exercise": "Exercise", "test": "Test"}
CATEGORY_OF_AREA = {
    "terrorism": "Security",
    "drugs": "Security",
    "arms_crime": "Security",
    "migration": "Safety",
    "emergency": "Safety",
    "cyber": "Security",
    "military": "Security",
}
EVENT_OF_AREA = {
    "terrorism": "Terrorism and extremism",
    "drugs": "Drug trafficking",
    "arms_crime": "Illicit arms trafficking and organised crime",
    "migration": "Illegal migration",
    "emergency": "Emergency",
    "cyber": "Information-technology crime",
    "military": "Military and border security",
}
COUNTRY_GEOCODE = "ISO3166-1 alpha-3"
ATOM = "http://www.w3.org/2005/Atom"
NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def cap_time(value: datetime) -> str:
    """A CAP time: explicit offset, no fraction of a second."""
    aware = value if value.utcoffset() is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).replace(microsecond=0).isoformat()


def alert_identifier(incident_id: Any) -> str:
    return f"urn:uuid:{incident_id}"


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry (control characters)."""
    return NOT_XML.sub("", text)


def _add(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{CAP_12}}}{name}")
    if text is not None:
        element.text = xml_safe(text)
    return element


def _pair(parent: etree._Element, name: str, value_name: str, value: str) -> None:
    element = _add(parent, name)
    _add(element, "valueName", value_name)
    _add(element, "value", value)


def _number(value: float) -> str:
    text = repr(float(value))
    return f"{value:.10f}".rstrip("0").rstrip(".") if "e" in text else text.removesuffix(".0")


def _cap_pair(position: list[float]) -> str:
    return f"{_number(position[1])},{_number(position[0])}"


def _area(info: etree._Element, incident: IncidentRead, country_name: str | None) -> None:
    if incident.location is None and incident.country is None:
        return
    area = _add(info, "area")
    _add(area, "areaDesc", country_name or incident.country or "Location of the incident")
    location = incident.location
    if location and location["type"] == "Polygon":
        _add(area, "polygon", " ".join(_cap_pair(p) for p in location["coordinates"][0]))
    elif location and location["type"] == "Point":
        _add(area, "circle", f"{_cap_pair(location['coordinates'])} 0")
    if incident.country:
        _pair(area, "geocode", COUNTRY_GEOCODE, incident.country)


def _info(
    alert: etree._Element,
    incident: IncidentRead,
    language: str,
    title: str,
    description: str,
    country_name: str | None,
) -> None:
    info = _add(alert, "info")
    _add(info, "language", language)
    _add(info, "category", CATEGORY_OF_AREA[incident.area])
    _add(info, "event", EVENT_OF_AREA[incident.area])
    _add(info, "urgency", incident.urgency)
    _add(info, "severity", incident.severity)
    _add(info, "certainty", incident.certainty)
    _add(info, "onset", cap_time(incident.occurred_at))
    _add(info, "senderName", f"Accord: {incident.owner}")
    _add(info, "headline", title)
    if description:
        _add(info, "description", description)
    _pair(info, "parameter", "classification", incident.classification)
    _pair(info, "parameter", "releasable_to", ",".join(incident.releasable_to))
    _pair(info, "parameter", "area", incident.area)
    _area(info, incident, country_name)


def marking_text(incident: IncidentRead) -> str:
    return f"{incident.classification} releasable to {', '.join(incident.releasable_to) or '-'}"


def render_alert(incident: IncidentRead, *, sender: str, country_name: str | None = None) -> bytes:
    """The CAP 1.2 alert for ``incident``, sent by ``sender`` (UTF-8 bytes)."""
    alert = etree.Element(f"{{{CAP_12}}}alert", nsmap={None: CAP_12})
    _add(alert, "identifier", alert_identifier(incident.id))
    _add(alert, "sender", sender)
    _add(alert, "sent", cap_time(incident.updated_at))
    _add(alert, "status", STATUS_OF_MODE[incident.mode])
    _add(alert, "msgType", "Alert")
    _add(alert, "source", incident.source or f"Accord, {incident.owner}")
    if incident.classification == "PUBLIC":
        _add(alert, "scope", "Public")
    else:
        _add(alert, "scope", "Restricted")
        _add(alert, "restriction", marking_text(incident))
    if incident.mode != "actual":
        _add(alert, "note", f"{STATUS_OF_MODE[incident.mode]}: not a real event")
    _info(
        alert,
        incident,
        incident.language,
        incident.title,
        incident.description,
        country_name,
    )
    for language, text in sorted(incident.translations.items()):
        if isinstance(text, dict) and text.get("title"):
            _info(
                alert,
                incident,
                language,
                str(text["title"]),
                str(text.get("description", "")),
                country_name,
            )
    # The marking opens and closes the document, like the banner of a page.
    banner = f" {marking_text(incident)} "
    alert.addprevious(etree.Comment(banner))
    alert.addnext(etree.Comment(banner))
    return etree.tostring(
        alert.getroottree(), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


def highest_marking(incidents: list[IncidentRead]) -> str:
    from accord.access import highest

    return highest(incident.classification for incident in incidents).name


def render_feed(
    incidents: list[IncidentRead],
    *,
    sender: str,
    base_url: str,
    now: datetime | None = None,
) -> bytes:
    """An Atom feed linking the CAP alert of each incident; its rights carry the marking."""
    from feedgen.feed import FeedGenerator

    base = base_url.rstrip("/")
    feed = FeedGenerator()
    feed.id(f"{base}/api/v1/cap/feed.atom")
    feed.title("Accord CAP alerts")
    feed.author({"name": sender})
    feed.link(href=f"{base}/api/v1/cap/feed.atom", rel="self", type="application/atom+xml")
    feed.rights(highest_marking(incidents))
    feed.updated(max((i.updated_at for i in incidents), default=now or datetime.now(UTC)))
    for incident in reversed(incidents):  # feedgen puts the last added entry first
        entry = feed.add_entry()
        entry.id(alert_identifier(incident.id))
        marker = "" if incident.mode == "actual" else f"[{STATUS_OF_MODE[incident.mode]}] "
        entry.title(xml_safe(marker + incident.title))
        entry.updated(incident.updated_at)
        entry.published(incident.reported_at)
        entry.author({"name": incident.owner})
        entry.link(
            href=f"{base}/api/v1/incidents/{incident.id}/cap",
            rel="alternate",
            type="application/cap+xml",
        )
        entry.category(term=incident.classification, label=marking_text(incident))
        entry.category(term=incident.mode, label=STATUS_OF_MODE[incident.mode])
        entry.category(term=incident.area, label=EVENT_OF_AREA[incident.area])
        entry.summary(xml_safe(incident.description[:500] or incident.title))
    return _typed_links(feed.atom_str())


def _typed_links(atom: bytes) -> bytes:
    # feedgen 1.0 drops rel and type from entry links; put them back.
    document = etree.fromstring(atom)
    for link in document.iterfind(f"{{{ATOM}}}entry/{{{ATOM}}}link"):
        link.set("rel", "alternate")
        link.set("type", "application/cap+xml")
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8", pretty_print=True)
