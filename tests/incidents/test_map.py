import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from accord.app import create_app
from accord.config import Settings
from accord.incidents.map_pages import tile_layer
from tests.conftest import run_cli
from tests.factories import add_user, login
from tests.incidents.test_api import report
from tests.incidents.test_exports import add_people, as_user, reported

MEMBERS = {"ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"}


class Tags(HTMLParser):
    """The tags of a page with their attributes, and whether any script is written inline."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.inline_script = False
        self.inline_style = False
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        self._in_script = tag == "script"
        self.inline_style |= tag == "style" or "style" in attributes
        self.inline_script |= any(name.startswith("on") for name in attributes)

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_script = True

    def handle_endtag(self, tag):
        self._in_script = False

    def find(self, tag, **wanted):
        return [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in wanted.items())
        ]


def parsed(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    return tags


@pytest.fixture
async def tiled_client(sqlite_url, data_dir):
    settings = Settings(
        database_url=sqlite_url,
        data_dir=data_dir,
        map_tile_url="https://{s}.tiles.example.org/{z}/{x}/{y}.png",
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            client.app = app
            yield client


async def test_the_map_page_loads_leaflet_and_markercluster_from_this_server_only(client):
    await add_user(client.app.state.db, username="kaz.analyst", state="KAZ")
    await login(client, "kaz.analyst")
    answer = await client.get("/map")
    assert answer.status_code == 200
    page = parsed(answer.text)
    scripts = [attributes["src"] for attributes in page.find("script")]
    assert "/static/vendor/leaflet/leaflet.js" in scripts
    assert "/static/vendor/markercluster/leaflet.markercluster.js" in scripts
    assert "/static/map.js" in scripts
    assert all(src.startswith("/static/") for src in scripts)
    styles = [a["href"] for a in page.find("link", rel="stylesheet")]
    assert "/static/vendor/markercluster/MarkerCluster.Default.css" in styles
    assert all(href.startswith("/static/") for href in styles)
    assert not page.inline_script and not page.inline_style
    policy = answer.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "img-src 'self' data:;" in policy


async def test_the_map_page_carries_its_configuration_in_data_attributes(client):
    await add_user(client.app.state.db, username="kaz.analyst", state="KAZ")
    await login(client, "kaz.analyst")
    page = parsed((await client.get("/map")).text)
    [canvas] = page.find("div", id="incident-map")
    assert canvas["data-geojson"] == "/api/v1/incidents.geojson"
    assert canvas["data-outlines"] == "/api/v1/map/outlines.geojson"
    config = json.loads(canvas["data-config"])
    assert config["tileUrl"] == ""
    assert set(config["colours"]) == {"Extreme", "Severe", "Moderate", "Minor", "Unknown"}
    assert config["labels"]["mode"]["exercise"] == "EXERCISE"


async def test_the_map_filters_are_those_of_the_list_and_keep_what_was_chosen(client):
    await add_user(client.app.state.db, username="kaz.analyst", state="KAZ")
    await login(client, "kaz.analyst")
    answer = await client.get(
        "/map",
        params=[
            ("area", "cyber"),
            ("area", "drugs"),
            ("mode", "exercise"),
            ("q", "lorry"),
            ("since", "2024-05-01T08:00:00+02:00"),
        ],
    )
    page = parsed(answer.text)
    names = {a["name"] for t, a in page.tags if t in ("select", "input") and "name" in a}
    assert {
        "area",
        "owner",
        "country",
        "severity",
        "status",
        "mode",
        "since",
        "until",
        "q",
    } <= names
    assert re.search(r'<option value="cyber" selected>', answer.text)
    assert re.search(r'<option value="drugs" selected>', answer.text)
    assert re.search(r'<option value="exercise" selected>', answer.text)
    assert not re.search(r'<option value="terrorism" selected>', answer.text)
    assert page.find("input", name="since")[0]["value"] == "2024-05-01T06:00"
    assert page.find("input", name="q")[0]["value"] == "lorry"
    assert page.find("a", id="export-csv")[0]["href"].startswith("/api/v1/incidents.csv?area=cyber")


async def test_a_bad_filter_on_the_map_page_is_refused_naming_it(client):
    await add_user(client.app.state.db, username="kaz.analyst", state="KAZ")
    await login(client, "kaz.analyst")
    answer = await client.get("/map", params={"severity": "Apocalyptic"})
    assert answer.status_code == 422
    assert "severity" in answer.text


async def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(client):
    answer = await client.get("/map")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")


async def test_the_map_banner_is_marked_with_what_the_viewer_will_see_on_it(client):
    await add_people(client.app.state.db)
    await reported(client, "blr.duty", title="Confidential seizure")
    for username, marking in (
        ("kaz.analyst", "CONFIDENTIAL"),
        ("arm.analyst", "PUBLIC"),
        ("kaz.low", "PUBLIC"),
    ):
        await as_user(client, username)
        answer = await client.get("/map")
        banners = parsed(answer.text).find("div", role="note")
        assert [b["data-classification"] for b in banners] == [marking, marking], username
        assert "Confidential seizure" not in answer.text


async def test_a_configured_tile_server_is_used_and_allowed_for_images_on_the_map(tiled_client):
    await add_user(tiled_client.app.state.db, username="kaz.analyst", state="KAZ")
    await login(tiled_client, "kaz.analyst")
    answer = await tiled_client.get("/map")
    [canvas] = parsed(answer.text).find("div", id="incident-map")
    assert json.loads(canvas["data-config"])["tileUrl"].startswith("https://{s}.tiles.example.org/")
    policy = answer.headers["content-security-policy"]
    assert "img-src 'self' data: https://*.tiles.example.org;" in policy
    assert "default-src 'self'" in policy
    other = await tiled_client.get("/")
    assert "tiles.example.org" not in other.headers["content-security-policy"]


def test_only_http_tile_urls_or_paths_on_this_server_are_used():
    assert tile_layer("") == ("", "")
    assert tile_layer("javascript:alert(1)//{z}") == ("", "")
    assert tile_layer("/tiles/{z}/{x}/{y}.png") == ("/tiles/{z}/{x}/{y}.png", "")
    assert tile_layer("http://tiles.local:8080/{z}/{x}/{y}.png")[1] == "http://tiles.local:8080"
    # A host the policy cannot name exactly is allowed by scheme only, never by injection.
    assert tile_layer("https://a{s}b.example.org/{z}.png")[1] == "https:"
    assert tile_layer("https://x.org;script-src *'/{z}.png")[1] == "https:"


async def test_country_outlines_are_public_reference_data_with_members_marked(client):
    answer = await client.get("/api/v1/map/outlines.geojson")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/geo+json")
    collection = answer.json()
    assert collection["type"] == "FeatureCollection"
    status = {f["properties"]["iso3"]: f["properties"]["status"] for f in collection["features"]}
    assert {code for code, value in status.items() if value} == MEMBERS
    assert {"CHN", "UZB", "TKM", "AZE", "POL"} <= set(status)
    for feature in collection["features"]:
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    belarus = next(f for f in collection["features"] if f["properties"]["iso3"] == "BLR")
    longitude, latitude = belarus["geometry"]["coordinates"][0][0][:2]
    assert 23 < longitude < 33 and 51 < latitude < 57


async def test_country_outlines_are_revalidated_by_etag(client):
    first = await client.get("/api/v1/map/outlines.geojson")
    again = await client.get(
        "/api/v1/map/outlines.geojson", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert again.content == b""


async def test_markercluster_files_come_from_the_installed_package(client):
    script = await client.get("/static/vendor/markercluster/leaflet.markercluster.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    assert b"MarkerClusterGroup" in script.content
    style = await client.get("/static/vendor/markercluster/MarkerCluster.Default.css")
    assert style.status_code == 200
    assert style.headers["content-type"].startswith("text/css")


async def test_markercluster_files_refuse_paths_that_climb_out_of_the_package(client):
    for path in (
        "/static/vendor/markercluster/..%2F__init__.py",
        "/static/vendor/markercluster/%2E%2E/%2E%2E/leaflet/__init__.py",
        "/static/vendor/markercluster/%2Fetc%2Fpasswd",
        "/static/vendor/markercluster/",
    ):
        answer = await client.get(path)
        assert answer.status_code == 404, path
        assert b"XStatic" not in answer.content and b"root:" not in answer.content


async def test_the_map_script_is_served_and_reads_no_inline_configuration(client):
    answer = await client.get("/static/map.js")
    assert answer.status_code == 200
    text = answer.text
    assert "accord:event" in text and "incident.reported" in text
    assert "markerClusterGroup" in text
    assert "innerHTML" not in text and "eval(" not in text


# In a browser: the map draws what the viewer may see and takes new reports live.

CHROMIUM = "/usr/bin/chromium"
BROWSER_PASSWORD = "map-browser-password"


def _browser_or_skip():
    reason = None
    if not Path(CHROMIUM).exists():
        reason = f"Chromium is not installed at {CHROMIUM}"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "Playwright for Python is not installed"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true needs the browser tests to run: {reason}")
        pytest.skip(reason)
    return sync_playwright


def _add_cli_user(server, name, state, role, clearance):
    done = run_cli(
        "user",
        "add",
        name,
        "--state",
        state,
        "--role",
        role,
        "--clearance",
        clearance,
        "--password-stdin",
        env={
            "ACCORD_DATABASE_URL": server.env["ACCORD_DATABASE_URL"],
            "ACCORD_DATA_DIR": server.env["ACCORD_DATA_DIR"],
        },
        input=BROWSER_PASSWORD + "\n",
    )
    assert done.returncode == 0, done.stderr or done.stdout


def _report_over_http(server, **overrides):
    with httpx.Client(base_url=server.url) as http:
        answer = http.post(
            "/api/v1/auth/login", json={"username": "blr.duty", "password": BROWSER_PASSWORD}
        )
        csrf = answer.json()["csrf_token"]
        created = http.post(
            "/api/v1/incidents", json=report(**overrides), headers={"X-CSRF-Token": csrf}
        )
        assert created.status_code == 201, created.text


def _open_map(browser, server, username):
    context = browser.new_context(base_url=server.url, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", BROWSER_PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto("/map")
    return page


def _wait_for_status(page, wanted):
    for _ in range(150):
        if page.text_content("#map-status") == wanted:
            return
        page.wait_for_timeout(100)
    assert page.text_content("#map-status") == wanted


@pytest.mark.browser
def test_in_a_browser_new_reports_appear_live_only_for_those_who_may_see_them(server):
    sync_playwright = _browser_or_skip()
    _add_cli_user(server, "blr.duty", "BLR", "duty_officer", "CONFIDENTIAL")
    _add_cli_user(server, "kaz.analyst", "KAZ", "analyst", "CONFIDENTIAL")
    _add_cli_user(server, "arm.analyst", "ARM", "analyst", "SECRET")
    _report_over_http(server, title="Heroin in a lorry")
    launch = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=launch)
        kazakh = _open_map(browser, server, "kaz.analyst")
        armenian = _open_map(browser, server, "arm.analyst")
        _wait_for_status(kazakh, "Incidents on the map: 1")
        _wait_for_status(armenian, "Incidents on the map: 0")
        kazakh.wait_for_selector(".live-dot.on")
        armenian.wait_for_selector(".live-dot.on")

        _report_over_http(
            server, title="Second seizure", location={"type": "Point", "coordinates": [30.5, 52.4]}
        )
        _report_over_http(
            server,
            title="Flood warning",
            area="emergency",
            classification="RESTRICTED",
            releasable_to=["ALL"],
            mode="exercise",
            location={"type": "Point", "coordinates": [71.4, 51.1]},
        )
        _wait_for_status(kazakh, "Incidents on the map: 3")
        _wait_for_status(armenian, "Incidents on the map: 1")
        assert kazakh.get_attribute(".banner", "data-classification") == "CONFIDENTIAL"
        assert armenian.get_attribute(".banner", "data-classification") == "RESTRICTED"
        exercise = armenian.locator(".incident-marker.incident-exercise")
        assert exercise.count() == 1
        exercise.click()
        popup = armenian.text_content(".leaflet-popup-content")
        assert "Flood warning" in popup and "EXERCISE" in popup
        for text in ("Heroin in a lorry", "Second seizure"):
            assert text not in armenian.content()
        browser.close()
