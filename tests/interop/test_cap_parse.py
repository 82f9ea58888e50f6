"""Reading CAP 1.2: the official schema, safe XML, and Accord's reading of real alerts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from accord.access import Classification
from accord.errors import InvalidInput, MalformedInput, TooLarge
from accord.incidents.schemas import IncidentCreate
from accord.interop.cap.parse import MAX_ALERT_BYTES, parse_alert
from tests.interop.cap_samples import (
    BILLION_LAUGHS,
    INVALID_REAL,
    OLD_VERSIONS,
    REAL,
    VALID_REAL,
    XXE,
    alert,
    area_block,
    info_block,
)


def refusal(data: bytes, error=InvalidInput):
    with pytest.raises(error) as raised:
        parse_alert(data)
    return raised.value


@pytest.mark.parametrize("path", VALID_REAL, ids=lambda path: path.name)
def test_every_schema_valid_real_alert_reads_as_a_valid_incident(path):
    parsed = parse_alert(path.read_bytes())
    assert parsed.identifier and parsed.sender and parsed.sent.utcoffset() is not None
    IncidentCreate(
        area=parsed.area,
        title=parsed.title,
        description=parsed.description,
        occurred_at=parsed.sent,
        severity=parsed.severity,
        urgency=parsed.urgency,
        certainty=parsed.certainty,
        location=parsed.location,
        mode=parsed.mode,
        language=parsed.language,
    )


def test_the_real_corpus_has_the_expected_invalid_file_and_valid_ones():
    assert len(VALID_REAL) >= 40
    assert all((REAL / name).exists() for name in INVALID_REAL)


def test_the_invalid_real_alert_is_refused_naming_the_unexpected_element():
    error = refusal((REAL / "fiji_sambro-demo-water-shortage-en-hi-invalid.xml").read_bytes())
    assert error.status == 422
    assert error.field == "reference"
    assert "reference" in error.message and "not expected" in error.message


@pytest.mark.parametrize("path", sorted(OLD_VERSIONS.glob("*.xml")), ids=lambda path: path.name)
def test_older_cap_versions_are_refused_saying_which_version_they_are(path):
    error = refusal(path.read_bytes())
    assert error.field == "alert"
    assert "CAP 1.1" in error.message or "CAP 1.0" in error.message
    assert "1.2" in error.message


def test_an_alert_in_the_cap_11_namespace_is_refused():
    error = refusal(alert(namespace="urn:oasis:names:tc:emergency:cap:1.1"))
    assert "CAP 1.1 alert" in error.message


def test_an_external_entity_is_refused_and_never_read():
    error = refusal(XXE)
    assert error.field == "DOCTYPE"
    assert "entit" in error.message
    assert "root:" not in error.message


def test_a_billion_laughs_document_is_refused_without_expanding_it():
    error = refusal(BILLION_LAUGHS)
    assert error.field == "DOCTYPE"


def test_sent_with_z_is_refused_naming_sent_and_why():
    error = refusal(alert(sent="2024-05-01T08:00:00Z"))
    assert error.field == "sent"
    assert "offset" in error.message and "'Z' is not allowed" in error.message


def test_a_time_with_a_fraction_of_a_second_is_refused():
    error = refusal(alert(sent="2024-05-01T08:00:00.5+00:00"))
    assert error.field == "sent"


def test_an_unknown_urgency_is_refused_naming_its_place():
    error = refusal(alert(infos=[info_block(urgency="Soon")]))
    assert error.field == "info.urgency"
    assert "Soon" in error.message


def test_xml_that_is_not_well_formed_is_malformed():
    error = refusal(b"<alert><unclosed></alert>", MalformedInput)
    assert error.status == 400


def test_a_document_over_the_size_limit_is_refused_before_parsing():
    error = refusal(b" " * (MAX_ALERT_BYTES + 1), TooLarge)
    assert error.status == 413


def test_the_largest_real_alert_is_under_the_limit():
    assert max(path.stat().st_size for path in VALID_REAL) < MAX_ALERT_BYTES / 4


def test_draft_alerts_are_refused():
    error = refusal(alert(status="Draft"))
    assert error.field == "status"


def test_ack_messages_are_refused_naming_msgtype():
    error = refusal(alert(msg_type="Ack", references="a@b,X-1,2024-05-01T08:00:00+00:00"))
    assert error.field == "msgType"


@pytest.mark.parametrize(
    ("status", "mode"),
    [("Actual", "actual"), ("Exercise", "exercise"), ("Test", "test"), ("System", "test")],
)
def test_status_becomes_the_incident_mode(status, mode):
    assert parse_alert(alert(status=status)).mode == mode


def test_references_are_read_as_sender_identifier_sent_triples():
    parsed = parse_alert(
        alert(
            msg_type="Update",
            references="  a@example.org,ID-1,2024-05-01T08:00:00+06:00\n b@x,ID-2,broken ",
        )
    )
    first, second = parsed.references
    assert (first.sender, first.identifier) == ("a@example.org", "ID-1")
    assert first.sent == datetime(2024, 5, 1, 2, 0, tzinfo=UTC)
    assert (second.identifier, second.sent) == ("ID-2", None)


def test_a_cap_polygon_of_lat_lon_pairs_becomes_geojson_lon_lat():
    area = area_block(polygon="53.9,27.5 54.0,27.5 54.0,27.7 53.9,27.5")
    parsed = parse_alert(alert(infos=[info_block(area=area)]))
    assert parsed.location == {
        "type": "Polygon",
        "coordinates": [[[27.5, 53.9], [27.5, 54.0], [27.7, 54.0], [27.5, 53.9]]],
    }


def test_an_unclosed_polygon_is_closed():
    area = area_block(polygon="53.9,27.5 54.0,27.5 54.0,27.7")
    ring = parse_alert(alert(infos=[info_block(area=area)])).location["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 4


def test_a_polygon_latitude_of_91_is_refused_naming_the_polygon():
    area = area_block(polygon="91,27.5 54.0,27.5 54.0,27.7 91,27.5")
    error = refusal(alert(infos=[info_block(area=area)]))
    assert error.field == "info.area.polygon"


def test_several_polygons_give_the_rectangle_around_them():
    areas = area_block(polygon="1,1 1,2 2,2 1,1") + area_block(polygon="5,5 5,6 6,6 5,5")
    location = parse_alert(alert(infos=[info_block(area=areas)])).location
    assert location["coordinates"][0] == [[1, 1], [6, 1], [6, 6], [1, 6], [1, 1]]


def test_a_circle_gives_its_centre_and_keeps_its_radius_in_the_description():
    parsed = parse_alert(alert(infos=[info_block(area=area_block(circle="43.68,-79.43 12.5"))]))
    assert parsed.location == {"type": "Point", "coordinates": [-79.43, 43.68]}
    assert "radius 12.5 km" in parsed.description


def test_an_area_with_only_geocodes_has_no_geometry():
    area = area_block(geocodes={"SAME": "006109"})
    assert parse_alert(alert(infos=[info_block(area=area)])).location is None


def test_an_iso_geocode_names_the_country_of_every_area():
    areas = area_block("Minsk", geocodes={"ISO3166-1": "BY"}) + area_block(
        "Brest", geocodes={"ISO 3166-2": "BY-BR"}
    )
    assert parse_alert(alert(infos=[info_block(area=areas)])).country == "BLR"


def test_areas_in_two_countries_or_without_geocodes_give_no_country():
    two = area_block("Minsk", geocodes={"ISO3166-1": "BY"}) + area_block(
        "Almaty", geocodes={"ISO3166-1": "KAZ"}
    )
    assert parse_alert(alert(infos=[info_block(area=two)])).country is None
    one_unknown = area_block("Minsk", geocodes={"ISO3166-1": "BY"}) + area_block("Somewhere")
    assert parse_alert(alert(infos=[info_block(area=one_unknown)])).country is None


def test_real_alerts_from_outside_the_member_states_have_no_country():
    assert all(parse_alert(path.read_bytes()).country is None for path in VALID_REAL)


@pytest.mark.parametrize(
    ("category", "area"),
    [
        ("Geo", "emergency"),
        ("Met", "emergency"),
        ("Fire", "emergency"),
        ("CBRNE", "emergency"),
        ("Other", "emergency"),
        ("Security", "military"),
    ],
)
def test_the_area_follows_the_cap_category(category, area):
    assert parse_alert(alert(infos=[info_block(category=category)])).area == area


def test_accords_area_parameter_overrides_the_category():
    parsed = parse_alert(alert(infos=[info_block(category="Security", params={"area": "drugs"})]))
    assert parsed.area == "drugs"


def test_an_unknown_area_parameter_is_refused():
    error = refusal(alert(infos=[info_block(params={"area": "weather"})]))
    assert error.field == "info.parameter.area"


def test_accords_marking_parameters_are_read():
    params = {"classification": "CONFIDENTIAL", "releasable_to": "BLR, KAZ"}
    parsed = parse_alert(alert(infos=[info_block(params=params)]))
    assert parsed.classification == Classification.CONFIDENTIAL
    assert parsed.releasable_to == ["BLR", "KAZ"]


def test_an_unknown_classification_parameter_is_refused():
    error = refusal(alert(infos=[info_block(params={"classification": "TOP"})]))
    assert error.field == "info.parameter.classification"


def test_several_languages_keep_the_first_as_main_and_the_others_as_translations():
    parsed = parse_alert((REAL / "canada_eccc-2019-update-en-fr.xml").read_bytes())
    assert parsed.language == "en-CA"
    assert set(parsed.translations) == {"fr-CA"}
    assert parsed.translations["fr-CA"]["title"]
    assert parsed.translations["fr-CA"]["title"] != parsed.title


def test_the_importers_language_is_preferred_as_the_main_one():
    data = (REAL / "norway_met-gale-no-en.xml").read_bytes()
    assert parse_alert(data).language == "no"
    english = parse_alert(data, language="en")
    assert english.language == "en-GB"
    assert set(english.translations) == {"no"}


def test_four_languages_are_all_kept():
    parsed = parse_alert((REAL / "belgium_kmi-irm-rain-update.xml").read_bytes())
    assert {parsed.language, *parsed.translations} == {"nl-BE", "fr-BE", "en-GB", "de-DE"}


def test_a_future_onset_is_kept_and_written_into_the_description():
    parsed = parse_alert(alert(infos=[info_block(onset="2999-01-01T00:00:00+00:00")]))
    assert parsed.onset == datetime(2999, 1, 1, tzinfo=UTC)
    assert "Onset: 2999-01-01T00:00:00+00:00" in parsed.description


def test_a_polygon_of_tens_of_thousands_of_points_is_thinned_to_the_accepted_size():
    parsed = parse_alert((REAL / "burkina-faso_anam-thunderstorm-signed.xml").read_bytes())
    ring = parsed.location["coordinates"][0]
    assert 4 <= len(ring) <= 10_000 and ring[0] == ring[-1]


def test_an_iso_8859_1_alert_keeps_its_accents():
    parsed = parse_alert((REAL / "us_usgs-earthquake-el-salvador-iso8859-1.xml").read_bytes())
    assert "Usulután" in parsed.title
    assert "Usulután" in parsed.xml


def test_a_cancel_without_info_reads_with_a_title_of_its_own():
    parsed = parse_alert((REAL / "us_ipaws-nevada-dps-cancel.xml").read_bytes())
    assert parsed.msg_type == "Cancel" and not parsed.has_info
    assert parsed.title.startswith("Cancel ")
    assert len(parsed.references) == 1
