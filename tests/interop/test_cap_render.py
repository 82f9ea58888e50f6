"""Writing CAP 1.2: every alert Accord writes is one the official schema accepts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from accord.incidents.schemas import AREAS, CERTAINTIES, MODES, SEVERITIES, URGENCIES
from accord.incidents.service import IncidentRead
from accord.interop.cap.parse import cap_schema, parse_alert
from accord.interop.cap.render import render_alert, render_feed

NS = {"cap": "urn:oasis:names:tc:emergency:cap:1.2", "atom": "http://www.w3.org/2005/Atom"}
WHEN = datetime(2024, 5, 1, 8, 0, 0, 123456, tzinfo=UTC)
POLYGON = {
    "type": "Polygon",
    "coordinates": [[[27.5, 53.9], [27.5, 54.0], [27.712345, 54.0], [27.5, 53.9]]],
}


def incident(**overrides) -> IncidentRead:
    values = {
        "id": uuid.UUID("6f1c1a52-8d1e-4c43-9b53-0d6b1e6a1c01"),
        "area": "drugs",
        "title": "Heroin seizure at the border crossing",
        "description": "Customs found 40 kg in a lorry.",
        "language": "en",
        "translations": {},
        "occurred_at": WHEN - timedelta(hours=3),
        "reported_at": WHEN - timedelta(hours=2),
        "updated_at": WHEN,
        "severity": "Severe",
        "urgency": "Immediate",
        "certainty": "Observed",
        "location": {"type": "Point", "coordinates": [27.56, 53.9]},
        "country": "BLR",
        "status": "reported",
        "mode": "actual",
        "source": "",
        "owner": "BLR",
        "classification": "CONFIDENTIAL",
        "releasable_to": ["BLR", "KAZ"],
        "reported_by": "blr.duty",
        "duplicate_of": None,
        "version": 1,
    }
    values.update(overrides)
    return IncidentRead(**values)


def rendered(record: IncidentRead) -> etree._Element:
    data = render_alert(record, sender="accord@cso", country_name="Belarus")
    document = etree.fromstring(data)
    cap_schema().assertValid(document)
    return document


def text(document: etree._Element, path: str) -> list[str]:
    return [element.text for element in document.xpath(path, namespaces=NS)]


def parameter(document: etree._Element, name: str) -> str:
    return text(document, f"//cap:parameter[cap:valueName='{name}']/cap:value")[0]


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize("mode", MODES)
def test_every_area_and_mode_renders_a_schema_valid_alert(area, mode):
    rendered(incident(area=area, mode=mode))


@pytest.mark.parametrize(
    "location", [None, POLYGON, {"type": "Point", "coordinates": [-179.99, -89.5]}]
)
@pytest.mark.parametrize("country", [None, "BLR"])
def test_every_kind_of_location_renders_a_schema_valid_alert(location, country):
    rendered(incident(location=location, country=country))


@pytest.mark.parametrize("level", ["PUBLIC", "RESTRICTED", "CONFIDENTIAL", "SECRET"])
def test_every_classification_renders_with_its_marking(level):
    document = rendered(incident(classification=level))
    assert parameter(document, "classification") == level
    scope = text(document, "/cap:alert/cap:scope")[0]
    if level == "PUBLIC":
        assert scope == "Public"
    else:
        assert scope == "Restricted"
        assert level in text(document, "/cap:alert/cap:restriction")[0]


def test_the_alert_carries_accords_profile_and_the_incident_as_cap_fields():
    document = rendered(incident())
    assert text(document, "/cap:alert/cap:identifier") == [
        "urn:uuid:6f1c1a52-8d1e-4c43-9b53-0d6b1e6a1c01"
    ]
    assert text(document, "/cap:alert/cap:sender") == ["accord@cso"]
    assert text(document, "/cap:alert/cap:sent") == ["2024-05-01T08:00:00+00:00"]
    assert text(document, "/cap:alert/cap:status") == ["Actual"]
    assert text(document, "/cap:alert/cap:msgType") == ["Alert"]
    assert parameter(document, "releasable_to") == "BLR,KAZ"
    assert parameter(document, "area") == "drugs"
    assert text(document, "//cap:info/cap:category") == ["Security"]
    assert text(document, "//cap:info/cap:headline") == ["Heroin seizure at the border crossing"]
    assert text(document, "//cap:area/cap:circle") == ["53.9,27.56 0"]
    assert text(document, "//cap:area/cap:areaDesc") == ["Belarus"]


def test_the_marking_opens_and_closes_the_document():
    data = render_alert(incident(), sender="accord@cso")
    lines = data.decode().strip().splitlines()
    assert lines[1] == "<!-- CONFIDENTIAL releasable to BLR, KAZ -->"
    assert lines[-1] == "<!-- CONFIDENTIAL releasable to BLR, KAZ -->"


def test_a_polygon_goes_out_as_lat_lon_pairs():
    document = rendered(incident(location=POLYGON))
    assert text(document, "//cap:polygon") == ["53.9,27.5 54,27.5 54,27.712345 53.9,27.5"]


@pytest.mark.parametrize(("mode", "status"), [("exercise", "Exercise"), ("test", "Test")])
def test_exercises_and_tests_are_never_sent_as_actual(mode, status):
    assert text(rendered(incident(mode=mode)), "/cap:alert/cap:status") == [status]


def test_translations_become_info_blocks_in_their_languages():
    translations = {"ru": {"title": "Изъятие героина", "description": "Таможня нашла 40 кг."}}
    document = rendered(incident(translations=translations))
    assert text(document, "//cap:info/cap:language") == ["en", "ru"]
    assert text(document, "//cap:info/cap:headline")[1] == "Изъятие героина"


def test_a_rendered_alert_reads_back_as_the_same_incident():
    record = incident(location=POLYGON, mode="exercise", translations={"ru": {"title": "Т"}})
    parsed = parse_alert(render_alert(record, sender="accord@cso"))
    assert parsed.area == record.area
    assert parsed.classification.name == record.classification
    assert parsed.releasable_to == record.releasable_to
    assert parsed.mode == "exercise"
    assert parsed.location == record.location
    assert parsed.country == "BLR"
    assert parsed.title == record.title
    assert parsed.translations["ru"]["title"] == "Т"


@settings(max_examples=60, deadline=None)
@given(
    title=st.text(min_size=1, max_size=200),
    description=st.text(max_size=500),
    severity=st.sampled_from(SEVERITIES),
    urgency=st.sampled_from(URGENCIES),
    certainty=st.sampled_from(CERTAINTIES),
    longitude=st.floats(-180, 180),
    latitude=st.floats(-90, 90),
)
def test_any_text_and_position_renders_a_schema_valid_alert(
    title, description, severity, urgency, certainty, longitude, latitude
):
    rendered(
        incident(
            title=title,
            description=description,
            severity=severity,
            urgency=urgency,
            certainty=certainty,
            location={"type": "Point", "coordinates": [longitude, latitude]},
        )
    )


def test_the_feed_links_each_alert_and_marks_exercises_and_the_highest_classification():
    records = [
        incident(id=uuid.uuid4(), classification="RESTRICTED", updated_at=WHEN),
        incident(id=uuid.uuid4(), mode="exercise", updated_at=WHEN - timedelta(hours=1)),
    ]
    feed = etree.fromstring(render_feed(records, sender="accord@cso", base_url="http://x"))
    entries = feed.findall("atom:entry", NS)
    assert [e.findtext("atom:id", namespaces=NS) for e in entries] == [
        f"urn:uuid:{record.id}" for record in records
    ]
    assert entries[1].findtext("atom:title", namespaces=NS).startswith("[Exercise] ")
    link = entries[0].find("atom:link", NS)
    assert link.get("type") == "application/cap+xml"
    assert link.get("href") == f"http://x/api/v1/incidents/{records[0].id}/cap"
    assert feed.findtext("atom:rights", namespaces=NS) == "CONFIDENTIAL"
