import re

from tests.council.helpers import (
    STATES,
    as_delegate,
    as_secretariat,
    as_user,
    open_draft,
    planned_session,
)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


async def test_the_secretariat_plans_a_session_and_records_attendance_on_the_pages(client):
    await as_secretariat(client)
    page = await client.get("/council")
    assert page.status_code == 200
    token = csrf_of(page.text)
    planned = await client.post(
        "/council/sessions",
        data={
            "csrf_token": token,
            "body": "csc",
            "title": "Next session",
            "kind": "regular",
            "format": "narrow",
            "year": "2031",
            "quarter": "4",
            "city": "Astana",
        },
    )
    assert planned.status_code == 303, planned.text
    target = planned.headers["location"]
    shown = await client.get(target)
    assert "Q4 2031" in shown.text
    recorded = await client.post(
        target.split("?")[0] + "/attendance",
        data={"csrf_token": token, "state": "ARM", "status": "declined"},
    )
    assert recorded.status_code == 303
    shown = await client.get(recorded.headers["location"])
    assert 'data-state="ARM" data-attendance="declined"' in shown.text
    refused = await client.post(
        target.split("?")[0] + "/attendance",
        data={"csrf_token": token, "state": "TJK", "status": "represented"},
    )
    assert refused.status_code == 422
    assert "plenipotentiary" in refused.text


async def test_a_delegate_records_support_on_the_decision_page(client):
    decision = await open_draft(client)
    await as_delegate(client, "KAZ")
    page = await client.get(f"/council/decisions/{decision['id']}")
    assert page.status_code == 200
    assert 'id="position-form"' in page.text
    posted = await client.post(
        f"/council/decisions/{decision['id']}/positions",
        data={"csrf_token": csrf_of(page.text), "position": "support"},
    )
    assert posted.status_code == 303
    shown = await client.get(posted.headers["location"])
    assert 'data-state="KAZ" data-position="support"' in shown.text


async def test_the_outcome_and_the_states_bound_show_on_the_decision_page(client):
    decision = await open_draft(client)
    for state in STATES:
        await as_delegate(client, state)
    headers = await as_secretariat(client)
    await client.post(f"/api/v1/decisions/{decision['id']}/close", headers=headers)
    page = await client.get(f"/council/decisions/{decision['id']}")
    assert "adopted: no objection among 6 eligible members" in page.text
    assert 'data-testid="states-bound"' in page.text


async def test_a_hidden_session_is_not_found_and_analysts_see_no_forms(client):
    record = await planned_session(client, releasable_to=["ORG", "KAZ"])
    await as_user(client, "blr.an", state="BLR", roles=["analyst"])
    assert (await client.get(f"/council/sessions/{record['id']}")).status_code == 404
    assert "Next" not in (await client.get("/council")).text
    await as_user(client, "kaz.an", state="KAZ", roles=["analyst"])
    page = await client.get(f"/council/sessions/{record['id']}")
    assert page.status_code == 200
    assert 'id="attendance-form"' not in page.text


async def test_the_council_pages_send_visitors_to_the_login_page(client):
    answer = await client.get("/council")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")
