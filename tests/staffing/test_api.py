"""The quota-posts API: terms, the computed distribution, adoption, posts and nominees."""

from __future__ import annotations

from fractions import Fraction

from accord.models.staffing_distribution import StaffingDistribution
from accord.models.staffing_term import StaffingTerm
from tests.contract import assert_access_contract, client_on, count_rows
from tests.factories import add_user, login

SHARES = {"ARM": "8.5", "BLR": "15", "KAZ": "17.5", "KGZ": "5.25", "RUS": "50", "TJK": "3.75"}


async def secretariat(client) -> dict[str, str]:
    user = await add_user(
        client.app.state.db, state="ORG", roles=["secretariat"], clearance="SECRET"
    )
    return {"X-CSRF-Token": await login(client, user.username)}


async def term_with_posts(client, headers, *, quota=30, reserved=4, **term) -> dict:
    await client.post(
        "/api/v1/budget/scales", json={"year": 2024, "shares": SHARES}, headers=headers
    )
    answer = await client.post(
        "/api/v1/posts/terms", json={"start_year": 2024, "minimum": 1, **term}, headers=headers
    )
    assert answer.status_code == 201, answer.text
    created = answer.json()
    for index in range(reserved):
        body = {
            "term_id": created["id"],
            "title": f"Deputy {index}",
            "grade": "D",
            "reserved": True,
        }
        assert (await client.post("/api/v1/posts", json=body, headers=headers)).status_code == 201
    for index in range(quota):
        body = {
            "term_id": created["id"],
            "title": f"Officer {index}",
            "grade": "P3",
            "body": "joint_staff" if index % 2 else "secretariat",
        }
        assert (await client.post("/api/v1/posts", json=body, headers=headers)).status_code == 201
    return created


async def test_only_the_secretariat_creates_a_term(client):
    answer = await assert_access_contract(
        client,
        "POST",
        "/api/v1/posts/terms",
        json={"start_year": 2024, "basis": "shares", "shares": SHARES},
        allowed_roles=("secretariat",),
    )
    assert answer.json()["name"] == "2024–2026"
    assert answer.json()["tie_break"] == "population_desc"


async def test_the_distribution_shows_each_member_beside_its_exact_quota(client):
    headers = await secretariat(client)
    term = await term_with_posts(client, headers)
    assert term["end_year"] == 2026
    answer = await client.post(f"/api/v1/posts/terms/{term['id']}/distribution", headers=headers)
    assert answer.status_code == 201, answer.text
    result = {row["state"]: row for row in answer.json()["result"]}
    assert sum(row["posts"] for row in result.values()) == 30
    assert result["RUS"]["quota"] == "15" and result["RUS"]["posts"] == 15
    assert result["KAZ"]["quota"] == "21/4" and result["KAZ"]["quota_decimal"] == "5.2500"
    assert result["TJK"]["posts"] >= 1
    assert Fraction(result["ARM"]["entitlement"]) == Fraction(17, 200)
    assert answer.json()["inputs"]["tie_break_order"][0] == "RUS"
    again = await client.get(f"/api/v1/posts/terms/{term['id']}/distribution")
    assert again.json()["id"] == answer.json()["id"]


async def test_impossible_rules_are_clear_errors_and_store_nothing(client):
    headers = await secretariat(client)
    cases = [
        ({"start_year": 2024, "basis": "shares", "shares": {**SHARES, "TJK": "3"}}, "shares"),
        ({"start_year": 2024, "basis": "weighted", "weights": {"equal": "1/2"}}, "weights"),
        ({"start_year": 2024, "basis": "weighted", "weights": {"equal": "x"}}, "weights.equal"),
        ({"start_year": 2024, "minimum": -1}, "minimum"),
        ({"start_year": 2024, "minimum": 3, "cap": 2}, "cap"),
    ]
    for body, field in cases:
        answer = await client.post("/api/v1/posts/terms", json=body, headers=headers)
        assert answer.status_code == 422, body
        assert answer.json()["error"]["field"] == field, answer.json()
    assert await count_rows(client.app.state.db, StaffingTerm) == 0

    term = await term_with_posts(client, headers, quota=5, reserved=0)
    path = f"/api/v1/posts/terms/{term['id']}/distribution"
    answer = await client.post(path, headers=headers)
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "minimum"
    assert "6 members" in answer.json()["error"]["message"]
    answer = await client.post(path, json={"posts": -1}, headers=headers)
    assert answer.json()["error"]["field"] == "posts"
    assert await count_rows(client.app.state.db, StaffingDistribution) == 0


async def test_a_weighted_mix_of_equal_part_population_and_contribution(client):
    headers = await secretariat(client)
    weights = {"equal": "1/3", "population": "1/3", "contribution": "1/3"}
    term = await term_with_posts(
        client, headers, quota=12, reserved=0, basis="weighted", weights=weights
    )
    answer = await client.post(f"/api/v1/posts/terms/{term['id']}/distribution", headers=headers)
    assert answer.status_code == 201, answer.text
    result = answer.json()["result"]
    assert sum(Fraction(row["entitlement"]) for row in result) == 1
    assert sum(Fraction(row["quota"]) for row in result) == 12


