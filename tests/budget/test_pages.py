"""The /budget page: the summary with arrears, scales, and the secretariat's forms."""

from __future__ import annotations

import re

from tests.factories import add_user, login


async def logged_in(client, **user) -> str:
    overrides = {"state": "ORG", "roles": ["secretariat"], "clearance": "SECRET", **user}
    created = await add_user(client.app.state.db, **overrides)
    await login(client, created.username)
    page = await client.get("/budget")
    assert page.status_code == 200
    return re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)


async def test_the_secretariat_stores_a_scale_a_budget_and_a_payment(client):
    csrf = await logged_in(client)
    shares = {
        "share_ARM": "10",
        "share_BLR": "15",
        "share_KAZ": "20",
        "share_KGZ": "5",
        "share_RUS": "45",
        "share_TJK": "5",
    }
    answer = await client.post(
        "/budget/scales", data={"csrf_token": csrf, "year": "2024", **shares}
    )
    assert answer.status_code == 303, answer.text
    answer = await client.post(
        "/budget/years",
        data={
            "csrf_token": csrf,
            "year": "2024",
            "amount": "1000",
            "currency": "RUB",
            "decision_id": "",
            "states_bound": ["ARM", "BLR", "KAZ", "KGZ", "RUS"],
            "unbound_share": "left",
        },
    )
    assert answer.status_code == 303, answer.text
    answer = await client.post(
        "/budget/payments",
        data={
            "csrf_token": csrf,
            "year": "2024",
            "state": "ARM",
            "amount": "40",
            "currency": "RUB",
            "rate": "",
            "paid_on": "2024-05-01",
        },
    )
    assert answer.status_code == 303, answer.text
    page = await client.get("/budget")
    row = re.search(r'<tr data-year="2024" data-state="ARM"[^>]*>(.*?)</tr>', page.text, re.S)
    assert "<td data-arrears>60.00</td>" in row.group(1)
    assert 'data-classification="RESTRICTED"' in page.text


async def test_shares_off_a_hundred_show_the_reason(client):
    csrf = await logged_in(client)
    answer = await client.post(
        "/budget/scales", data={"csrf_token": csrf, "year": "2024", "share_ARM": "50"}
    )
    assert answer.status_code == 422
    assert 'data-field="shares"' in answer.text


async def test_others_see_no_forms_and_cannot_post(client):
    csrf = await logged_in(client, state="KAZ", roles=["analyst"], clearance="CONFIDENTIAL")
    page = await client.get("/budget")
    assert 'action="/budget/scales"' not in page.text
    answer = await client.post("/budget/scales", data={"csrf_token": csrf, "year": "2024"})
    assert answer.status_code == 403
