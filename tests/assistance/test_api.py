"""The assistance API: requests, offers, answers and deployments, their rules and refusals."""

from __future__ import annotations

from contextlib import AsyncExitStack
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from accord.clock import utcnow
from accord.models import Event
from accord.models.assistance_request import AssistanceRequest
from accord.models.deployment import Deployment
from accord.models.offer import Offer
from accord.models.request_revision import RequestRevision
from tests.assistance.helpers import actor, add_crisis, offer_body, request_body
from tests.contract import assert_access_contract, count_rows


@pytest.fixture
async def scene(client):
    """Tajikistan asks; Kazakhstan and Russia offer; Armenia's analyst looks on."""
    app = client.app
    async with AsyncExitStack() as stack:
        crisis_id = await add_crisis(app.state.db)
        actors = {
            "tjk": await actor(stack, app, "TJK"),
            "kaz": await actor(stack, app, "KAZ"),
            "rus": await actor(stack, app, "RUS"),
            "arm": await actor(stack, app, "ARM", ["analyst"]),
            "org": await actor(stack, app, "ORG", ["secretariat"], "SECRET"),
        }
        yield app, crisis_id, actors


async def post_request(tjk, crisis_id, **overrides):
    answer = await tjk.post("/api/v1/assistance-requests", request_body(crisis_id, **overrides))
    assert answer.status_code == 201, answer.text
    return answer.json()


async def test_request_offer_accept_deploy(scene):
    app, crisis_id, a = scene
    request = await post_request(a["tjk"], crisis_id)
    assert request["status"] == "open" and request["revision"] == 1 and not request["lapsed"]
    assert [line["capability"] for line in request["need_lines"]] == [
        "usar_medium",
        "field_hospital",
    ]
    rescue, hospital = (line["id"] for line in request["need_lines"])

    seen = await a["kaz"].get(f"/api/v1/assistance-requests/{request['id']}")
    assert seen.status_code == 200
    offer = await a["kaz"].post("/api/v1/offers", offer_body(rescue))
    assert offer.status_code == 201, offer.text
    offer = offer.json()
    assert offer["status"] == "offered" and offer["owner"] == "KAZ"
    assert sorted(offer["releasable_to"]) == ["ORG", "TJK"]
    hospital_offer = (await a["rus"].post("/api/v1/offers", offer_body(hospital))).json()

    accepted = await a["tjk"].post(
        f"/api/v1/offers/{offer['id']}/response", {"response": "accepted", "note": "welcome"}
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    deployment_id = accepted.json()["deployment_id"]
    assert deployment_id
    provisional = await a["tjk"].post(
        f"/api/v1/offers/{hospital_offer['id']}/response", {"response": "provisional"}
    )
    assert provisional.json()["status"] == "provisional"

    deployment = (await a["kaz"].get(f"/api/v1/deployments/{deployment_id}")).json()
    assert deployment["status"] == "accepted" and deployment["quantity"] == 1
    for status in ("mobilising", "en_route"):
        moved = await a["kaz"].patch(
            f"/api/v1/deployments/{deployment_id}",
            {
                "version": deployment["version"],
                "status": status,
                "position": {"longitude": 71.4, "latitude": 41.2},
            },
        )
        assert moved.status_code == 200, moved.text
        deployment = moved.json()
    assert deployment["status"] == "en_route" and deployment["latitude"] == 41.2

    panel = (await a["tjk"].get(f"/api/v1/assistance/crises/{crisis_id}")).json()
    lines = {line["capability"]: line for line in panel["need_lines"]}
    assert (lines["usar_medium"]["requested"], lines["usar_medium"]["offered"]) == (2, 1)
    assert (lines["usar_medium"]["accepted"], lines["usar_medium"]["gap"]) == (1, 1)
    assert lines["field_hospital"]["offered"] == 1 and lines["field_hospital"]["gap"] == 1
    assert [d["status"] for d in panel["deployments"]] == ["en_route"]

    async with app.state.db.transaction() as session:
        kinds = list(
            (await session.execute(select(Event.kind).order_by(Event.at, Event.kind))).scalars()
        )
    for kind in (
        "assistance.requested",
        "assistance.offered",
        "assistance.offer_accepted",
        "assistance.offer_provisional",
        "deployment.status_changed",
    ):
        assert kind in kinds


async def test_a_deployment_moves_only_through_the_workflow(scene):
    _app, crisis_id, a = scene
    request = await post_request(a["tjk"], crisis_id)
    line = request["need_lines"][0]["id"]
    offer = (await a["kaz"].post("/api/v1/offers", offer_body(line))).json()
    answer = await a["tjk"].post(f"/api/v1/offers/{offer['id']}/response", {"response": "accepted"})
    deployment_id = answer.json()["deployment_id"]
    jump = await a["kaz"].patch(
        f"/api/v1/deployments/{deployment_id}", {"version": 1, "status": "deployed"}
    )
    assert jump.status_code == 409
    assert "'accepted'" in jump.json()["error"]["message"]
    assert "'deployed'" in jump.json()["error"]["message"]
    by_requester = await a["tjk"].patch(
        f"/api/v1/deployments/{deployment_id}", {"version": 1, "status": "mobilising"}
    )
    assert by_requester.status_code == 403
    off_map = await a["kaz"].patch(
        f"/api/v1/deployments/{deployment_id}",
        {"version": 1, "position": {"longitude": 200, "latitude": 10}},
    )
    assert off_map.status_code == 422
    assert off_map.json()["error"]["field"] == "position.longitude"
    stale = await a["kaz"].patch(
        f"/api/v1/deployments/{deployment_id}", {"version": 7, "status": "mobilising"}
    )
    assert stale.status_code == 409


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"need_lines": []}, "need_lines"),
        ({"crisis_id": "not-a-uuid"}, "crisis_id"),
        ({"title": ""}, "title"),
    ],
)
async def test_malformed_requests_are_refused(scene, change, field):
    app, crisis_id, a = scene
    body = {**request_body(crisis_id), **change}
    answer = await a["tjk"].post("/api/v1/assistance-requests", body)
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == field
    assert await count_rows(app.state.db, AssistanceRequest) == 0


