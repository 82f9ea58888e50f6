"""The situation reports API: access per role and marking, versions, issuing, PDF, cadence."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from accord import clock
from accord.access import Classification
from tests.contract import assert_access_contract, client_on, count_events
from tests.crises.test_sitreps import T0, marked, scenario
from tests.factories import add_user, login


@pytest.fixture(autouse=True)
def released_clock():
    yield
    clock.freeze(None)


async def caller(client, **user):
    """Another client of the same app, logged in as a new user; with its CSRF header."""
    account = await add_user(client.app.state.db, **user)
    context = client_on(client.app)
    other = await context.__aenter__()
    csrf = await login(other, account.username)
    other.headers["X-CSRF-Token"] = csrf
    other.context = context  # type: ignore[attr-defined]
    other.username = account.username  # type: ignore[attr-defined]
    return other


async def close(*callers) -> None:
    for other in callers:
        await other.context.__aexit__(None, None, None)


def pdf_pages(body: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(body)).pages]


async def test_drafting_is_for_analysts_and_writes_an_event(client):
    crisis_id = await scenario(client.app.state.db)
    answer = await assert_access_contract(
        client,
        "POST",
        "/api/v1/sitreps",
        json={"crisis_id": str(crisis_id), "language": "en"},
        allowed_roles=("analyst",),
    )
    assert answer.status_code == 201
    body = answer.json()
    assert body["number"] == 1 and body["status"] == "draft" and body["owner"] == "ORG"
    assert body["classification"] == "RESTRICTED"
    assert body["snapshot"]["totals"]["gap"] == 1


async def test_what_a_state_may_not_see_is_never_shown(client):
    db = client.app.state.db
    kaz = marked("KAZ", Classification.CONFIDENTIAL, ["TJK", "ORG"])
    crisis_id = await scenario(db, kaz_marking=kaz)
    org = await caller(client, state="ORG", roles=["analyst"], clearance="SECRET")
    arm = await caller(client, state="ARM", roles=["analyst"], clearance="SECRET")
    tjk = await caller(client, state="TJK", roles=["analyst"], clearance="CONFIDENTIAL")
    try:
        made = await org.post("/api/v1/sitreps", json={"crisis_id": str(crisis_id)})
        assert made.status_code == 201, made.text
        sitrep = made.json()
        assert sitrep["classification"] == "CONFIDENTIAL"
        assert sitrep["releasable_to"] == ["KAZ", "TJK"]
        path = f"/api/v1/sitreps/{sitrep['id']}"
        assert (await tjk.get(path)).status_code == 200
        for hidden in (path, f"{path}.pdf", f"{path}/pdf?lang=ru"):
            answer = await arm.get(hidden)
            assert answer.status_code == 404, hidden
        listed = await arm.get("/api/v1/sitreps", params={"crisis_id": str(crisis_id)})
        assert listed.json() == {"items": [], "next_cursor": None}
        refused = await arm.patch(path, json={"version": sitrep["version"], "title": "x"})
        assert refused.status_code == 404
        assert (await client.get("/api/v1/sitreps")).status_code == 401
    finally:
        await close(org, arm, tjk)


async def test_edit_with_version_issue_and_then_never_change(client):
    crisis_id = await scenario(client.app.state.db)
    tjk = await caller(client, state="TJK", roles=["analyst"], clearance="CONFIDENTIAL")
    kaz = await caller(client, state="KAZ", roles=["analyst"], clearance="CONFIDENTIAL")
    try:
        sitrep = (await tjk.post("/api/v1/sitreps", json={"crisis_id": str(crisis_id)})).json()
        path = f"/api/v1/sitreps/{sitrep['id']}"
        edited = await tjk.patch(path, json={"version": sitrep["version"], "needs": "Short."})
        assert edited.status_code == 200 and edited.json()["needs"] == "Short."
        stale = await tjk.patch(path, json={"version": sitrep["version"], "needs": "Again"})
        assert stale.status_code == 409 and stale.json()["error"]["field"] == "version"
        bad = await tjk.patch(path, json={"version": edited.json()["version"], "title": ""})
        assert bad.status_code == 422 and bad.json()["error"]["field"] == "title"
        assert (await kaz.get(path)).status_code == 200
        assert (await kaz.post(f"{path}/issue")).status_code == 403
        before = await count_events(client.app.state.db)
        issued = await tjk.post(f"{path}/issue", json={"version": edited.json()["version"]})
        assert issued.status_code == 200, issued.text
        assert issued.json()["status"] == "issued" and issued.json()["issued_by"] == tjk.username
        assert await count_events(client.app.state.db) == before + 1
        again = await tjk.patch(path, json={"version": issued.json()["version"], "needs": "x"})
        assert again.status_code == 409
        twice = await tjk.post(f"{path}/issue")
        assert twice.status_code == 409 and "issued" in twice.json()["error"]["message"]
        assert (await tjk.get(path)).json() == issued.json()
    finally:
        await close(tjk, kaz)


async def test_a_russian_pdf_has_russian_headings_and_the_banner_on_every_page(client):
    kaz = marked("KAZ", Classification.CONFIDENTIAL, ["TJK", "ORG"])
    crisis_id = await scenario(client.app.state.db, kaz_marking=kaz)
    org = await caller(client, state="ORG", roles=["analyst"], clearance="SECRET")
    try:
        made = await org.post(
            "/api/v1/sitreps", json={"crisis_id": str(crisis_id), "language": "ru"}
        )
        path = f"/api/v1/sitreps/{made.json()['id']}"
        answer = await org.get(f"{path}.pdf", params={"lang": "ru"})
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "application/pdf"
        pages = pdf_pages(answer.content)
        assert len(pages) >= 2
        text = "\n".join(pages)
        for heading in ("Обстановка", "Действия", "Потребности", "Удовлетворение потребностей"):
            assert heading in text
        assert "Затронутые государства" in text and "Таджикистан" in text
        banner = "CONFIDENTIAL // REL TO ORG, KAZ, TJK"
        for number, page in enumerate(pages, start=1):
            assert page.count(banner) == 2, f"page {number}: {page[:200]}"
            assert f"Страница {number} из {len(pages)}" in page
        english = pdf_pages((await org.get(f"{path}/pdf", params={"lang": "en"})).content)
        assert "Conditions" in english[0] and "Report number" in english[0]
        assert (await org.get(f"{path}.pdf", params={"lang": "de"})).status_code == 422
    finally:
        await close(org)


async def test_the_secretariat_sets_the_cadence_and_overdue_crises_are_listed(client):
    db = client.app.state.db
    clock.freeze(T0)
    crisis_id = await scenario(db)
    answer = await assert_access_contract(
        client,
        "PUT",
        "/api/v1/sitreps/cadence",
        json={"monitoring": 12, "declared": 24},
        allowed_roles=("secretariat",),
    )
    assert answer.json()["levels"]["monitoring"] == 12
    assert answer.json()["levels"]["recovery"] is None
    # Logged in after the clock moved on, so that the sessions are fresh.
    clock.freeze(T0 + timedelta(hours=13))
    tjk = await caller(client, state="TJK", roles=["analyst"], clearance="CONFIDENTIAL")
    arm = await caller(client, state="ARM", roles=["analyst"], clearance="PUBLIC")
    try:
        assert (await tjk.get("/api/v1/sitreps/cadence")).json()["levels"]["declared"] == 24
        wrong = await tjk.put("/api/v1/sitreps/cadence", json={"closed": 5})
        assert wrong.status_code == 403
        secretariat = await caller(client, state="ORG", roles=["secretariat"], clearance="SECRET")
        for bad in ({"closed": 5}, {"declared": 0}, {"declared": "often"}):
            refused = await secretariat.put("/api/v1/sitreps/cadence", json=bad)
            assert refused.status_code == 422, bad
        await close(secretariat)
        assert (await tjk.get("/api/v1/sitreps/cadence")).json()["levels"]["declared"] == 24
        late = (await tjk.get("/api/v1/sitreps/overdue")).json()
        assert [row["crisis_id"] for row in late["items"]] == [str(crisis_id)]
        assert late["items"][0]["interval_hours"] == 12 and late["next_cursor"] is None
        assert late["items"][0]["overdue_hours"] == 1.0
        assert (await arm.get("/api/v1/sitreps/overdue")).json()["items"] == []
        made = (await tjk.post("/api/v1/sitreps", json={"crisis_id": str(crisis_id)})).json()
        await tjk.post(f"/api/v1/sitreps/{made['id']}/issue")
        assert (await tjk.get("/api/v1/sitreps/overdue")).json()["items"] == []
    finally:
        await close(tjk, arm)


async def test_lists_page_with_a_cursor(client):
    crisis_id = await scenario(client.app.state.db)
    tjk = await caller(client, state="TJK", roles=["analyst"], clearance="CONFIDENTIAL")
    try:
        for _n in range(3):
            made = await tjk.post("/api/v1/sitreps", json={"crisis_id": str(crisis_id)})
            assert made.status_code == 201
        first = (await tjk.get("/api/v1/sitreps", params={"limit": 2})).json()
        assert len(first["items"]) == 2 and first["next_cursor"]
        rest = await tjk.get("/api/v1/sitreps", params={"limit": 2, "cursor": first["next_cursor"]})
        numbers = [row["number"] for row in first["items"] + rest.json()["items"]]
        assert sorted(numbers) == [1, 2, 3] and rest.json()["next_cursor"] is None
        assert (await tjk.get("/api/v1/sitreps", params={"cursor": "nonsense"})).status_code == 422
    finally:
        await close(tjk)


async def test_postgresql_smoke_draft_issue_and_pdf(pg_client):
    crisis_id = await scenario(pg_client.app.state.db)
    org = await caller(pg_client, state="ORG", roles=["analyst"], clearance="SECRET")
    try:
        made = await org.post("/api/v1/sitreps", json={"crisis_id": str(crisis_id)})
        assert made.status_code == 201, made.text
        path = f"/api/v1/sitreps/{made.json()['id']}"
        assert (await org.post(f"{path}/issue")).json()["status"] == "issued"
        assert (await org.get(f"{path}.pdf")).content.startswith(b"%PDF")
        assert (await org.get("/api/v1/sitreps/overdue")).status_code == 200
    finally:
        await close(org)
