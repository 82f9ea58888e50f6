"""The requester changes a request on its edit page; offering states read what changed."""

from __future__ import annotations

import re
from contextlib import AsyncExitStack
from datetime import timedelta

import pytest

from accord.clock import utcnow
from accord.models.event import Event
from accord.models.need_line import NeedLine
from tests.assistance.helpers import actor, add_crisis, offer_body, request_body
from tests.contract import count_rows


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
        body = request_body(crisis_id, releasable_to=["KAZ", "ORG"])
        posted = (await actors["tjk"].post("/api/v1/assistance-requests", body)).json()
        yield app, posted, actors


def edit_form(actor, page: str, **changes: str) -> dict[str, str]:
    """The edit form as the browser would send it, with ``changes`` typed over it."""
    values = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name is None or ('type="checkbox"' in tag and " checked" not in tag):
            continue
        values[name.group(1)] = value.group(1) if value else ""
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', page):
        values[name] = text
    values.update(changes, csrf_token=actor.csrf)
    return values


def later(**delta: int) -> str:
    return (utcnow() + timedelta(**delta)).strftime("%Y-%m-%dT%H:%M")


async def test_a_change_makes_a_revision_and_the_offering_state_sees_what_changed(scene):
    _app, posted, a = scene
    tjk, kaz = a["tjk"], a["kaz"]
    path = f"/assistance/requests/{posted['id']}"
    rescue = posted["need_lines"][0]["id"]
    await kaz.post("/api/v1/offers", offer_body(rescue))
    assert 'data-testid="changes-since-offer"' not in (await kaz.get(path)).text

    page = await tjk.get(path)
    assert f'href="{path}/edit"' in page.text
    form = await tjk.get(f"{path}/edit")
    assert form.status_code == 200
    assert 'data-classification="RESTRICTED"' in form.text
    assert form.text.count('name="line_') > 0 and 'name="new_0_capability"' in form.text
    values = edit_form(
        tjk,
        form.text,
        line_0_quantity="3",
        line_0_place="Gharm, north",
        new_0_capability="water_purification",
        new_0_quantity="1",
        new_0_place="Rasht",
        new_0_needed_by=later(days=3),
    )
    assert values["line_0_id"] == rescue
    saved = await tjk.client.post(f"{path}/edit", data=values)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == f"{path}?saved=revised"

    record = (await tjk.get(f"/api/v1/assistance-requests/{posted['id']}")).json()
    assert record["revision"] == 2
    lines = {line["capability"]: line for line in record["need_lines"]}
    assert lines["usar_medium"]["quantity"] == 3 and lines["usar_medium"]["place"] == "Gharm, north"
    assert lines["water_purification"]["place"] == "Rasht"
    # The untouched line keeps its exact date, to the microsecond.
    assert lines["field_hospital"]["needed_by"] == posted["need_lines"][1]["needed_by"]

    seen = (await kaz.get(path)).text
    changes = re.search(r'data-testid="changes-since-offer">(.*?)</section>', seen, re.S).group(1)
    assert "What changed since your offer (revision 1)" in changes
    assert "Need changed" in changes and "Urban search and rescue, medium" in changes
    assert "<del>2</del> → <ins>3</ins>" in changes
    assert "<del>Gharm</del> → <ins>Gharm, north</ins>" in changes
    assert "Need added" in changes and "Water purification" in changes
    assert "Field hospital" not in changes
    assert 'data-testid="changes-since-offer"' not in (await tjk.get(path)).text
    notified = (await kaz.get("/api/v1/notifications")).json()["items"]
    assert any(item["params"].get("revision") == 2 for item in notified)


