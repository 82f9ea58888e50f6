"""The budget API: scales, adopted budgets, assessments, payments, arrears and exports."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from accord.models.budget_payment import BudgetPayment
from accord.models.budget_scale import BudgetScale
from accord.models.budget_year import BudgetYear
from tests.contract import assert_access_contract, client_on, count_rows
from tests.factories import add_user, login

SHARES_2024 = {
    "ARM": "8.5",
    "BLR": "15",
    "KAZ": "17.5",
    "KGZ": "5.25",
    "RUS": "50",
    "TJK": "3.75",
}
BOUND_2024 = ["ARM", "BLR", "KAZ", "KGZ", "RUS"]


async def secretariat(client) -> dict[str, str]:
    user = await add_user(
        client.app.state.db, state="ORG", roles=["secretariat"], clearance="SECRET"
    )
    return {"X-CSRF-Token": await login(client, user.username)}


async def setup_2024(client, headers, **budget) -> dict:
    answer = await client.post(
        "/api/v1/budget/scales", json={"year": 2024, "shares": SHARES_2024}, headers=headers
    )
    assert answer.status_code == 201, answer.text
    body = {"year": 2024, "amount": "1000000.00", "currency": "RUB", "states_bound": BOUND_2024}
    answer = await client.post("/api/v1/budget/years", json={**body, **budget}, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


async def test_only_the_secretariat_adds_a_scale(client):
    answer = await assert_access_contract(
        client,
        "POST",
        "/api/v1/budget/scales",
        json={"year": 2023, "shares": SHARES_2024},
        allowed_roles=("secretariat",),
    )
    assert answer.status_code == 201
    assert answer.json()["version"] == 1
    assert answer.json()["classification"] == "RESTRICTED"


async def test_a_new_scale_of_the_same_year_is_a_new_version(client):
    headers = await secretariat(client)
    for expected in (1, 2):
        answer = await client.post(
            "/api/v1/budget/scales", json={"year": 2024, "shares": SHARES_2024}, headers=headers
        )
        assert answer.json()["version"] == expected
    listed = (await client.get("/api/v1/budget/scales?year=2024")).json()
    assert [item["version"] for item in listed["items"]] == [2, 1]
    assert listed["next_cursor"] is None


async def test_shares_that_do_not_sum_to_a_hundred_are_refused_and_nothing_stored(client):
    headers = await secretariat(client)
    wrong = {**SHARES_2024, "TJK": "3.74"}
    answer = await client.post(
        "/api/v1/budget/scales", json={"year": 2024, "shares": wrong}, headers=headers
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "shares"
    assert "99.99" in answer.json()["error"]["message"]
    unknown = {**SHARES_2024, "XYZ": "0"}
    answer = await client.post(
        "/api/v1/budget/scales", json={"year": 2024, "shares": unknown}, headers=headers
    )
    assert answer.status_code == 422
    assert await count_rows(client.app.state.db, BudgetScale) == 0


async def test_a_state_not_bound_is_not_assessed_and_its_share_is_left(client):
    headers = await secretariat(client)
    budget = await setup_2024(client, headers)
    assessed = {row["state"]: row["assessed"] for row in budget["assessments"]}
    assert assessed == {
        "ARM": "85000.00",
        "BLR": "150000.00",
        "KAZ": "175000.00",
        "KGZ": "52500.00",
        "RUS": "500000.00",
        "TJK": "0.00",
    }
    assert budget["assessed_total"] == "962500.00"
    assert budget["unbound_share"] == "left"


async def test_redistributed_shares_add_up_to_the_budget_to_the_cent(client):
    headers = await secretariat(client)
    budget = await setup_2024(client, headers, amount="1000000.01", unbound_share="redistributed")
    assert budget["assessed_total"] == "1000000.01"
    assert {row["state"]: row["bound"] for row in budget["assessments"]}["TJK"] is False


async def test_a_year_has_one_budget_and_bad_input_changes_nothing(client):
    headers = await secretariat(client)
    await setup_2024(client, headers)
    again = {"year": 2024, "amount": "5", "currency": "RUB", "states_bound": BOUND_2024}
    answer = await client.post("/api/v1/budget/years", json=again, headers=headers)
    assert answer.status_code == 409
    no_scale = {**again, "year": 2030}
    answer = await client.post("/api/v1/budget/years", json=no_scale, headers=headers)
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "year"
    bad_currency = {**again, "year": 2024, "currency": "XAU"}
    answer = await client.post("/api/v1/budget/years", json=bad_currency, headers=headers)
    assert answer.json()["error"]["field"] == "currency"
    assert await count_rows(client.app.state.db, BudgetYear) == 1


async def test_an_unknown_decision_is_refused(client):
    headers = await secretariat(client)
    await client.post(
        "/api/v1/budget/scales", json={"year": 2024, "shares": SHARES_2024}, headers=headers
    )
    answer = await client.post(
        "/api/v1/budget/years",
        json={
            "year": 2024,
            "amount": "10",
            "currency": "RUB",
            "decision_id": "00000000-0000-4000-8000-000000000000",
        },
        headers=headers,
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] in ("decision_id", "states_bound")


async def test_payments_arrears_and_the_summary(client):
    headers = await secretariat(client)
    await setup_2024(client, headers)
    payments = [
        {
            "year": 2024,
            "state": "KAZ",
            "amount": "175000",
            "currency": "RUB",
            "paid_on": "2024-03-01",
        },
        {
            "year": 2024,
            "state": "ARM",
            "amount": "500",
            "currency": "USD",
            "rate": "90",
            "paid_on": "2024-04-01",
        },
        {
            "year": 2024,
            "state": "RUS",
            "amount": "600000",
            "currency": "RUB",
            "paid_on": "2024-02-01",
        },
    ]
    for payment in payments:
        answer = await client.post("/api/v1/budget/payments", json=payment, headers=headers)
        assert answer.status_code == 201, answer.text
    rows = {
        row["state"]: row for row in (await client.get("/api/v1/budget/summary")).json()["items"]
    }
    assert rows["KAZ"]["arrears"] == "0.00"
    assert rows["ARM"]["paid"] == "45000.00"
    assert rows["ARM"]["arrears"] == "40000.00"
    assert rows["RUS"]["credit"] == "100000.00"
    assert rows["BLR"]["arrears"] == "150000.00"
    assert rows["TJK"]["assessed"] == "0.00" and rows["TJK"]["bound"] is False


async def test_a_payment_in_an_unknown_currency_or_without_rate_is_refused(client):
    headers = await secretariat(client)
    await setup_2024(client, headers)
    base = {"year": 2024, "state": "KAZ", "amount": "10", "paid_on": "2024-03-01"}
    for body, field in (
        ({**base, "currency": "XAU"}, "currency"),
        ({**base, "currency": "USD"}, "rate"),
        ({**base, "currency": "RUB", "state": "XYZ"}, "state"),
        ({**base, "currency": "RUB", "amount": "-5"}, "amount"),
        ({**base, "currency": "RUB", "year": 2023}, "year"),
    ):
        answer = await client.post("/api/v1/budget/payments", json=body, headers=headers)
        assert answer.status_code == 422, body
        assert answer.json()["error"]["field"] == field
    assert await count_rows(client.app.state.db, BudgetPayment) == 0


async def test_a_state_sees_only_its_own_payments_and_summary_rows(client):
    headers = await secretariat(client)
    await setup_2024(client, headers)
    for state in ("KAZ", "ARM"):
        body = {
            "year": 2024,
            "state": state,
            "amount": "10",
            "currency": "RUB",
            "paid_on": "2024-03-01",
        }
        await client.post("/api/v1/budget/payments", json=body, headers=headers)
    app = client.app
    async with client_on(app) as kazakh:
        user = await add_user(app.state.db, state="KAZ", roles=["analyst"])
        await login(kazakh, user.username)
        payments = (await kazakh.get("/api/v1/budget/payments")).json()["items"]
        assert [p["state"] for p in payments] == ["KAZ"]
        rows = (await kazakh.get("/api/v1/budget/summary")).json()["items"]
        assert [row["state"] for row in rows] == ["KAZ"]
        assert (await kazakh.get("/api/v1/budget/years/2024")).status_code == 200
        refused = await kazakh.post(
            "/api/v1/budget/payments",
            json={
                "year": 2024,
                "state": "KAZ",
                "amount": "1",
                "currency": "RUB",
                "paid_on": "2024-03-01",
            },
        )
        assert refused.status_code == 403
    async with client_on(app) as uncleared:
        user = await add_user(app.state.db, state="KAZ", roles=["analyst"], clearance="PUBLIC")
        await login(uncleared, user.username)
        assert (await uncleared.get("/api/v1/budget/years/2024")).status_code == 404
        assert (await uncleared.get("/api/v1/budget")).json()["items"] == []
        assert (await uncleared.get("/api/v1/budget/summary")).json()["items"] == []


async def test_the_summary_exports_as_csv_and_xlsx_marked(client):
    headers = await secretariat(client)
    await setup_2024(client, headers)
    answer = await client.get("/api/v1/budget/summary.csv?year=2024")
    assert answer.status_code == 200
    assert answer.headers["x-classification"] == "RESTRICTED"
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows[0] == ["Classification: RESTRICTED"]
    assert rows[1][:3] == ["year", "state", "currency"]
    assert len(rows) == 2 + 6
    answer = await client.get("/api/v1/budget/summary.xlsx?year=2024")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == values[-1][0] == "Classification: RESTRICTED"
    assert values[2][1] == "ARM" and values[2][5] == 85000.0


async def test_reading_the_budget_needs_a_login(client):
    for path in ("/api/v1/budget", "/api/v1/budget/summary", "/api/v1/budget/summary.csv"):
        assert (await client.get(path)).status_code == 401
