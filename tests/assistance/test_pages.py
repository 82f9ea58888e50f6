"""The assistance pages: what each state sees, the forms, refusals shown on the page."""

from __future__ import annotations

import re
from contextlib import AsyncExitStack
from datetime import timedelta

import pytest

from accord.clock import utcnow
from accord.models.assistance_request import AssistanceRequest
from tests.assistance.helpers import actor, add_crisis, offer_body, request_body
from tests.contract import client_on, count_rows


@pytest.fixture
async def scene(client):
    app = client.app
    async with AsyncExitStack() as stack:
        crisis_id = await add_crisis(app.state.db)
        actors = {
            "tjk": await actor(stack, app, "TJK"),
            "kaz": await actor(stack, app, "KAZ"),
            "arm": await actor(stack, app, "ARM"),
        }
        yield app, crisis_id, actors


def form_of(actor, **values):
    return {"csrf_token": actor.csrf, **values}


async def test_pages_need_a_login(client):
    for path in ("/assistance", "/capabilities", "/assistance/requests/new"):
        answer = await client.get(path)
        assert answer.status_code in (302, 303, 307), path
        assert "/login" in answer.headers["location"]


async def test_a_request_posted_on_the_form_and_answered_on_its_page(scene):
    _app, crisis_id, a = scene
    tjk, kaz = a["tjk"], a["kaz"]
    await kaz.client.post(
        "/capabilities",
        data=form_of(
            kaz, capability="usar_medium", quantity="1", readiness_hours="12", home_base="Almaty"
        ),
    )
    blank = await tjk.get(f"/assistance/requests/new?crisis={crisis_id}")
    assert f'<option value="{crisis_id}" selected>Earthquake in the Rasht valley' in blank.text
    needed_by = (utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    posted = await tjk.client.post(
        "/assistance/requests/new",
        data=form_of(
            tjk,
            crisis_id=str(crisis_id),
            title="Two rescue teams",
            contact="Dushanbe desk",
            capability_0="usar_medium",
            quantity_0="2",
            place_0="Gharm",
            latitude_0="39.02",
            longitude_0="70.43",
            needed_by_0=needed_by,
        ),
    )
    assert posted.status_code == 303, posted.text
    page_path = posted.headers["location"].split("?")[0]

    page = await kaz.get(page_path)
    assert page.status_code == 200
    assert 'data-testid="matches"' in page.text and "Almaty" in page.text
    assert 'data-testid="offer-form"' in page.text
    line = re.search(r'<option value="([0-9a-f-]{36})">', page.text).group(1)
    offered = await kaz.client.post(
        f"{page_path}/offers",
        data=form_of(
            kaz,
            need_line_id=line,
            quantity="1",
            arrival_at=(utcnow() + timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert offered.status_code == 303, offered.text
    too_many = await kaz.client.post(
        f"{page_path}/offers",
        data=form_of(
            kaz,
            need_line_id=line,
            quantity="5",
            arrival_at=(utcnow() + timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert too_many.status_code == 422
    assert 'data-field="quantity"' in too_many.text

    own = await tjk.get(page_path)
    assert "Accept provisionally" in own.text and 'data-testid="offer-form"' not in own.text
    offer_id = re.search(r'name="offer_id" value="([0-9a-f-]{36})"', own.text).group(1)
    accepted = await tjk.client.post(
        f"{page_path}/answers", data=form_of(tjk, offer_id=offer_id, response="accepted")
    )
    assert accepted.status_code == 303
    after = await tjk.get(page_path)
    gap = re.search(r'data-testid="gap">(\d+)<', after.text).group(1)
    assert gap == "1"
    deployment = re.search(r'href="(/assistance/deployments/[0-9a-f-]{36})"', after.text).group(1)

    form = await kaz.get(deployment)
    assert 'data-testid="deployment-form"' in form.text
    moved = await kaz.client.post(
        deployment,
        data=form_of(kaz, version="1", status="en_route", latitude="40.1", longitude="71.2"),
    )
    assert moved.status_code == 303, moved.text
    bad = await kaz.client.post(
        deployment, data=form_of(kaz, version="2", latitude="140", longitude="71.2")
    )
    assert bad.status_code == 422 and "position.latitude" in bad.text
    assert "en_route" in (await tjk.get(deployment)).text

    overview = await kaz.get("/assistance")
    assert "Two rescue teams" in overview.text and "Almaty" in overview.text


async def test_what_must_not_be_shown(scene):
    app, crisis_id, a = scene
    body = request_body(crisis_id, classification="CONFIDENTIAL", releasable_to=["KAZ"])
    request = (await a["tjk"].post("/api/v1/assistance-requests", body)).json()
    path = f"/assistance/requests/{request['id']}"
    assert (await a["arm"].get(path)).status_code == 404
    assert request["title"] not in (await a["arm"].get("/assistance")).text
    page = await a["kaz"].get(path)
    assert 'data-classification="CONFIDENTIAL"' in page.text
    line = request["need_lines"][0]["id"]
    offer = (await a["kaz"].post("/api/v1/offers", offer_body(line))).json()
    async with AsyncExitStack() as stack:
        other_kaz = await actor(stack, app, "KAZ", ["analyst"], "RESTRICTED")
        assert (await other_kaz.get(path)).status_code == 404
    assert offer["id"] in (await a["tjk"].get(path)).text


async def test_a_refused_request_form_keeps_what_was_typed(scene):
    app, crisis_id, a = scene
    tjk = a["tjk"]
    answer = await tjk.client.post(
        "/assistance/requests/new",
        data=form_of(
            tjk,
            crisis_id=str(crisis_id),
            title="Pumps",
            contact="desk",
            capability_0="high_capacity_pumping",
            quantity_0="1",
            place_0="Kulob",
            latitude_0="99",
            longitude_0="70",
            needed_by_0=(utcnow() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert answer.status_code == 422
    assert 'data-field="need_lines.0.latitude"' in answer.text
    assert 'value="Kulob"' in answer.text
    assert await count_rows(app.state.db, AssistanceRequest) == 0
    async with client_on(app) as anonymous:
        assert (await anonymous.get("/capabilities")).status_code in (302, 303, 307)


async def test_smoke_on_postgresql(pg_client):
    app = pg_client.app
    crisis_id = await add_crisis(app.state.db)
    async with AsyncExitStack() as stack:
        tjk = await actor(stack, app, "TJK")
        kaz = await actor(stack, app, "KAZ")
        request = (await tjk.post("/api/v1/assistance-requests", request_body(crisis_id))).json()
        line = request["need_lines"][0]["id"]
        offer = (await kaz.post("/api/v1/offers", offer_body(line))).json()
        await tjk.post(f"/api/v1/offers/{offer['id']}/response", {"response": "accepted"})
        for path in ("/assistance", f"/assistance/requests/{request['id']}", "/capabilities"):
            assert (await kaz.get(path)).status_code == 200, path
        listed = (await kaz.get(f"/api/v1/assistance-requests?crisis_id={crisis_id}")).json()
        assert [item["id"] for item in listed["items"]] == [request["id"]]
        panel = (await kaz.get(f"/api/v1/assistance/crises/{crisis_id}")).json()
        assert panel["need_lines"][0]["accepted"] == 1


async def test_a_date_in_the_past_is_refused_on_the_request_form(scene):
    app, crisis_id, a = scene
    tjk = a["tjk"]
    answer = await tjk.client.post(
        "/assistance/requests/new",
        data=form_of(
            tjk,
            crisis_id=str(crisis_id),
            title="Pumps",
            contact="desk",
            capability_0="high_capacity_pumping",
            quantity_0="1",
            place_0="Kulob",
            needed_by_0=(utcnow() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert answer.status_code == 422
    assert 'data-field="need_lines.0.needed_by"' in answer.text
    assert "High-capacity pumping" in answer.text or "pumping" in answer.text
    assert await count_rows(app.state.db, AssistanceRequest) == 0
