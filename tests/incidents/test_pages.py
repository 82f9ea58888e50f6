"""The incident pages and the situation page, as a browser gets them."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

from accord.access import Classification, Viewer
from accord.incidents import service
from accord.incidents.schemas import IncidentCreate
from tests.factories import add_user, login
from tests.incidents.test_api import report

NOW = datetime.now(UTC)
SECRET_TITLE = "Heroin seizure at the border crossing"
BLR_DUTY = Viewer("BLR", Classification.SECRET, frozenset({"duty_officer"}), username="blr.duty")


def report_body(**overrides):
    return report(**{"title": SECRET_TITLE, **overrides})


def form(csrf: str, **overrides) -> dict:
    values = {
        "csrf_token": csrf,
        "area": "emergency",
        "mode": "actual",
        "title": "Forest fire near Gomel",
        "description": "About 40 hectares burning.",
        "occurred_at": (NOW - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "status": "reported",
        "severity": "Severe",
        "urgency": "Immediate",
        "certainty": "Observed",
        "country": "BLR",
        "latitude": "52.42",
        "longitude": "31.01",
        "polygon": "",
        "classification": "RESTRICTED",
        "releasable_to": ["ALL"],
        "source": "Forest service",
        "language": "en",
    }
    values.update(overrides)
    return values


async def users(client) -> None:
    db = client.app.state.db
    await add_user(db, username="blr.duty", state="BLR", roles=["duty_officer"])
    await add_user(db, username="blr.other", state="BLR", roles=["duty_officer"])
    await add_user(db, username="kaz.analyst", state="KAZ", clearance="CONFIDENTIAL")
    await add_user(db, username="arm.analyst", state="ARM", clearance="SECRET")
    await add_user(db, username="kaz.low", state="KAZ", clearance="RESTRICTED")


async def as_user(client, username: str) -> str:
    client.cookies.clear()
    return await login(client, username)


async def reported(client, username: str = "blr.duty", **overrides) -> dict:
    csrf = await as_user(client, username)
    answer = await client.post(
        "/api/v1/incidents", json=report_body(**overrides), headers={"X-CSRF-Token": csrf}
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def banner(html: str) -> str:
    return re.search(r'data-classification="(\w+)"', html).group(1)


async def stored_titles(client, username: str = "blr.duty") -> list[str]:
    await as_user(client, username)
    answer = await client.get("/api/v1/incidents", params={"limit": 500})
    return [item["title"] for item in answer.json()["items"]]


# Not logged in


async def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(client):
    for path in ("/incidents", "/incidents/new", "/situation", f"/incidents/{'0' * 32}"):
        answer = await client.get(path)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/login?next="), path


# The list


async def test_the_list_shows_the_belarus_record_only_to_those_it_is_released_to(client):
    await users(client)
    incident = await reported(client)
    await as_user(client, "kaz.analyst")
    page = await client.get("/incidents")
    assert page.status_code == 200
    assert SECRET_TITLE in page.text
    assert f'href="/incidents/{incident["id"]}"' in page.text
    assert banner(page.text) == "CONFIDENTIAL"
    for username in ("arm.analyst", "kaz.low"):
        await as_user(client, username)
        page = await client.get("/incidents")
        assert page.status_code == 200
        assert SECRET_TITLE not in page.text, username
        assert incident["id"] not in page.text, username
        assert "No incidents match these filters." in page.text, username
        assert banner(page.text) == "PUBLIC", username


async def test_the_list_filters_and_links_exports_with_the_same_filters(client):
    await users(client)
    await reported(client, classification="RESTRICTED", releasable_to=["ALL"])
    await reported(client, area="cyber", title="Ransomware at the rail operator")
    await as_user(client, "kaz.analyst")
    day = NOW.date().isoformat()
    page = await client.get(
        "/incidents", params={"area": "cyber", "q": "ransomware", "since": day, "sort": "severity"}
    )
    assert page.status_code == 200
    assert "Ransomware at the rail operator" in page.text
    assert SECRET_TITLE not in page.text
    query = f"area=cyber&amp;q=ransomware&amp;since={day}T00%3A00%3A00%2B00%3A00"
    assert f'href="/api/v1/incidents.csv?{query}"' in page.text
    assert f'href="/api/v1/incidents.geojson?{query}"' in page.text
    assert 'value="cyber" checked' in page.text
    assert '<option value="severity" selected>' in page.text


async def test_a_bad_filter_value_is_named_on_the_page(client):
    await users(client)
    await as_user(client, "kaz.analyst")
    page = await client.get("/incidents", params={"area": "weather"})
    assert page.status_code == 422
    assert 'data-field="area"' in page.text
    assert "weather" in page.text
    bad_day = await client.get("/incidents", params={"since": "yesterday"})
    assert bad_day.status_code == 422
    assert 'data-field="since"' in bad_day.text


async def test_the_list_pages_with_a_next_link_and_no_row_twice(client):
    await users(client)
    async with client.app.state.db.transaction() as session:
        for minutes in range(55):
            data = IncidentCreate(
                area="migration",
                title=f"Border crossing attempt {minutes:02d}",
                occurred_at=NOW - timedelta(minutes=minutes + 10),
                classification="RESTRICTED",
                releasable_to=["ALL"],
            )
            await service.report_incident(session, BLR_DUTY, data)
    await as_user(client, "kaz.analyst")
    first = await client.get("/incidents")
    next_link = re.search(r'rel="next" href="([^"]+)"', first.text).group(1)
    second = await client.get(next_link.replace("&amp;", "&"))
    first_titles = set(re.findall(r"Border crossing attempt \d\d", first.text))
    second_titles = set(re.findall(r"Border crossing attempt \d\d", second.text))
    assert len(first_titles) == 50
    assert len(second_titles) == 5
    assert not first_titles & second_titles
    assert 'rel="next"' not in second.text


async def test_exercises_are_labelled_and_duplicates_marked_on_the_list(client):
    await users(client)
    exercise = await reported(client, mode="exercise", title="Exercise: chemical spill")
    original = await reported(client, title="Original report")
    duplicate = await reported(client, title="Second report of the same")
    csrf = await as_user(client, "blr.duty")
    await client.post(
        f"/api/v1/incidents/{duplicate['id']}/duplicate",
        json={"duplicate_of": original["id"], "version": 1},
        headers={"X-CSRF-Token": csrf},
    )
    page = (await client.get("/incidents")).text
    row = re.search(rf'<tr id="incident-{exercise["id"]}".*?</tr>', page, re.S).group(0)
    assert "mode-row-exercise" in row
    assert '<span class="mode-badge mode-exercise" data-mode="exercise">EXERCISE</span>' in row
    row = re.search(rf'<tr id="incident-{duplicate["id"]}".*?</tr>', page, re.S).group(0)
    assert "duplicate-row" in row
    assert f'href="/incidents/{original["id"]}"' in row


# The report form


async def test_the_form_defaults_markings_from_the_state_and_caps_them_at_clearance(client):
    db = client.app.state.db
    await add_user(db, username="kaz.duty", state="KAZ", roles=["duty_officer"], clearance="PUBLIC")
    await as_user(client, "kaz.duty")
    page = await client.get("/incidents/new")
    assert page.status_code == 200
    assert '<option value="PUBLIC" selected>' in page.text
    assert 'value="RESTRICTED"' not in page.text
    assert "UTC" in page.text
    assert 'name="releasable_to" value="ALL" checked' in page.text
    assert 'value="">Outside the member states</option>' in page.text


async def test_a_person_without_a_reporting_role_cannot_open_the_form(client):
    db = client.app.state.db
    await add_user(db, username="kaz.delegate", state="KAZ", roles=["delegate"])
    await as_user(client, "kaz.delegate")
    assert (await client.get("/incidents/new")).status_code == 403


async def test_the_form_stores_a_report_and_shows_its_page(client):
    await users(client)
    csrf = await as_user(client, "blr.duty")
    answer = await client.post("/incidents/new", data=form(csrf))
    assert answer.status_code == 303
    target = answer.headers["location"]
    assert re.fullmatch(r"/incidents/[0-9a-f-]{36}\?saved=report", target)
    page = await client.get(target)
    assert page.status_code == 200
    assert "Forest fire near Gomel" in page.text
    assert "52.42000, 31.01000" in page.text
    stored = (await client.get("/api/v1/incidents/" + target[11:47])).json()
    assert stored["location"] == {"type": "Point", "coordinates": [31.01, 52.42]}
    assert stored["owner"] == "BLR"
    occurred = datetime.fromisoformat(stored["occurred_at"].replace("Z", "+00:00"))
    assert occurred.utcoffset() == timedelta(0)
    assert occurred.strftime("%Y-%m-%dT%H:%M") == form(csrf)["occurred_at"]


async def test_the_form_stores_a_polygon_instead_of_the_point(client):
    await users(client)
    csrf = await as_user(client, "blr.duty")
    ring = [[27.5, 53.8], [27.7, 53.8], [27.7, 54.0], [27.5, 53.8]]
    polygon = json.dumps({"type": "Polygon", "coordinates": [ring]})
    answer = await client.post("/incidents/new", data=form(csrf, polygon=polygon))
    assert answer.status_code == 303
    stored = (await client.get("/api/v1/incidents/" + answer.headers["location"][11:47])).json()
    assert stored["location"] == {"type": "Polygon", "coordinates": [ring]}


async def test_bad_input_on_the_form_names_the_field_keeps_the_values_and_stores_nothing(client):
    await users(client)
    future = (NOW + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    open_ring = '{"type": "Polygon", "coordinates": [[[27.5, 53.8], [27.7, 53.8], [27.7, 54.0]]]}'
    cases = [
        ({"latitude": "91"}, "latitude", 'name="latitude" inputmode="decimal" value="91"'),
        ({"area": "weather"}, "area", "area: Input should be"),
        ({"occurred_at": future}, "occurred_at", f'value="{future}"'),
        ({"latitude": "52.4", "longitude": ""}, "longitude", 'value="52.4"'),
        ({"polygon": open_ring}, "polygon", "27.7, 54.0"),
        ({"classification": "SECRET"}, "classification", "above your own clearance"),
        ({"title": ""}, "title", "About 40 hectares burning."),
    ]
    for overrides, field, kept in cases:
        csrf = await as_user(client, "blr.duty")
        answer = await client.post(
            "/incidents/new",
            data=form(csrf, title="Kept title", **overrides)
            if "title" not in overrides
            else form(csrf, **overrides),
        )
        assert answer.status_code == 422, overrides
        assert "The report was not stored." in answer.text, overrides
        assert re.search(rf'data-field="{field}[".]', answer.text), (overrides, answer.text[:0])
        assert field in answer.text.split("The report was not stored.")[1][:400], overrides
        assert kept in answer.text, overrides
        if "title" not in overrides:
            assert 'value="Kept title"' in answer.text
        assert 'aria-invalid="true"' in answer.text, overrides
    assert await stored_titles(client) == []


async def test_the_form_needs_the_csrf_token(client):
    await users(client)
    await as_user(client, "blr.duty")
    answer = await client.post("/incidents/new", data=form("forged"))
    assert answer.status_code == 403
    assert await stored_titles(client) == []


# One incident


async def test_the_detail_page_is_404_for_those_who_may_not_see_it(client):
    await users(client)
    incident = await reported(client)
    await as_user(client, "kaz.analyst")
    page = await client.get(f"/incidents/{incident['id']}")
    assert page.status_code == 200
    assert SECRET_TITLE in page.text
    assert "Customs found 40 kg in a lorry." in page.text
    assert banner(page.text) == "CONFIDENTIAL"
    assert "REL TO BLR, KAZ" in page.text
    for username in ("arm.analyst", "kaz.low"):
        await as_user(client, username)
        page = await client.get(f"/incidents/{incident['id']}")
        assert page.status_code == 404, username
        assert SECRET_TITLE not in page.text, username
        assert "Customs" not in page.text, username
        assert banner(page.text) == "PUBLIC", username
    missing = await client.get("/incidents/not-an-id")
    assert missing.status_code == 404


async def test_only_the_owner_sees_the_edit_and_status_controls(client):
    await users(client)
    incident = await reported(client)
    await as_user(client, "blr.duty")
    owner_page = (await client.get(f"/incidents/{incident['id']}")).text
    assert f'action="/incidents/{incident["id"]}/edit"' in owner_page
    assert 'name="version" value="1"' in owner_page
    for move in ("verified", "closed", "false_alarm"):
        assert f'name="status" value="{move}"' in owner_page
    assert 'name="status" value="reported"' not in owner_page
    await as_user(client, "kaz.analyst")
    reader_page = (await client.get(f"/incidents/{incident['id']}")).text
    assert "/edit" not in reader_page
    assert 'name="status"' not in reader_page
    assert f'action="/incidents/{incident["id"]}/comments"' in reader_page


async def test_a_visible_incident_changed_by_another_state_is_refused_with_403(client):
    await users(client)
    incident = await reported(client)
    csrf = await as_user(client, "kaz.analyst")
    for action, data in (
        ("status", {"status": "verified", "version": "1"}),
        ("edit", {"title": "Taken over", "version": "1"}),
        ("duplicate", {"duplicate_of": incident["id"], "version": "1"}),
    ):
        answer = await client.post(
            f"/incidents/{incident['id']}/{action}", data={"csrf_token": csrf, **data}
        )
        assert answer.status_code == 403, action
    await as_user(client, "blr.duty")
    stored = (await client.get(f"/api/v1/incidents/{incident['id']}")).json()
    assert (stored["status"], stored["title"], stored["version"]) == ("reported", SECRET_TITLE, 1)


async def test_a_status_move_is_stored_and_shown_on_the_timeline(client):
    await users(client)
    incident = await reported(client)
    csrf = await as_user(client, "blr.duty")
    path = f"/incidents/{incident['id']}"
    answer = await client.post(
        f"{path}/status", data={"csrf_token": csrf, "status": "verified", "version": "1"}
    )
    assert answer.status_code == 303
    page = (await client.get(answer.headers["location"])).text
    assert "Status changed." in page
    assert '<span class="status status-verified">verified</span>' in page
    assert "changed the status" in page
    assert re.search(r"reported\s*→\s*verified", page)
    assert 'name="status" value="closed"' in page
    assert 'name="status" value="verified"' not in page
    refused = await client.post(
        f"{path}/status", data={"csrf_token": csrf, "status": "reported", "version": "2"}
    )
    assert refused.status_code == 422
    assert "cannot become reported" in refused.text


async def test_an_edit_on_a_stale_version_shows_the_conflict_and_the_current_values(client):
    await users(client)
    incident = await reported(client)
    path = f"/incidents/{incident['id']}"
    csrf = await as_user(client, "blr.other")
    first = await client.post(
        f"{path}/edit",
        data={
            **form(csrf, title="Changed by the other officer", area="drugs", country="BLR"),
            "version": "1",
        },
    )
    assert first.status_code == 303
    csrf = await as_user(client, "blr.duty")
    stale = form(csrf, title="My own title", comment="my reasons", area="drugs")
    answer = await client.post(f"{path}/edit", data={**stale, "version": "1"})
    assert answer.status_code == 409
    assert "Someone changed this meanwhile — reload." in answer.text
    assert 'value="Changed by the other officer"' in answer.text
    assert 'name="version" value="2"' in answer.text, answer.text
    assert "My own title" in answer.text.split("What you entered:")[1]
    stored = (await client.get(f"/api/v1/incidents/{incident['id']}")).json()
    assert stored["title"] == "Changed by the other officer"
    assert stored["version"] == 2


async def test_an_edit_saves_only_what_changed(client):
    await users(client)
    incident = await reported(client)
    csrf = await as_user(client, "blr.duty")
    page = (await client.get(f"/incidents/{incident['id']}")).text
    edit_form = page.split(f'action="/incidents/{incident["id"]}/edit"')[1].split("</form>")[0]
    values = dict(re.findall(r'<input name="(\w+)"[^>]*value="([^"]*)"', edit_form))
    values.update(re.findall(r'type="datetime-local" name="(\w+)" value="([^"]*)"', edit_form))
    values.update(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', edit_form))
    selects = re.findall(
        r'<select name="(\w+)".*?<option value="([^"]*)" selected', edit_form, re.S
    )
    values.update(selects)
    values.update(re.findall(r'<textarea name="(\w+)"[^>]*>([^<]*)</textarea>', edit_form))
    values.update(csrf_token=csrf, title="Heroin seizure: 40 kg", comment="weighed")
    values["releasable_to"] = ["BLR", "KAZ"]
    answer = await client.post(f"/incidents/{incident['id']}/edit", data=values)
    assert answer.status_code == 303, answer.text[:2000]
    timeline = (await client.get(f"/api/v1/incidents/{incident['id']}/timeline")).json()
    assert timeline[-1]["changes"] == {"title": [SECRET_TITLE, "Heroin seizure: 40 kg"]}
    assert timeline[-1]["comment"] == "weighed"


async def test_anyone_who_sees_an_incident_may_comment_on_it(client):
    await users(client)
    incident = await reported(client)
    csrf = await as_user(client, "kaz.analyst")
    path = f"/incidents/{incident['id']}"
    answer = await client.post(
        f"{path}/comments", data={"csrf_token": csrf, "comment": "Same lorry seen in Kostanay"}
    )
    assert answer.status_code == 303
    page = (await client.get(answer.headers["location"])).text
    assert "Comment added." in page
    assert "Same lorry seen in Kostanay" in page
    assert "kaz.analyst" in page
    empty = await client.post(f"{path}/comments", data={"csrf_token": csrf, "comment": "  "})
    assert empty.status_code == 422
    csrf = await as_user(client, "arm.analyst")
    hidden = await client.post(f"{path}/comments", data={"csrf_token": csrf, "comment": "hello"})
    assert hidden.status_code == 404
    await as_user(client, "blr.duty")
    timeline = (await client.get(f"/api/v1/incidents/{incident['id']}/timeline")).json()
    assert [entry["comment"] for entry in timeline if entry["kind"] == "commented"] == [
        "Same lorry seen in Kostanay"
    ]


async def test_a_duplicate_link_is_shown_both_ways_and_stops_counting(client):
    await users(client)
    original = await reported(client, classification="RESTRICTED", releasable_to=["ALL"])
    duplicate = await reported(
        client, title="Lorry with heroin", classification="RESTRICTED", releasable_to=["ALL"]
    )
    csrf = await as_user(client, "blr.duty")
    situation = (await client.get("/api/v1/situation")).json()
    assert situation["windows"]["24h"]["total"] == 2
    answer = await client.post(
        f"/incidents/{duplicate['id']}/duplicate",
        data={"csrf_token": csrf, "duplicate_of": f"/incidents/{original['id']}", "version": "1"},
    )
    assert answer.status_code == 303
    page = (await client.get(answer.headers["location"])).text
    assert "no longer counts in the situation" in page
    assert f'<a href="/incidents/{original["id"]}">{SECRET_TITLE}</a>' in page
    original_page = (await client.get(f"/incidents/{original['id']}")).text
    assert f'<a href="/incidents/{duplicate["id"]}">Lorry with heroin</a>' in original_page
    situation = (await client.get("/api/v1/situation")).json()
    assert situation["windows"]["24h"]["total"] == 1
    situation_page = (await client.get("/situation")).text
    assert re.search(r'data-count="total">1<', situation_page)


async def test_a_bad_duplicate_id_is_named_and_nothing_is_linked(client):
    await users(client)
    incident = await reported(client)
    hidden = await reported(client, "arm.analyst", classification="RESTRICTED", releasable_to=[])
    csrf = await as_user(client, "blr.duty")
    for given in ("not an id", hidden["id"], incident["id"]):
        answer = await client.post(
            f"/incidents/{incident['id']}/duplicate",
            data={"csrf_token": csrf, "duplicate_of": given, "version": "1"},
        )
        assert answer.status_code == 422, given
        assert 'data-field="duplicate_of"' in answer.text, given
    stored = (await client.get(f"/api/v1/incidents/{incident['id']}")).json()
    assert stored["duplicate_of"] is None


async def test_a_hidden_duplicate_is_not_hinted_at_on_the_original(client):
    await users(client)
    original = await reported(
        client,
        "arm.analyst",
        title="Shooting at the border post",
        country="ARM",
        classification="RESTRICTED",
        releasable_to=["ALL"],
    )
    secret = await reported(client)
    csrf = await as_user(client, "blr.duty")
    await client.post(
        f"/api/v1/incidents/{secret['id']}/duplicate",
        json={"duplicate_of": original["id"], "version": 1},
        headers={"X-CSRF-Token": csrf},
    )
    await as_user(client, "arm.analyst")
    page = (await client.get(f"/incidents/{original['id']}")).text
    assert secret["id"] not in page
    assert "found a duplicate" not in page
    assert "blr.duty" not in page
    assert banner(page) == "RESTRICTED"


async def test_an_exercise_is_shown_as_an_exercise(client):
    await users(client)
    exercise = await reported(
        client,
        mode="exercise",
        title="Exercise: dirty bomb",
        classification="RESTRICTED",
        releasable_to=["ALL"],
    )
    await as_user(client, "kaz.analyst")
    page = (await client.get(f"/incidents/{exercise['id']}")).text
    assert "EXERCISE — this is not a real incident" in page
    situation = (await client.get("/situation")).text
    assert re.search(r'data-count="exercise">1<', situation)
    assert re.search(r'data-count="total">0<', situation)
    newest = situation.split('id="newest"')[1].split("</ul>")[0]
    assert '<span class="mode-badge mode-exercise">EXERCISE</span>' in newest


# The situation page


async def test_the_situation_page_counts_only_what_the_viewer_may_see(client):
    await users(client)
    await reported(client)
    await reported(
        client,
        area="emergency",
        title="Flood in Gomel",
        severity="Moderate",
        classification="RESTRICTED",
        releasable_to=["ALL"],
    )
    await as_user(client, "kaz.analyst")
    page = await client.get("/situation")
    assert page.status_code == 200
    assert banner(page.text) == "CONFIDENTIAL"
    assert re.search(r'data-count="total">2<', page.text)
    assert re.search(r'data-cell="drugs\|BLR">1<', page.text)
    assert SECRET_TITLE in page.text
    assert '<rect class="bar bar-high"' in page.text
    for username in ("arm.analyst", "kaz.low"):
        await as_user(client, username)
        page = await client.get("/situation?window=7d")
        assert re.search(r'data-count="total">1<', page.text), username
        assert re.search(r'data-cell="drugs\|BLR">0<', page.text), username
        assert re.search(r'data-cell="emergency\|BLR">1<', page.text), username
        assert SECRET_TITLE not in page.text, username
        assert banner(page.text) == "RESTRICTED", username
        assert '<a href="/situation?window=7d" class="tab active"' in page.text


# Leaflet


async def test_leaflet_is_served_from_the_installed_package_and_nothing_else(client):
    script = await client.get("/static/vendor/leaflet/leaflet.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    assert b"Leaflet" in script.content[:500]
    assert (await client.get("/static/vendor/leaflet/leaflet.css")).status_code == 200
    assert (await client.get("/static/accord.css")).status_code == 200
    for path in ("..%2F..%2F..%2F__init__.py", "%2e%2e/%2e%2e/__init__.py", "missing.js"):
        answer = await client.get(f"/static/vendor/leaflet/{path}")
        assert answer.status_code == 404, path
        assert b"import" not in answer.content, path


# PostgreSQL smoke pass


async def test_the_pages_answer_on_postgresql(pg_client):
    await users(pg_client)
    incident = await reported(pg_client)
    await as_user(pg_client, "kaz.analyst")
    listed = await pg_client.get("/incidents", params={"q": "heroin", "sort": "severity"})
    assert SECRET_TITLE in listed.text
    detail = await pg_client.get(f"/incidents/{incident['id']}")
    assert detail.status_code == 200
    situation = await pg_client.get("/situation?window=30d")
    assert re.search(r'data-cell="drugs\|BLR">1<', situation.text)
    await as_user(pg_client, "arm.analyst")
    assert SECRET_TITLE not in (await pg_client.get("/incidents")).text
    assert (await pg_client.get(f"/incidents/{incident['id']}")).status_code == 404
