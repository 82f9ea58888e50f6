from datetime import UTC, datetime

import pytest

from accord import clock

CODES = ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"]


@pytest.fixture
def in_2025():
    clock.freeze(datetime(2025, 3, 1, 12, 0, tzinfo=UTC))
    yield
    clock.freeze(None)


async def get_list(client, path: str, **params) -> list[dict]:
    answer = await client.get(path, params=params)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(body) == {"items", "next_cursor"}
    assert body["next_cursor"] is None
    return body["items"]


async def test_members_are_public_and_listed_with_code_name_status_and_capital(client):
    items = await get_list(client, "/api/v1/members")
    assert [item["code"] for item in items] == CODES
    assert items[0] == {"code": "ARM", "name": "Armenia", "status": "member", "capital": "Yerevan"}


async def test_member_names_follow_the_language_asked_for(client):
    answer = await client.get("/api/v1/members", headers={"Accept-Language": "ru"})
    names = [item["name"] for item in answer.json()["items"]]
    assert names[:3] == ["Армения", "Беларусь", "Казахстан"]


async def test_bodies_are_listed_in_the_organisation_files_order(client):
    items = await get_list(client, "/api/v1/bodies")
    assert [item["code"] for item in items] == [
        "csc",
        "cfm",
        "cdm",
        "csscs",
        "pc",
        "secretariat",
        "joint_staff",
    ]
    assert items[0] == {
        "code": "csc",
        "name": "Collective Security Council",
        "kind": "council",
        "decision_rule": "consensus",
    }


async def test_chairmanship_lists_recorded_years_then_the_rotation(client, in_2025):
    items = await get_list(client, "/api/v1/chairmanship", years_ahead=2)
    assert items == [
        {"year": 2022, "state": "ARM", "status": "held"},
        {"year": 2023, "state": "BLR", "status": "held"},
        {"year": 2024, "state": "KAZ", "status": "held"},
        {"year": 2025, "state": "KGZ", "status": "current"},
        {"year": 2026, "state": "RUS", "status": "planned"},
        {"year": 2027, "state": "TJK", "status": "planned"},
    ]


async def test_chairmanship_looks_six_years_ahead_by_default(client, in_2025):
    items = await get_list(client, "/api/v1/chairmanship")
    assert items[-1]["year"] == 2031


@pytest.mark.parametrize("years_ahead", ["-1", "51", "many"])
async def test_chairmanship_refuses_an_unreasonable_horizon(client, years_ahead):
    answer = await client.get("/api/v1/chairmanship", params={"years_ahead": years_ahead})
    assert answer.status_code == 422


async def test_the_reference_routes_are_described_in_openapi(client):
    paths = (await client.get("/openapi.json")).json()["paths"]
    for path in ("/api/v1/members", "/api/v1/bodies", "/api/v1/chairmanship"):
        assert "get" in paths[path]


async def test_members_answer_the_same_on_postgresql(pg_client, in_2025):
    items = await get_list(pg_client, "/api/v1/members")
    assert [item["code"] for item in items] == CODES
    chairs = await get_list(pg_client, "/api/v1/chairmanship")
    assert chairs[:3] == [
        {"year": 2022, "state": "ARM", "status": "held"},
        {"year": 2023, "state": "BLR", "status": "held"},
        {"year": 2024, "state": "KAZ", "status": "held"},
    ]