async def test_bad_need_lines_are_refused_naming_the_field(scene):
    app, crisis_id, a = scene
    past = (utcnow() - timedelta(hours=1)).isoformat()
    cases = [
        ({"longitude": 181.0}, "need_lines.0.longitude"),
        ({"latitude": -91.0}, "need_lines.0.latitude"),
        ({"needed_by": past}, "need_lines.0.needed_by"),
        ({"quantity": 0}, "need_lines.0.quantity"),
        ({"capability": "unicorns"}, "need_lines.0.capability"),
        ({"latitude": None}, "need_lines.0.longitude"),
    ]
    for change, field in cases:
        body = request_body(crisis_id)
        body["need_lines"][0].update(change)
        answer = await a["tjk"].post("/api/v1/assistance-requests", body)
        assert answer.status_code == 422, (change, answer.text)
        assert answer.json()["error"]["field"] == field, change
    assert await count_rows(app.state.db, AssistanceRequest) == 0
    assert await count_rows(app.state.db, RequestRevision) == 0


async def test_only_an_affected_states_duty_officer_asks(scene):
    app, crisis_id, a = scene
    by_kazakhstan = await a["kaz"].post("/api/v1/assistance-requests", request_body(crisis_id))
    assert by_kazakhstan.status_code == 403
    by_analyst = await a["arm"].post("/api/v1/assistance-requests", request_body(crisis_id))
    assert by_analyst.status_code == 403
    closed = await add_crisis(app.state.db, level="closed")
    on_closed = await a["tjk"].post("/api/v1/assistance-requests", request_body(closed))
    assert on_closed.status_code == 409
    assert await count_rows(app.state.db, AssistanceRequest) == 0


async def test_offer_refusals(scene):
    app, crisis_id, a = scene
    request = await post_request(a["tjk"], crisis_id)
    line = request["need_lines"][0]["id"]
    too_many = await a["kaz"].post("/api/v1/offers", offer_body(line, quantity=3))
    assert too_many.status_code == 422 and too_many.json()["error"]["field"] == "quantity"
    own = await a["tjk"].post("/api/v1/offers", offer_body(line))
    assert own.status_code == 403
    late = await a["kaz"].post(
        "/api/v1/offers",
        offer_body(line, arrival_at=(utcnow() - timedelta(hours=2)).isoformat()),
    )
    assert late.status_code == 422 and late.json()["error"]["field"] == "arrival_at"
    by_analyst = await a["arm"].post("/api/v1/offers", offer_body(line))
    assert by_analyst.status_code == 403

    closed = await a["tjk"].patch(
        f"/api/v1/assistance-requests/{request['id']}", {"version": 1, "status": "closed"}
    )
    assert closed.status_code == 200, closed.text
    on_closed = await a["kaz"].post("/api/v1/offers", offer_body(line))
    assert on_closed.status_code == 409
    assert await count_rows(app.state.db, Offer) == 0