async def test_posts_are_filled_by_nominees_of_their_state(client):
    headers = await secretariat(client)
    term = await term_with_posts(client, headers, quota=8, reserved=1)
    await client.post(f"/api/v1/posts/terms/{term['id']}/distribution", headers=headers)
    items = (await client.get(f"/api/v1/posts?term_id={term['id']}&limit=500")).json()["items"]
    quota_posts = [item for item in items if not item["reserved"]]
    seats = {
        row["state"]: row["posts"]
        for row in (await client.get(f"/api/v1/posts/terms/{term['id']}/distribution")).json()[
            "result"
        ]
    }
    post = quota_posts[0]
    answer = await client.patch(
        f"/api/v1/posts/{post['id']}",
        json={"version": post["version"], "state": "KAZ"},
        headers=headers,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "vacant"
    stale = await client.patch(
        f"/api/v1/posts/{post['id']}",
        json={"version": post["version"], "title": "x"},
        headers=headers,
    )
    assert stale.status_code == 409
    version = answer.json()["version"]
    wrong = await client.post(
        f"/api/v1/posts/{post['id']}/nominee",
        json={"version": version, "nominee": "A. Person", "nominee_state": "RUS"},
        headers=headers,
    )
    assert wrong.status_code == 422 and wrong.json()["error"]["field"] == "nominee_state"
    filled = await client.post(
        f"/api/v1/posts/{post['id']}/nominee",
        json={"version": version, "nominee": "Aigerim Seitkali"},
        headers=headers,
    )
    assert filled.status_code == 200
    assert filled.json()["status"] == "filled" and filled.json()["nominee_state"] == "KAZ"
    # A state cannot hold more posts than its quota.
    for extra in quota_posts[1 : 1 + seats["KGZ"]]:
        ok = await client.patch(
            f"/api/v1/posts/{extra['id']}",
            json={"version": extra["version"], "state": "KGZ"},
            headers=headers,
        )
        assert ok.status_code == 200
    beyond = quota_posts[1 + seats["KGZ"]]
    refused = await client.patch(
        f"/api/v1/posts/{beyond['id']}",
        json={"version": beyond["version"], "state": "KGZ"},
        headers=headers,
    )
    assert refused.status_code == 409 and refused.json()["error"]["field"] == "state"


async def test_a_state_outside_the_decision_keeps_its_posts_vacant_or_reassigned(client):
    headers = await secretariat(client)
    term = await term_with_posts(client, headers, quota=10, reserved=0)
    path = f"/api/v1/posts/terms/{term['id']}/distribution"
    await client.post(path, headers=headers)
    bound = ["ARM", "BLR", "KAZ", "KGZ", "RUS"]
    adopted = await client.post(
        f"{path}/adoption",
        json={"states_bound": bound, "unbound_posts": "reassigned"},
        headers=headers,
    )
    assert adopted.status_code == 200, adopted.text
    assert adopted.json()["states_bound"] == bound
    assert (await client.post(path, headers=headers)).status_code == 409
    assert (
        await client.post(f"{path}/adoption", json={"states_bound": bound}, headers=headers)
    ).status_code == 409
    post = (await client.get(f"/api/v1/posts?term_id={term['id']}")).json()["items"][0]
    given = await client.patch(
        f"/api/v1/posts/{post['id']}",
        json={"version": post["version"], "state": "TJK"},
        headers=headers,
    )
    version = given.json()["version"]
    own = await client.post(
        f"/api/v1/posts/{post['id']}/nominee",
        json={"version": version, "nominee": "X"},
        headers=headers,
    )
    assert own.status_code == 422
    reassigned = await client.post(
        f"/api/v1/posts/{post['id']}/nominee",
        json={"version": version, "nominee": "Temporary Officer", "nominee_state": "KGZ"},
        headers=headers,
    )
    assert reassigned.status_code == 200
    assert reassigned.json()["status"] == "reassigned"


async def test_who_sees_the_posts(client):
    headers = await secretariat(client)
    term = await term_with_posts(client, headers, quota=6, reserved=0)
    app = client.app
    async with client_on(app) as delegate:
        user = await add_user(app.state.db, state="ARM", roles=["delegate"])
        csrf = await login(delegate, user.username)
        assert len((await delegate.get("/api/v1/posts")).json()["items"]) == 6
        refused = await delegate.post(
            "/api/v1/posts",
            json={"term_id": term["id"], "title": "x", "grade": "P1"},
            headers={"X-CSRF-Token": csrf},
        )
        assert refused.status_code == 403
    async with client_on(app) as uncleared:
        user = await add_user(app.state.db, state="ARM", roles=["delegate"], clearance="PUBLIC")
        await login(uncleared, user.username)
        assert (await uncleared.get("/api/v1/posts")).json()["items"] == []
        assert (await uncleared.get(f"/api/v1/posts/terms/{term['id']}")).status_code == 404
    async with client_on(app) as anonymous:
        assert (await anonymous.get("/api/v1/posts")).status_code == 401


async def test_postgresql_smoke_pass(pg_client):
    headers = await secretariat(pg_client)
    term = await term_with_posts(pg_client, headers, quota=10, reserved=1)
    answer = await pg_client.post(f"/api/v1/posts/terms/{term['id']}/distribution", headers=headers)
    assert answer.status_code == 201, answer.text
    assert sum(row["posts"] for row in answer.json()["result"]) == 10
    body = {"year": 2024, "amount": "100", "currency": "RUB", "states_bound": ["KAZ", "RUS"]}
    answer = await pg_client.post("/api/v1/budget/years", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    rows = (await pg_client.get("/api/v1/budget/summary")).json()["items"]
    assert {row["state"]: row["assessed"] for row in rows}["KAZ"] == "17.50"