async def test_a_cancelled_line_and_a_renewal_read_in_words(scene):
    _app, posted, a = scene
    tjk, kaz = a["tjk"], a["kaz"]
    path = f"/assistance/requests/{posted['id']}"
    await kaz.post("/api/v1/offers", offer_body(posted["need_lines"][0]["id"]))
    form = await tjk.get(f"{path}/edit")
    saved = await tjk.client.post(f"{path}/edit", data=edit_form(tjk, form.text, line_1_cancel="1"))
    assert saved.status_code == 303, saved.text
    seen = (await kaz.get(path)).text
    assert "Need cancelled" in seen and "Field hospital × 1 · Gharm" in seen


async def test_refused_changes_change_nothing_and_point_at_the_field(scene):
    app, posted, a = scene
    tjk = a["tjk"]
    path = f"/assistance/requests/{posted['id']}"
    form = (await tjk.get(f"{path}/edit")).text
    events = await count_rows(app.state.db, Event)
    lines = await count_rows(app.state.db, NeedLine)

    past = await tjk.client.post(
        f"{path}/edit",
        data=edit_form(
            tjk,
            form,
            new_1_capability="medical_team",
            new_1_quantity="2",
            new_1_place="Kulob",
            new_1_needed_by=(utcnow() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert past.status_code == 422
    assert 'data-field="need_lines.2.needed_by"' in past.text
    assert re.search(r'name="new_1_needed_by"[^>]*aria-invalid="true"', past.text)
    assert 'value="Kulob"' in past.text  # what was typed stays

    latitude = await tjk.client.post(
        f"{path}/edit", data=edit_form(tjk, form, line_0_latitude="99")
    )
    assert latitude.status_code == 422
    assert re.search(r'name="line_0_latitude"[^>]*aria-invalid="true"', latitude.text)

    everything = await tjk.client.post(
        f"{path}/edit", data=edit_form(tjk, form, line_0_cancel="1", line_1_cancel="1")
    )
    assert everything.status_code == 422 and 'data-field="need_lines"' in everything.text

    stale = await tjk.client.post(
        f"{path}/edit", data=edit_form(tjk, form, version="7", line_0_quantity="4")
    )
    assert stale.status_code == 409 and 'data-field="version"' in stale.text

    record = (await tjk.get(f"/api/v1/assistance-requests/{posted['id']}")).json()
    assert record["revision"] == 1 and record["need_lines"][0]["quantity"] == 2
    assert await count_rows(app.state.db, Event) == events
    assert await count_rows(app.state.db, NeedLine) == lines


async def test_only_the_requesting_state_edits(scene):
    _app, posted, a = scene
    path = f"/assistance/requests/{posted['id']}/edit"
    assert (await a["kaz"].get(path)).status_code == 403
    assert "/edit" not in (await a["kaz"].get(path.removesuffix("/edit"))).text
    refused = await a["kaz"].client.post(path, data={"csrf_token": a["kaz"].csrf, "version": "1"})
    assert refused.status_code == 403
    assert (await a["arm"].get(path)).status_code == 404
    assert (await a["arm"].client.post(path, data={"csrf_token": a["arm"].csrf})).status_code == 404
    assert (await a["tjk"].get("/assistance/requests/not-an-id/edit")).status_code == 404


async def test_an_untouched_form_changes_nothing(scene):
    app, _posted, a = scene
    tjk = a["tjk"]
    body = request_body(
        (await tjk.get("/api/v1/assistance-requests")).json()["items"][0]["crisis_id"]
    )
    body["need_lines"][0].update(longitude=68.79700000000001, latitude=38.569800000000004)
    posted = (await tjk.post("/api/v1/assistance-requests", body)).json()
    path = f"/assistance/requests/{posted['id']}"
    form = (await tjk.get(f"{path}/edit")).text
    assert 'value="68.797"' in form
    events = await count_rows(app.state.db, Event)
    saved = await tjk.client.post(f"{path}/edit", data=edit_form(tjk, form))
    assert saved.headers["location"] == f"{path}?saved=unchanged"
    record = (await tjk.get(f"/api/v1/assistance-requests/{posted['id']}")).json()
    assert record["revision"] == 1 and record["need_lines"] == posted["need_lines"]
    assert await count_rows(app.state.db, Event) == events