async def test_offers_may_exceed_a_need_but_acceptances_may_not(scene):
    app, crisis_id, a = scene
    request = await post_request(a["tjk"], crisis_id)
    hospital = request["need_lines"][1]["id"]  # one field hospital
    first = (await a["kaz"].post("/api/v1/offers", offer_body(hospital))).json()
    second = (await a["rus"].post("/api/v1/offers", offer_body(hospital))).json()
    assert first["status"] == second["status"] == "offered"

    ok = await a["tjk"].post(f"/api/v1/offers/{first['id']}/response", {"response": "accepted"})
    assert ok.status_code == 200
    twice = await a["tjk"].post(f"/api/v1/offers/{first['id']}/response", {"response": "accepted"})
    assert twice.status_code == 409
    beyond = await a["tjk"].post(
        f"/api/v1/offers/{second['id']}/response", {"response": "accepted"}
    )
    assert beyond.status_code == 409
    assert "exceed" in beyond.json()["error"]["message"]
    by_offerer = await a["rus"].post(
        f"/api/v1/offers/{second['id']}/response", {"response": "declined"}
    )
    assert by_offerer.status_code == 403
    declined = await a["tjk"].post(
        f"/api/v1/offers/{second['id']}/response", {"response": "declined", "note": "covered"}
    )
    assert declined.json()["status"] == "declined"
    assert await count_rows(app.state.db, Deployment) == 1


async def test_who_sees_requests_offers_and_deployments(scene):
    app, crisis_id, a = scene
    async with AsyncExitStack() as stack:
        kgz_low = await actor(stack, app, "KGZ", ["analyst"], clearance="PUBLIC")
        request = await post_request(
            a["tjk"], crisis_id, classification="CONFIDENTIAL", releasable_to=["KAZ", "RUS", "ORG"]
        )
        path = f"/api/v1/assistance-requests/{request['id']}"
        assert (await a["arm"].get(path)).status_code == 404
        assert (await kgz_low.get(path)).status_code == 404
        assert (await a["org"].get(path)).status_code == 200
        listed = (await a["arm"].get("/api/v1/assistance-requests")).json()
        assert listed["items"] == []
        line = request["need_lines"][0]["id"]
        offer = (await a["kaz"].post("/api/v1/offers", offer_body(line))).json()
        # Russia sees the request, not Kazakhstan's offer.
        assert (await a["rus"].get(f"/api/v1/offers/{offer['id']}")).status_code == 404
        assert (await a["rus"].get("/api/v1/offers")).json()["items"] == []
        assert (await a["tjk"].get(f"/api/v1/offers/{offer['id']}")).status_code == 200
        assert (await a["org"].get(f"/api/v1/offers/{offer['id']}")).status_code == 200
        rus_panel = (await a["rus"].get(f"/api/v1/assistance/crises/{crisis_id}")).json()
        assert rus_panel["need_lines"][0]["offered"] == 0
        tjk_panel = (await a["tjk"].get(f"/api/v1/assistance/crises/{crisis_id}")).json()
        assert tjk_panel["need_lines"][0]["offered"] == 1
        arm_panel = (await a["arm"].get(f"/api/v1/assistance/crises/{crisis_id}")).json()
        assert arm_panel["need_lines"] == []
        answer = await a["tjk"].post(
            f"/api/v1/offers/{offer['id']}/response", {"response": "accepted"}
        )
        deployment = answer.json()["deployment_id"]
        # The deployment goes to everyone who may see the request, and to nobody else.
        assert (await a["rus"].get(f"/api/v1/deployments/{deployment}")).status_code == 200
        # Its offer stays hidden from Russia, but the deployment already tells it was made.
        rus_line = (await a["rus"].get(f"/api/v1/assistance/crises/{crisis_id}")).json()[
            "need_lines"
        ][0]
        assert (rus_line["offered"], rus_line["accepted"]) == (1, 1)
        assert (await a["rus"].get(f"/api/v1/offers/{offer['id']}")).status_code == 404
        assert (await a["arm"].get(f"/api/v1/deployments/{deployment}")).status_code == 404
        assert (await a["arm"].get("/api/v1/deployments")).json()["items"] == []


