import csv
import io
import json
import uuid
from datetime import UTC, datetime, timedelta

from accord.access import Classification
from accord.models import Incident
from tests.factories import add_user, login
from tests.incidents.test_api import report

NOW = datetime.now(UTC)


async def add_people(db):
    await add_user(db, username="blr.duty", state="BLR", roles=["duty_officer"])
    await add_user(db, username="kaz.analyst", state="KAZ", clearance="CONFIDENTIAL")
    await add_user(db, username="arm.analyst", state="ARM", clearance="SECRET")
    await add_user(db, username="kaz.low", state="KAZ", clearance="RESTRICTED")


async def reported(client, username, **overrides):
    client.cookies.clear()
    csrf = await login(client, username)
    answer = await client.post(
        "/api/v1/incidents", json=report(**overrides), headers={"X-CSRF-Token": csrf}
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


async def as_user(client, username):
    client.cookies.clear()
    await login(client, username)


def csv_rows(text):
    return list(csv.reader(io.StringIO(text)))


async def test_geojson_export_holds_the_incidents_with_geometry_properties_and_marking(client):
    await add_people(client.app.state.db)
    secret = await reported(client, "blr.duty")
    await as_user(client, "kaz.analyst")
    answer = await client.get("/api/v1/incidents.geojson")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/geo+json")
    assert answer.headers["x-classification"] == "CONFIDENTIAL"
    collection = answer.json()
    assert collection["type"] == "FeatureCollection"
    assert collection["classification"] == "CONFIDENTIAL"
    [feature] = collection["features"]
    assert feature["id"] == secret["id"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [27.56, 53.9]}
    assert feature["properties"]["title"] == secret["title"]
    assert feature["properties"]["classification"] == "CONFIDENTIAL"
    assert feature["properties"]["releasable_to"] == ["BLR", "KAZ"]
    assert "location" not in feature["properties"]


async def test_an_incident_without_a_place_is_exported_with_a_null_geometry(client):
    await add_people(client.app.state.db)
    await reported(client, "blr.duty", location=None, country=None, title="Phishing wave")
    await as_user(client, "kaz.analyst")
    [feature] = (await client.get("/api/v1/incidents.geojson")).json()["features"]
    assert feature["geometry"] is None
    assert feature["properties"]["title"] == "Phishing wave"


async def test_exports_apply_the_list_filters(client):
    await add_people(client.app.state.db)
    await reported(client, "blr.duty", area="drugs", title="Heroin in a lorry")
    await reported(client, "blr.duty", area="cyber", title="Ransomware at the ministry")
    await as_user(client, "kaz.analyst")
    geojson = await client.get("/api/v1/incidents.geojson", params={"area": "cyber"})
    titles = [f["properties"]["title"] for f in geojson.json()["features"]]
    assert titles == ["Ransomware at the ministry"]
    table = await client.get("/api/v1/incidents.csv", params={"q": "heroin"})
    assert [row[2] for row in csv_rows(table.text)[2:]] == ["Heroin in a lorry"]


async def test_an_unknown_filter_value_is_refused_naming_the_field(client):
    await add_people(client.app.state.db)
    await as_user(client, "kaz.analyst")
    for path in ("/api/v1/incidents.geojson", "/api/v1/incidents.csv"):
        answer = await client.get(path, params={"area": "piracy"})
        assert answer.status_code == 422
        assert answer.json()["error"]["field"] == "area"


async def test_csv_export_starts_with_the_marking_then_the_column_names(client):
    await add_people(client.app.state.db)
    incident = await reported(client, "blr.duty", source="border guard")
    await as_user(client, "kaz.analyst")
    answer = await client.get("/api/v1/incidents.csv")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    assert answer.headers["x-classification"] == "CONFIDENTIAL"
    marking, header, row = csv_rows(answer.text)
    assert marking == ["Classification: CONFIDENTIAL"]
    record = dict(zip(header, row, strict=True))
    assert record["id"] == incident["id"]
    assert record["classification"] == "CONFIDENTIAL"
    assert record["releasable_to"] == "BLR KAZ"
    assert (float(record["longitude"]), float(record["latitude"])) == (27.56, 53.9)
    assert json.loads(record["location"]) == incident["location"]


async def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_kept_as_text(client):
    await add_people(client.app.state.db)
    await reported(client, "blr.duty", title='=HYPERLINK("http://x")', description="@SUM(1)")
    await as_user(client, "kaz.analyst")
    header, row = csv_rows((await client.get("/api/v1/incidents.csv")).text)[1:]
    record = dict(zip(header, row, strict=True))
    assert record["title"] == '\'=HYPERLINK("http://x")'
    assert record["description"] == "'@SUM(1)"


async def test_exports_show_the_confidential_belarus_record_only_where_released(client):
    await add_people(client.app.state.db)
    await reported(client, "blr.duty", title="Confidential seizure")
    await reported(
        client,
        "blr.duty",
        title="Public flood warning",
        area="emergency",
        classification="RESTRICTED",
        releasable_to=["ALL"],
    )
    for username, sees in (("kaz.analyst", True), ("arm.analyst", False), ("kaz.low", False)):
        await as_user(client, username)
        geojson = await client.get("/api/v1/incidents.geojson")
        table = await client.get("/api/v1/incidents.csv")
        titles = {f["properties"]["title"] for f in geojson.json()["features"]}
        csv_titles = {row[2] for row in csv_rows(table.text)[2:]}
        expected = {"Public flood warning"} | ({"Confidential seizure"} if sees else set())
        assert titles == expected, username
        assert csv_titles == expected, username
        marking = "CONFIDENTIAL" if sees else "RESTRICTED"
        assert geojson.headers["x-classification"] == marking, username
        assert csv_rows(table.text)[0] == [f"Classification: {marking}"], username
        assert ("Confidential seizure" in table.text + geojson.text) == sees, username
    client.cookies.clear()
    assert (await client.get("/api/v1/incidents.geojson")).status_code == 401
    assert (await client.get("/api/v1/incidents.csv")).status_code == 401


async def test_an_export_of_nothing_is_marked_public_and_still_well_formed(client):
    await add_people(client.app.state.db)
    await as_user(client, "arm.analyst")
    geojson = await client.get("/api/v1/incidents.geojson")
    assert geojson.json() == {
        "type": "FeatureCollection",
        "classification": "PUBLIC",
        "features": [],
    }
    assert csv_rows((await client.get("/api/v1/incidents.csv")).text)[0] == [
        "Classification: PUBLIC"
    ]


def bulk_incident(index: int, **overrides) -> Incident:
    at = NOW - timedelta(days=30) + timedelta(minutes=index)
    values = {
        "id": uuid.uuid4(),
        "area": "migration",
        "title": f"Border crossing {index}",
        "description": "",
        "language": "en",
        "translations": {},
        "occurred_at": at,
        "reported_at": at,
        "updated_at": at,
        "severity": "Minor",
        "severity_rank": 1,
        "urgency": "Past",
        "certainty": "Observed",
        "location": {"type": "Point", "coordinates": [71.4, 51.1]},
        "longitude": 71.4,
        "latitude": 51.1,
        "country": "KAZ",
        "status": "reported",
        "mode": "actual",
        "source": "",
        "owner": "KAZ",
        "classification": Classification.RESTRICTED,
        "releasable_to": ["ALL"],
        "reported_by": "kaz.duty",
        "version": 1,
    }
    values.update(overrides)
    return Incident(**values)


async def insert_many(db, count: int, confidential_at: int) -> list[Incident]:
    rows = [bulk_incident(index) for index in range(count)]
    rows[confidential_at] = bulk_incident(
        confidential_at,
        owner="BLR",
        country="BLR",
        title="Confidential Belarus report",
        classification=Classification.CONFIDENTIAL,
        releasable_to=["BLR", "KAZ"],
    )
    async with db.transaction() as session:
        session.add_all(rows)
    return sorted(rows, key=lambda row: (row.occurred_at, row.id), reverse=True)


async def test_a_3000_incident_export_streams_every_one_newest_first(client):
    db = client.app.state.db
    await add_people(db)
    expected = await insert_many(db, 3000, confidential_at=1234)
    await as_user(client, "kaz.analyst")
    geojson = await client.get("/api/v1/incidents.geojson")
    assert [f["id"] for f in geojson.json()["features"]] == [str(row.id) for row in expected]
    table = csv_rows((await client.get("/api/v1/incidents.csv")).text)
    assert [row[0] for row in table[2:]] == [str(row.id) for row in expected]

    await as_user(client, "arm.analyst")
    visible = [str(row.id) for row in expected if row.owner != "BLR"]
    armenian = csv_rows((await client.get("/api/v1/incidents.csv")).text)
    assert armenian[0] == ["Classification: RESTRICTED"]
    assert [row[0] for row in armenian[2:]] == visible
    assert len(visible) == 2999
    features = (await client.get("/api/v1/incidents.geojson")).json()["features"]
    assert [f["id"] for f in features] == visible


async def test_exports_follow_the_access_rule_on_postgresql(pg_client):
    await add_people(pg_client.app.state.db)
    await insert_many(pg_client.app.state.db, 1500, confidential_at=700)
    await as_user(pg_client, "kaz.analyst")
    features = (await pg_client.get("/api/v1/incidents.geojson")).json()["features"]
    assert len(features) == 1500
    await as_user(pg_client, "kaz.low")
    table = csv_rows((await pg_client.get("/api/v1/incidents.csv")).text)
    assert len(table) == 2 + 1499
    assert "Confidential Belarus report" not in {row[2] for row in table[2:]}
