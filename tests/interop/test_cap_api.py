"""CAP over HTTP: POST /api/v1/cap, an incident as CAP, the Atom feed, the upload page."""

from __future__ import annotations

import httpx
import pytest
from lxml import etree
from sqlalchemy import func, select

from accord.auth import service as auth
from accord.interop.cap.parse import MAX_ALERT_BYTES, cap_schema
from accord.models import CapAlert, Incident
from tests.contract import client_on
from tests.factories import add_user, login
from tests.interop.cap_samples import (
    BILLION_LAUGHS,
    BLR_CONFIDENTIAL,
    REAL,
    XXE,
    alert,
    hours_ago,
    info_block,
)

CAP = {"Content-Type": "application/cap+xml"}
ATOM = {"atom": "http://www.w3.org/2005/Atom"}


async def stored(client: httpx.AsyncClient, model=Incident) -> int:
    async with client.app.state.db.transaction() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def duty(client: httpx.AsyncClient, username="blr.duty", state="BLR") -> dict[str, str]:
    await add_user(client.app.state.db, username=username, state=state, roles=["duty_officer"])
    return {**CAP, "X-CSRF-Token": await login(client, username)}


async def post(client, document: bytes, headers) -> httpx.Response:
    return await client.post("/api/v1/cap", content=document, headers=headers)


async def belarus_confidential_record(client) -> str:
    headers = await duty(client)
    answer = await post(client, alert(infos=[info_block(params=BLR_CONFIDENTIAL)]), headers)
    assert answer.status_code == 201, answer.text
    client.cookies.clear()
    return answer.json()["id"]


async def test_a_new_alert_answers_201_with_the_incident_and_a_repeat_200_with_the_same(client):
    headers = await duty(client)
    document = alert(sent=hours_ago(2))
    first = await post(client, document, headers)
    assert first.status_code == 201, first.text
    assert first.json()["created"] is True
    again = await post(client, document, {**headers, "Content-Type": "application/xml"})
    assert again.status_code == 200
    assert again.json() == {**first.json(), "created": False, "outcome": "already_imported"}
    incident = (await client.get(f"/api/v1/incidents/{first.json()['id']}")).json()
    assert incident["owner"] == "BLR" and incident["reported_by"] == "blr.duty"
    assert await stored(client) == 1


async def test_an_update_answers_200_with_the_incident_it_changed(client):
    headers = await duty(client)
    sent = hours_ago(3)
    first = await post(client, alert(identifier="A-1", sent=sent), headers)
    update = alert(
        identifier="A-2",
        msg_type="Update",
        references=f"warnings@example.org,A-1,{sent}",
        infos=[info_block(headline="Worse than feared", severity="Extreme")],
    )
    answer = await post(client, update, headers)
    assert answer.status_code == 200
    assert answer.json()["id"] == first.json()["id"] and answer.json()["updated"] is True
    incident = (await client.get(f"/api/v1/incidents/{first.json()['id']}")).json()
    assert (incident["title"], incident["severity"]) == ("Worse than feared", "Extreme")


async def test_an_exercise_alert_is_reported_as_an_exercise(client):
    headers = await duty(client)
    data = (REAL / "philippines_phivolcs-tsunami-exercise.xml").read_bytes()
    answer = await post(client, data, headers)
    assert answer.json()["mode"] == "exercise"
    incident = (await client.get(f"/api/v1/incidents/{answer.json()['id']}")).json()
    assert incident["mode"] == "exercise"


async def test_a_wrong_media_type_is_415_and_stores_nothing(client):
    headers = await duty(client)
    answer = await post(client, alert(), {**headers, "Content-Type": "application/json"})
    assert answer.status_code == 415
    assert answer.json()["error"]["field"] == "Content-Type"
    assert await stored(client) == 0


async def test_a_body_over_the_limit_is_413_and_stores_nothing(client):
    headers = await duty(client)
    answer = await post(client, b" " * (MAX_ALERT_BYTES + 1), headers)
    assert answer.status_code == 413
    assert await stored(client) == 0


