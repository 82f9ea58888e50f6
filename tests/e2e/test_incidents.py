"""Incidents through browsers: a report made on the form and a CAP file reach those who may see
them live, and never the member state they are not released to.

A Belarusian duty officer reports; a Kazakh analyst (released to) and an Armenian analyst (not
released to) watch the map and the situation in their own browsers. The Armenian's pages are
checked only after a report the Armenian may see has arrived after the hidden one: the stream
delivers in order, so by then the hidden one was either shown or never sent.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import PASSWORD, LiveServer
from tests.interop.cap_samples import alert, area_block, info_block

pytestmark = pytest.mark.browser

OFFICER, KAZAKH, ARMENIAN = "blr.duty", "kaz.analyst", "arm.analyst"
# How long a page may take to show what the server did (live: through the sealer, the stream
# and a fetch), in milliseconds, on a machine that is busy with other work.
LIVE = 30_000
SHOWN_ON_MAP = re.compile(r"^Incidents on the map: (\d+)")
INCIDENT_PAGE = re.compile(r"/incidents/([0-9a-f-]{36})\?saved=report$")
CONFIDENTIAL_BLUE = "rgb(31, 78, 156)"  # the marking's colour in the incident pages' style
BELARUS_LATITUDES, BELARUS_LONGITUDES = (51.2, 56.2), (23.1, 32.8)

OpenPage = Callable[[str, str], Page]
EXPECT_DEFAULT_TIMEOUT = 5_000  # Playwright's own


@pytest.fixture(scope="module", autouse=True)
def patient_assertions() -> Iterator[None]:
    """Assertions here wait as long as pages may take (Playwright's 5 s suits idle machines)."""
    expect.set_options(timeout=LIVE)
    yield
    expect.set_options(timeout=EXPECT_DEFAULT_TIMEOUT)


@pytest.fixture(scope="module")
def accord(module_live_server: LiveServer) -> LiveServer:
    module_live_server.add_user(
        OFFICER, state="BLR", roles=["duty_officer"], clearance="CONFIDENTIAL"
    )
    module_live_server.add_user(KAZAKH, state="KAZ", roles=["analyst"], clearance="CONFIDENTIAL")
    module_live_server.add_user(ARMENIAN, state="ARM", roles=["analyst"], clearance="CONFIDENTIAL")
    return module_live_server


@pytest.fixture
def open_page(chromium_browser: Browser, accord: LiveServer) -> Iterator[OpenPage]:
    """A new page of the user's own browser context (logged in on first use) at ``path``."""
    contexts: dict[str, BrowserContext] = {}

    def open_as(username: str, path: str) -> Page:
        if username not in contexts:
            contexts[username] = logged_in_context(chromium_browser, accord, username)
        page = contexts[username].new_page()
        page.goto(path)
        return page

    yield open_as
    for context in contexts.values():
        context.close()


def logged_in_context(browser: Browser, accord: LiveServer, username: str) -> BrowserContext:
    context = browser.new_context(base_url=accord.url, locale="en-GB")
    context.set_default_timeout(LIVE)
    page = context.new_page()
    page.goto("/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    expect(page.get_by_test_id("who")).to_be_visible()
    page.close()
    return context


# Watching pages


def listening(page: Page) -> Page:
    """Wait until the page hears the event stream, and record what it hears from then on."""
    expect(page.locator(".live-dot.on")).to_have_count(1)
    page.evaluate(
        """() => {
            window.sameDocument = true;
            window.heard = [];
            document.addEventListener("accord:event", (event) => {
                window.heard.push(event.detail.subject);
            });
        }"""
    )
    return page


def heard(page: Page) -> list[str]:
    return page.evaluate("window.heard")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.sameDocument") is True


def on_the_map(page: Page) -> int:
    status = page.locator("#map-status")
    expect(status).to_have_text(SHOWN_ON_MAP)
    return int(SHOWN_ON_MAP.match(status.text_content()).group(1))


def expect_on_the_map(page: Page, count: int) -> None:
    expect(page.locator("#map-status")).to_have_text(
        re.compile(rf"^Incidents on the map: {count}\b")
    )


def marker(page: Page, title: str):
    return page.locator(f".leaflet-marker-icon[title='{title}']")


def tile(page: Page, name: str):
    return page.locator(f".tile [data-count={name}]")


def situation_counts(page: Page) -> dict[str, int]:
    return {name: int(tile(page, name).text_content()) for name in ("total", "severe")}


def expect_situation_counts(page: Page, counts: dict[str, int]) -> None:
    for name, count in counts.items():
        expect(tile(page, name)).to_have_text(str(count))


def newest(page: Page, title: str):
    return page.locator("#newest li a", has_text=title)


def expect_banners(page: Page, classification: str) -> None:
    banners = page.locator(".banner")
    expect(banners).to_have_count(2)
    expect(banners.first).to_have_text(classification)
    expect(banners.last).to_have_text(classification)


# Reporting


def place_point_in_belarus(page: Page) -> tuple[float, float]:
    """Click Belarus on the form's map; latitude and longitude fill in with the point clicked.

    The map flies to the reporter's state when the outlines arrive; a click during that flight
    lands elsewhere, so the click is repeated until the point is in Belarus.
    """
    label = page.locator("[data-pick-map] .state-label", has_text="Belarus")
    expect(label).to_be_visible()
    page.locator("[data-pick-map]").scroll_into_view_if_needed()
    latitude, longitude = (
        page.locator("input[name=latitude]"),
        page.locator("input[name=longitude]"),
    )
    for _attempt in range(30):
        box = label.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        lat, lng = float(latitude.input_value() or "nan"), float(longitude.input_value() or "nan")
        if inside(lat, BELARUS_LATITUDES) and inside(lng, BELARUS_LONGITUDES):
            return lat, lng
        page.wait_for_timeout(200)
    raise AssertionError(f"the click placed the point at {lat}, {lng}, not in Belarus")


def inside(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]


def report_on_the_form(page: Page, title: str) -> tuple[str, tuple[float, float]]:
    """Fill in and send the report form; the new incident's id and the point placed on the map."""
    form = page.locator("form.incident-form")
    form.locator("select[name=area]").select_option("drugs")
    form.locator("input[name=title]").fill(title)
    form.locator("textarea[name=description]").fill("Customs found 40 kg of heroin in a lorry.")
    form.locator("select[name=severity]").select_option("Severe")
    form.locator("select[name=urgency]").select_option("Immediate")
    form.locator("select[name=certainty]").select_option("Observed")
    form.locator("select[name=country]").select_option("BLR")
    form.locator("input[name=source]").fill("Border guard post 14")
    expect(form.locator("input[name=latitude]")).to_have_value("")
    point = place_point_in_belarus(page)
    form.locator("select[name=classification]").select_option("CONFIDENTIAL")
    form.locator("input[name=releasable_to][value=ALL]").uncheck()
    form.locator("input[name=releasable_to][value=BLR]").check()
    form.locator("input[name=releasable_to][value=KAZ]").check()
    page.get_by_role("button", name="Store the report").click()
    expect(page).to_have_url(INCIDENT_PAGE)
    return INCIDENT_PAGE.search(page.url).group(1), point


def report_for_everyone(page: Page, title: str, coordinates: list[float]) -> str:
    """A report released to all, made over the API with the session of ``page``."""
    token = page.locator("meta[name=csrf-token]").get_attribute("content")
    answer = page.request.post(
        "/api/v1/incidents",
        data={
            "area": "emergency",
            "title": title,
            "description": "The river rose two metres overnight.",
            "occurred_at": datetime.now(UTC).isoformat(),
            "severity": "Moderate",
            "urgency": "Expected",
            "certainty": "Likely",
            "country": "ARM",
            "location": {"type": "Point", "coordinates": coordinates},
            "classification": "RESTRICTED",
            "releasable_to": ["ALL"],
        },
        headers={"X-CSRF-Token": token},
    )
    assert answer.status == 201, answer.text()
    return answer.json()["id"]


def cap_file(title: str) -> bytes:
    """A CAP 1.2 alert marked in Accord's parameters CONFIDENTIAL, releasable to BLR and KAZ."""
    info = info_block(
        category="Env",
        event="Chemical spill",
        headline=title,
        description="A tank wagon leaks ammonia at the station.",
        severity="Severe",
        params={"classification": "CONFIDENTIAL", "releasable_to": "BLR,KAZ"},
        area=area_block("Petropavl station", circle="54.87,69.15 3", geocodes={"ISO3166-1": "KZ"}),
    )
    return alert(
        identifier=f"BY-MCHS-{uuid.uuid4().hex[:8]}", sender="duty@mchs.gov.by", infos=[info]
    )


def upload_cap(page: Page, title: str) -> str:
    page.locator("input[name=files]").set_input_files(
        files=[{"name": "spill.xml", "mimeType": "application/cap+xml", "buffer": cap_file(title)}]
    )
    page.get_by_role("button", name="Import").click()
    rows = page.locator("[data-testid=cap-results] tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_have_attribute("data-outcome", "created")
    expect(rows.locator("td").nth(1)).to_have_text("created")
    link = rows.get_by_role("link", name=title)
    expect(link).to_be_visible()
    marking = rows.locator(".marking")
    expect(marking).to_have_text("CONFIDENTIAL")
    expect(marking).to_have_css("color", CONFIDENTIAL_BLUE)
    return link.get_attribute("href").rsplit("/", 1)[-1]


# What the Armenian analyst sees


def watch_as_armenian(open_page: OpenPage) -> tuple[Page, Page, int, dict[str, int]]:
    map_page = listening(open_page(ARMENIAN, "/map"))
    situation = listening(open_page(ARMENIAN, "/situation"))
    return map_page, situation, on_the_map(map_page), situation_counts(situation)


def wait_for_a_visible_report(
    map_page: Page, situation: Page, shown: int, counts: dict[str, int], title: str
) -> str:
    """The Armenian reports a flood; their pages take it in, and so every earlier event."""
    flood = report_for_everyone(map_page, title, [44.51, 40.18])
    for page in (map_page, situation):
        page.wait_for_function("id => window.heard.includes(id)", arg=flood)
    expect_on_the_map(map_page, shown + 1)
    expect(newest(situation, title)).to_have_count(1)
    expect_situation_counts(situation, {"total": counts["total"] + 1, "severe": counts["severe"]})
    return flood


def assert_never_shown_to_the_armenian(
    open_page: OpenPage, map_page: Page, situation: Page, title: str, incident_id: str
) -> None:
    for page in (map_page, situation):
        assert incident_id not in heard(page)
        assert title not in page.content()
        assert_not_reloaded(page)
    expect(marker(map_page, title)).to_have_count(0)
    expect(newest(situation, title)).to_have_count(0)
    for page in (map_page, situation):
        expect_banners(page, "RESTRICTED")

    with map_page.expect_response(re.compile(r"/api/v1/incidents\.geojson")) as loaded:
        map_page.reload()
    features = loaded.value.json()["features"]
    assert features, "the Armenian's own report is on the map"
    assert incident_id not in {feature["id"] for feature in features}
    assert title not in {feature["properties"]["title"] for feature in features}

    listed = open_page(ARMENIAN, "/incidents")
    expect(listed.locator("table.incidents tbody tr").first).to_be_visible()
    expect(listed.locator(f"#incident-{incident_id}")).to_have_count(0)
    assert title not in listed.content()

    answer = listed.goto(f"/incidents/{incident_id}")
    assert answer.status == 404
    expect(listed.get_by_role("heading", name="Something is not right")).to_be_visible()
    assert title not in listed.content()


# The tests


def test_a_report_made_on_the_form_appears_live_for_the_kazakh_analyst_and_never_for_the_armenian(
    open_page: OpenPage,
):
    title = f"Heroin in a lorry near Minsk {uuid.uuid4().hex[:6]}"
    kazakh_map = listening(open_page(KAZAKH, "/map"))
    kazakh_situation = listening(open_page(KAZAKH, "/situation"))
    shown_to_kazakh = on_the_map(kazakh_map)
    kazakh_counts = situation_counts(kazakh_situation)
    armenian_map, armenian_situation, shown_to_armenian, armenian_counts = watch_as_armenian(
        open_page
    )

    officer = open_page(OFFICER, "/incidents/new")
    expect_banners(officer, "RESTRICTED")
    incident_id, (latitude, longitude) = report_on_the_form(officer, title)
    expect(officer.get_by_role("status").filter(has_text="Report stored.")).to_be_visible()
    expect(officer.get_by_role("heading", level=1)).to_contain_text(title)
    expect(officer.locator(".head-badges .marking")).to_have_text("CONFIDENTIAL · REL TO BLR, KAZ")
    stored = json.loads(officer.locator("[data-show-map]").get_attribute("data-geometry"))
    assert stored == {"type": "Point", "coordinates": [longitude, latitude]}
    expect_banners(officer, "CONFIDENTIAL")

    expect_on_the_map(kazakh_map, shown_to_kazakh + 1)
    expect(marker(kazakh_map, title)).to_have_count(1)
    marker(kazakh_map, title).click()
    popup = kazakh_map.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(title)
    expect(popup).to_contain_text("Severe")
    expect(popup.get_by_role("link", name="Open the report")).to_have_attribute(
        "href", f"/incidents/{incident_id}"
    )
    expect_banners(kazakh_map, "CONFIDENTIAL")

    expect(newest(kazakh_situation, title)).to_have_attribute("href", f"/incidents/{incident_id}")
    expect_situation_counts(
        kazakh_situation,
        {"total": kazakh_counts["total"] + 1, "severe": kazakh_counts["severe"] + 1},
    )
    expect_banners(kazakh_situation, "CONFIDENTIAL")
    for page in (kazakh_map, kazakh_situation):
        assert_not_reloaded(page)
        assert incident_id in heard(page)

    wait_for_a_visible_report(
        armenian_map, armenian_situation, shown_to_armenian, armenian_counts, "Flood in Yerevan"
    )
    assert_never_shown_to_the_armenian(
        open_page, armenian_map, armenian_situation, title, incident_id
    )


def test_an_uploaded_cap_alert_reaches_the_kazakh_analyst_and_never_the_armenian(
    open_page: OpenPage,
):
    title = f"Ammonia leak at Petropavl station {uuid.uuid4().hex[:6]}"
    kazakh_list = listening(open_page(KAZAKH, "/incidents"))
    armenian_map, armenian_situation, shown_to_armenian, armenian_counts = watch_as_armenian(
        open_page
    )

    officer = open_page(OFFICER, "/incidents")
    officer.get_by_role("link", name="Import CAP alerts").click()
    expect(officer).to_have_url(re.compile(r"/cap/upload$"))
    incident_id = upload_cap(officer, title)
    expect_banners(officer, "CONFIDENTIAL")

    notice = kazakh_list.locator("#live-notice")
    expect(notice).to_be_visible()
    expect(notice.locator("[data-live-count]")).to_have_text("1")
    assert_not_reloaded(kazakh_list)
    notice.get_by_role("link").click()
    row = kazakh_list.locator(f"#incident-{incident_id}")
    expect(row.get_by_role("link", name=title)).to_be_visible()
    expect(row.locator(".marking")).to_have_text("CONFIDENTIAL · REL TO BLR, KAZ")
    expect(row).to_contain_text("Belarus")
    expect_banners(kazakh_list, "CONFIDENTIAL")
    row.get_by_role("link", name=title).click()
    expect(kazakh_list.get_by_role("heading", level=1)).to_contain_text(title)
    expect_banners(kazakh_list, "CONFIDENTIAL")

    wait_for_a_visible_report(
        armenian_map, armenian_situation, shown_to_armenian, armenian_counts, "Flood in Gyumri"
    )
    assert_never_shown_to_the_armenian(
        open_page, armenian_map, armenian_situation, title, incident_id
    )
