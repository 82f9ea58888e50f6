"""EDXL-RM export: each message valid against the shipped schema, and only what the caller sees."""

from __future__ import annotations

from contextlib import AsyncExitStack
from datetime import UTC, datetime

import pytest
from lxml import etree

from accord.interop.edxl.render import (
    MSG,
    RM,
    Message,
    Place,
    ResourceItem,
    Schedule,
    render,
    schema,
)
from tests.assistance.helpers import actor, add_crisis, offer_body, request_body

NS = {"m": MSG, "rm": RM}


def parse(document: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(document, parser)
    schema().assertValid(root)
    return root


def test_render_is_valid_and_uses_the_namespaces():
    message = Message(
        kind="RequestResource",
        message_id="urn:accord:request:1:1",
        sent=datetime(2026, 11, 27, 8, 0, 0, 123, tzinfo=UTC),
        description="Rescue",
        contact="TJK: desk",
        contact_role="Requester",
        items=[
            ResourceItem(
                element_id="a",
                capability="usar_medium",
                name="Urban search and rescue, medium",
                quantity=2,
                schedules=[Schedule("RequestedArrival", None, Place("Gharm", 70.4, 39.0))],
            )
        ],
    )
    root = parse(render(message))
    assert root.tag == f"{{{MSG}}}RequestResource"
    assert root.findtext("m:SentDateTime", namespaces=NS) == "2026-11-27T08:00:00+00:00"
    amount = (
        "m:ResourceInformation/m:AssignmentInformation/m:Quantity/rm:MeasuredQuantity/rm:Amount"
    )
    assert root.findtext(amount, namespaces=NS) == "2"


def test_the_schema_refuses_what_the_standard_forbids():
    message = Message(
        kind="ResponseToRequestResource",
        message_id="x",
        sent=datetime(2026, 1, 1, tzinfo=UTC),
        description="",
        contact="KAZ",
        contact_role="Responder",
        items=[ResourceItem("1", "usar_medium", "x", 1, response_to="a", response_type="Accept")],
    )
    root = etree.fromstring(render(message))
    root.find("m:ResourceInformation/m:ResponseInformation/rm:ResponseType", NS).text = "Maybe"
    assert not schema().validate(root)
    with pytest.raises(ValueError):
        render(
            Message(
                **{
                    **message.__dict__,
                    "items": [ResourceItem("1", "c", "x", 1, response_type="Maybe")],
                }
            )
        )


async def test_exports_over_the_api(client):
    app = client.app
    crisis_id = await add_crisis(app.state.db)
    async with AsyncExitStack() as stack:
        tjk = await actor(stack, app, "TJK")
        kaz = await actor(stack, app, "KAZ")
        rus = await actor(stack, app, "RUS")
        arm = await actor(stack, app, "ARM")
        body = request_body(crisis_id, releasable_to=["KAZ", "RUS", "ORG"])
        request = (await tjk.post("/api/v1/assistance-requests", body)).json()
        exported = await kaz.get(f"/api/v1/assistance-requests/{request['id']}/edxl")
        assert exported.status_code == 200
        assert exported.headers["content-type"].startswith("application/xml")
        root = parse(exported.content)
        assert root.tag == f"{{{MSG}}}RequestResource"
        assert len(root.findall("m:ResourceInformation", NS)) == 2
        assert (
            await arm.get(f"/api/v1/assistance-requests/{request['id']}/edxl")
        ).status_code == 404

        line = request["need_lines"][0]["id"]
        offer = (await kaz.post("/api/v1/offers", offer_body(line))).json()
        response = parse((await tjk.get(f"/api/v1/offers/{offer['id']}/edxl")).content)
        assert response.tag == f"{{{MSG}}}ResponseToRequestResource"
        kind = "m:ResourceInformation/m:ResponseInformation/rm:ResponseType"
        assert response.findtext(kind, namespaces=NS) == "Provisional"
        assert (await rus.get(f"/api/v1/offers/{offer['id']}/edxl")).status_code == 404

        answer = await tjk.post(f"/api/v1/offers/{offer['id']}/response", {"response": "accepted"})
        commit = parse((await kaz.get(f"/api/v1/offers/{offer['id']}/edxl")).content)
        assert commit.tag == f"{{{MSG}}}CommitResource"

        deployment = answer.json()["deployment_id"]
        await kaz.patch(
            f"/api/v1/deployments/{deployment}",
            {
                "version": 1,
                "status": "mobilising",
                "position": {"longitude": 76.9, "latitude": 43.2},
            },
        )
        report = parse((await rus.get(f"/api/v1/deployments/{deployment}/edxl")).content)
        assert report.tag == f"{{{MSG}}}ReportResourceDeploymentStatus"
        status = "m:ResourceInformation/m:Resource/m:ResourceStatus/m:DeploymentStatus/rm:Value"
        assert report.findtext(status, namespaces=NS) == "mobilising"
        assert (await arm.get(f"/api/v1/deployments/{deployment}/edxl")).status_code == 404