@pytest.mark.parametrize(
    ("document", "field", "words"),
    [
        (alert(sent="2024-05-01T08:00:00Z"), "sent", "'Z' is not allowed"),
        (XXE, "DOCTYPE", "entit"),
        (BILLION_LAUGHS, "DOCTYPE", "entit"),
        (alert(namespace="urn:oasis:names:tc:emergency:cap:1.1"), "alert", "CAP 1.1"),
        (alert(infos=[info_block(urgency="Soon")]), "info.urgency", "Soon"),
        (alert(infos=[info_block(params={"area": "weather"})]), "info.parameter.area", "weather"),
    ],
    ids=["sent-z", "xxe", "billion-laughs", "cap-1.1", "urgency", "area"],
)
async def test_an_invalid_alert_is_422_naming_the_field_and_stores_nothing(
    client, document, field, words
):
    headers = await duty(client)
    answer = await post(client, document, headers)
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "validation_error"
    assert error["field"] == field and words in error["message"]
    assert await stored(client) == 0 and await stored(client, CapAlert) == 0


async def test_xml_that_is_not_well_formed_is_400(client):
    headers = await duty(client)
    answer = await post(client, b"<alert>", headers)
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "malformed"


async def test_posting_without_the_csrf_token_is_refused(client):
    headers = await duty(client)
    del headers["X-CSRF-Token"]
    assert (await post(client, alert(), headers)).status_code == 403
    assert await stored(client) == 0


async def test_a_bearer_token_imports_without_a_csrf_token(client):
    db = client.app.state.db
    user = await add_user(db, username="kaz.duty", state="KAZ", roles=["duty_officer"])
    async with db.transaction() as session:
        _token, secret = await auth.create_token(session, user, "feed", actor="test")
    answer = await post(client, alert(), {**CAP, "Authorization": f"Bearer {secret}"})
    assert answer.status_code == 201


async def test_a_role_that_does_not_report_is_403(client):
    await add_user(client.app.state.db, username="org.press", state="ORG", roles=["press"])
    headers = {**CAP, "X-CSRF-Token": await login(client, "org.press")}
    assert (await post(client, alert(), headers)).status_code == 403
    assert await stored(client) == 0


async def test_not_logged_in_is_401_on_every_cap_route(client):
    incident_id = await belarus_confidential_record(client)
    assert (await post(client, alert(identifier="X"), CAP)).status_code == 401
    assert (await client.get(f"/api/v1/incidents/{incident_id}/cap")).status_code == 401
    assert (await client.get("/api/v1/cap/feed.atom")).status_code == 401


async def test_an_incident_exports_as_a_schema_valid_alert_with_its_markings(client):
    incident_id = await belarus_confidential_record(client)
    await login(client, "blr.duty")
    answer = await client.get(f"/api/v1/incidents/{incident_id}/cap")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/cap+xml")
    document = etree.fromstring(answer.content)
    cap_schema().assertValid(document)
    ns = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}
    values = dict(
        zip(
            document.xpath("//cap:parameter/cap:valueName/text()", namespaces=ns),
            document.xpath("//cap:parameter/cap:value/text()", namespaces=ns),
            strict=True,
        )
    )
    assert values == {
        "classification": "CONFIDENTIAL",
        "releasable_to": "BLR,KAZ",
        "area": "emergency",
    }
    assert document.findtext("cap:sender", namespaces=ns) == "accord@cso"


async def test_the_confidential_belarus_record_is_exported_and_fed_only_where_released(client):
    incident_id = await belarus_confidential_record(client)
    db = client.app.state.db
    await add_user(db, username="kaz.analyst", state="KAZ", clearance="CONFIDENTIAL")
    await add_user(db, username="arm.analyst", state="ARM", clearance="SECRET")
    await add_user(db, username="kaz.low", state="KAZ", clearance="RESTRICTED")
    for username, sees in (
        ("blr.duty", True),
        ("kaz.analyst", True),
        ("arm.analyst", False),
        ("kaz.low", False),
    ):
        async with client_on(client.app) as caller:
            await login(caller, username)
            exported = await caller.get(f"/api/v1/incidents/{incident_id}/cap")
            feed = await caller.get("/api/v1/cap/feed.atom")
        assert exported.status_code == (200 if sees else 404), username
        assert feed.status_code == 200
        assert feed.headers["content-type"].startswith("application/atom+xml")
        entries = etree.fromstring(feed.content).findall("atom:entry", ATOM)
        ids = [entry.findtext("atom:id", namespaces=ATOM) for entry in entries]
        assert ids == ([f"urn:uuid:{incident_id}"] if sees else []), username
        assert (incident_id in feed.text) == sees
        assert (b"River flood" in feed.content) == sees
        rights = etree.fromstring(feed.content).findtext("atom:rights", namespaces=ATOM)
        assert rights == ("CONFIDENTIAL" if sees else "PUBLIC"), username