async def test_changes_raise_the_revision_and_offerers_see_what_changed(scene):
    app, crisis_id, a = scene
    request = await post_request(a["tjk"], crisis_id)
    rescue, hospital = request["need_lines"]
    offer = (await a["kaz"].post("/api/v1/offers", offer_body(rescue["id"]))).json()
    assert offer["request_revision"] == 1
    lines = [
        {**{k: rescue[k] for k in ("id", "capability", "place", "needed_by")}, "quantity": 3},
        {
            "capability": "water_purification",
            "quantity": 1,
            "place": "Gharm",
            "needed_by": hospital["needed_by"],
        },
    ]
    changed = await a["tjk"].patch(
        f"/api/v1/assistance-requests/{request['id']}",
        {"version": request["version"], "contact": "new desk", "need_lines": lines},
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["revision"] == 2
    statuses = {line["capability"]: line["status"] for line in body["need_lines"]}
    assert statuses == {
        "usar_medium": "open",
        "field_hospital": "cancelled",
        "water_purification": "open",
    }
    since = await a["kaz"].get(
        f"/api/v1/assistance-requests/{request['id']}/revisions?since={offer['request_revision']}"
    )
    (revision,) = since.json()
    fields = {change["field"] for change in revision["changes"]}
    assert {"contact", "need_line_changed", "need_line_added", "need_line_cancelled"} <= fields
    stale = await a["tjk"].patch(
        f"/api/v1/assistance-requests/{request['id']}", {"version": 1, "title": "again"}
    )
    assert stale.status_code == 409
    assert await count_rows(app.state.db, RequestRevision) == 2


async def test_a_request_lapses_after_90_days_and_is_renewed(scene):
    app, crisis_id, a = scene
    request = await post_request(a["tjk"], crisis_id)
    line = request["need_lines"][0]["id"]
    path = f"/api/v1/assistance-requests/{request['id']}"
    # 91 days later, as far as the request knows (a frozen clock would end the login too).
    async with app.state.db.transaction() as session:
        await session.execute(
            update(AssistanceRequest).values(expires_at=utcnow() - timedelta(days=1))
        )
    lapsed = (await a["kaz"].get(path)).json()
    assert lapsed["lapsed"] is True
    listed = await a["kaz"].get("/api/v1/assistance-requests?status=lapsed")
    assert [item["id"] for item in listed.json()["items"]] == [request["id"]]
    refused = await a["kaz"].post(
        "/api/v1/offers",
        offer_body(line, arrival_at=(utcnow() + timedelta(hours=5)).isoformat()),
    )
    assert refused.status_code == 409 and "lapsed" in refused.json()["error"]["message"]
    renewed = await a["tjk"].post(f"{path}/renew", {"version": lapsed["version"]})
    assert renewed.status_code == 200, renewed.text
    assert renewed.json()["lapsed"] is False and renewed.json()["revision"] == 2
    assert (
        await a["kaz"].post(
            "/api/v1/offers",
            offer_body(line, arrival_at=(utcnow() + timedelta(hours=5)).isoformat()),
        )
    ).status_code == 201


async def test_matches_show_the_viewers_own_holdings(scene):
    _app, crisis_id, a = scene
    held = await a["kaz"].post(
        "/api/v1/capabilities",
        {"capability": "usar_medium", "quantity": 1, "readiness_hours": 12, "home_base": "Almaty"},
    )
    assert held.status_code == 201, held.text
    await a["rus"].post(
        "/api/v1/capabilities",
        {"capability": "field_hospital", "quantity": 2, "readiness_hours": 24},
    )
    request = await post_request(a["tjk"], crisis_id)
    kaz = (await a["kaz"].get(f"/api/v1/assistance-requests/{request['id']}/matches")).json()
    assert [(m["capability"], m["home_base"]) for m in kaz["items"]] == [("usar_medium", "Almaty")]
    rus = (await a["rus"].get(f"/api/v1/assistance-requests/{request['id']}/matches")).json()
    assert [m["capability"] for m in rus["items"]] == ["field_hospital"]


async def test_the_register(scene):
    _app, _crisis_id, a = scene
    bad = await a["kaz"].post(
        "/api/v1/capabilities",
        {"capability": "usar_medium", "quantity": 1, "readiness_hours": 1, "latitude": 95.0},
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "latitude"
    made = (
        await a["kaz"].post(
            "/api/v1/capabilities",
            {"capability": "medical_team", "quantity": 2, "readiness_hours": 6},
        )
    ).json()
    path = f"/api/v1/capabilities/{made['id']}"
    assert (await a["rus"].patch(path, {"version": 1, "quantity": 5})).status_code == 403
    changed = await a["kaz"].patch(path, {"version": 1, "quantity": 5})
    assert changed.json()["quantity"] == 5 and changed.json()["version"] == 2
    assert (await a["kaz"].patch(path, {"version": 1, "quantity": 4})).status_code == 409
    mine = (await a["kaz"].get("/api/v1/capabilities?owner=KAZ")).json()["items"]
    assert [item["id"] for item in mine] == [made["id"]]
    assert (await a["kaz"].call("DELETE", path)).status_code == 204
    assert (await a["kaz"].get(path)).status_code == 404


async def test_the_catalogue(scene, client):
    app, _crisis_id, a = scene
    listed = (await a["kaz"].get("/api/v1/capabilities/catalogue")).json()["items"]
    assert "usar_medium" in {entry["code"] for entry in listed}
    body = {
        "code": "mine_clearance",
        "names": {"en": "Mine clearance", "ru": "Разминирование"},
        "category": "military",
        "unit": "team",
    }
    assert (await a["kaz"].post("/api/v1/capabilities/catalogue", body)).status_code == 403
    async with AsyncExitStack() as stack:
        admin = await actor(stack, app, "ORG", ["admin"], "SECRET")
        made = await admin.post("/api/v1/capabilities/catalogue", body)
        assert made.status_code == 201, made.text
        again = await admin.post("/api/v1/capabilities/catalogue", body)
        assert again.status_code == 409
        off = await admin.patch("/api/v1/capabilities/catalogue/mine_clearance", {"active": False})
        assert off.json()["active"] is False
    refused = await a["kaz"].post(
        "/api/v1/capabilities",
        {"capability": "mine_clearance", "quantity": 1, "readiness_hours": 1},
    )
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "capability"


async def test_not_logged_in_gets_401(client):
    for path in (
        "/api/v1/assistance-requests",
        "/api/v1/offers",
        "/api/v1/deployments",
        "/api/v1/capabilities",
        "/api/v1/capabilities/catalogue",
    ):
        assert (await client.get(path)).status_code == 401


async def test_access_contract_of_the_register_and_the_catalogue(client):
    await assert_access_contract(
        client,
        "POST",
        "/api/v1/capabilities",
        json={"capability": "medical_team", "quantity": 1, "readiness_hours": 4},
        allowed_roles=("duty_officer",),
    )
    await assert_access_contract(
        client,
        "POST",
        "/api/v1/capabilities/catalogue",
        json={"code": "sandbag_team", "names": {"en": "Sandbags"}, "category": "flood"},
        allowed_roles=("admin",),
    )


async def test_a_cancelled_need_line_takes_no_acceptance(scene):
    _app, crisis_id, a = scene
    request = await post_request(a["tjk"], crisis_id)
    rescue, hospital = request["need_lines"]
    offer = (await a["kaz"].post("/api/v1/offers", offer_body(hospital["id"]))).json()
    keep = {k: rescue[k] for k in ("id", "capability", "quantity", "place", "needed_by")}
    dropped = await a["tjk"].patch(
        f"/api/v1/assistance-requests/{request['id']}",
        {"version": request["version"], "need_lines": [keep]},
    )
    assert dropped.status_code == 200, dropped.text
    refused = await a["tjk"].post(
        f"/api/v1/offers/{offer['id']}/response", {"response": "accepted"}
    )
    assert refused.status_code == 409
    declined = await a["tjk"].post(
        f"/api/v1/offers/{offer['id']}/response", {"response": "declined"}
    )
    assert declined.status_code == 200