async def test_an_unknown_incident_is_404_as_cap(client):
    await duty(client)
    answer = await client.get("/api/v1/incidents/00000000-0000-0000-0000-000000000000/cap")
    assert answer.status_code == 404


# The upload page


def upload(name: str, data: bytes) -> tuple[str, tuple[str, bytes, str]]:
    return ("files", (name, data, "application/xml"))


async def test_the_upload_page_sends_visitors_to_the_login(client):
    answer = await client.get("/cap/upload")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")


async def test_the_upload_page_shows_a_form_with_the_csrf_token(client):
    headers = await duty(client)
    page = await client.get("/cap/upload")
    assert page.status_code == 200
    assert 'type="file"' in page.text and "multiple" in page.text
    assert headers["X-CSRF-Token"] in page.text


async def test_uploading_several_files_reports_each_outcome(client):
    headers = await duty(client)
    sent = hours_ago(3)
    first = alert(identifier="A-1", sent=sent)
    await post(client, first, headers)
    update = alert(
        identifier="A-2", msg_type="Update", references=f"warnings@example.org,A-1,{sent}"
    )
    files = [
        upload("repeat.xml", first),
        upload("update.xml", update),
        upload("exercise.xml", (REAL / "myanmar_dmh-flood-exercise.xml").read_bytes()),
        upload(
            "fiji.xml", (REAL / "fiji_sambro-demo-water-shortage-en-hi-invalid.xml").read_bytes()
        ),
        upload("xxe.xml", XXE),
    ]
    page = await client.post(
        "/cap/upload", data={"csrf_token": headers["X-CSRF-Token"]}, files=files
    )
    assert page.status_code == 200, page.text
    html = etree.HTML(page.text)
    rows = html.xpath("//table[@data-testid='cap-results']/tbody/tr")
    outcomes = {row.xpath("td[1]/text()")[0]: row.get("data-outcome") for row in rows}
    assert outcomes == {
        "repeat.xml": "already_imported",
        "update.xml": "updated",
        "exercise.xml": "created",
        "fiji.xml": "refused",
        "xxe.xml": "refused",
    }
    assert "reference" in "".join(rows[3].itertext())
    assert "DOCTYPE" in "".join(rows[4].itertext())
    assert html.xpath("//tr[@data-outcome='created']//*[@data-mode='exercise']")
    assert await stored(client) == 2 and await stored(client, CapAlert) == 3


async def test_uploading_without_the_csrf_token_stores_nothing(client):
    await duty(client)
    answer = await client.post("/cap/upload", files=[upload("a.xml", alert())])
    assert answer.status_code == 403
    assert await stored(client) == 0


async def test_uploading_no_file_asks_for_one(client):
    headers = await duty(client)
    answer = await client.post("/cap/upload", data={"csrf_token": headers["X-CSRF-Token"]})
    assert answer.status_code == 422
    assert "Choose at least one" in answer.text


async def test_the_upload_page_marks_what_it_shows_with_the_highest_classification(client):
    headers = await duty(client)
    document = alert(infos=[info_block(params=BLR_CONFIDENTIAL)])
    page = await client.post(
        "/cap/upload",
        data={"csrf_token": headers["X-CSRF-Token"]},
        files=[upload("secret.xml", document)],
    )
    assert page.text.count('data-classification="CONFIDENTIAL"') == 2


async def test_import_and_export_work_on_postgresql(pg_client):
    headers = await duty(pg_client)
    answer = await post(pg_client, (REAL / "canada_eccc-2024-update.xml").read_bytes(), headers)
    assert answer.status_code == 201, answer.text
    exported = await pg_client.get(f"/api/v1/incidents/{answer.json()['id']}/cap")
    cap_schema().assertValid(etree.fromstring(exported.content))
    feed = await pg_client.get("/api/v1/cap/feed.atom")
    assert answer.json()["id"] in feed.text
