"""The crisis pages as a browser gets them: the list, opening, one crisis and its forms."""

from __future__ import annotations

import re

from tests.crises.test_api import as_user, open_crisis, quake
from tests.factories import add_user, login


async def test_a_duty_officer_opens_a_crisis_on_the_form_from_an_incident(client):
    headers = await as_user(client, "tjk.duty", state="TJK", roles=["duty_officer"])
    incident = (await client.post("/api/v1/incidents", json=quake(), headers=headers)).json()
    shown = await client.get("/crises/new", params={"incident": incident["id"]})
    assert shown.status_code == 200
    assert "Earthquake near Dushanbe" in shown.text
    posted = await client.post(
        "/crises/new",
        data={
            "csrf_token": headers["X-CSRF-Token"],
            "title": "Earthquake in Tajikistan",
            "summary": "Magnitude 6.8",
            "level": "monitoring",
            "mode": "exercise",
            "affected_states": ["TJK"],
            "incident_ids": [incident["id"], ""],
            "classification": "RESTRICTED",
            "releasable_to": ["ALL"],
            "reason": "Collapsed buildings",
        },
    )
    assert posted.status_code == 303, posted.text
    page = await client.get(posted.headers["location"])
    assert page.status_code == 200
    assert "EXERCISE" in page.text
    assert 'data-testid="move-consultations"' in page.text
    assert 'data-testid="move-declared"' not in page.text
    assert "Earthquake near Dushanbe" in page.text
    listed = await client.get("/crises")
    assert "Earthquake in Tajikistan" in listed.text


async def test_a_form_without_a_title_is_shown_again_with_the_reason(client):
    headers = await as_user(client, "tjk.duty", state="TJK", roles=["duty_officer"])
    answer = await client.post(
        "/crises/new",
        data={"csrf_token": headers["X-CSRF-Token"], "title": "", "level": "monitoring"},
    )
    assert answer.status_code == 422
    assert 'data-field="title"' in answer.text
    assert (await client.get("/api/v1/crises")).json()["items"] == []


async def test_the_secretariat_declares_on_the_page_and_the_timeline_shows_it(client):
    crisis, _ = await open_crisis(client)
    headers = await as_user(
        client, "org.sec", state="ORG", roles=["secretariat"], clearance="SECRET"
    )
    page = await client.get(f"/crises/{crisis['id']}")
    assert 'data-testid="move-declared"' in page.text
    assert 'data-testid="move-consultations"' not in page.text
    moved = await client.post(
        f"/crises/{crisis['id']}/escalate",
        data={
            "csrf_token": headers["X-CSRF-Token"],
            "version": str(crisis["version"]),
            "level": "declared",
            "reason": "Beyond national means",
        },
    )
    assert moved.status_code == 303, moved.text
    page = await client.get(f"/crises/{crisis['id']}")
    assert re.search(r'data-testid="crisis-level" data-level="declared"', page.text)
    assert "Beyond national means" in page.text


async def test_a_hidden_crisis_is_404_and_anonymous_visitors_go_to_the_login_page(client):
    crisis, _ = await open_crisis(client, classification="CONFIDENTIAL", releasable_to=["TJK"])
    await add_user(client.app.state.db, username="kaz.analyst", state="KAZ")
    await as_user(client, "kaz.analyst")
    assert (await client.get(f"/crises/{crisis['id']}")).status_code == 404
    assert "Earthquake" not in (await client.get("/crises")).text
    client.cookies.clear()
    answer = await client.get(f"/crises/{crisis['id']}")
    assert answer.status_code in (302, 303, 401) or "login" in answer.text.lower()


async def test_tasks_are_added_on_the_page_and_overdue_ones_marked(client):
    crisis, tjk = await open_crisis(client)
    added = await client.post(
        f"/crises/{crisis['id']}/tasks",
        data={
            "csrf_token": tjk["X-CSRF-Token"],
            "title": "Clear the road to Rasht",
            "owner": "tjk.duty",
            "deadline": "2020-01-01T10:00",
        },
    )
    assert added.status_code == 303, added.text
    page = await client.get(f"/crises/{crisis['id']}")
    assert "Clear the road to Rasht" in page.text
    assert 'class="overdue' in page.text


async def test_the_exercise_crisis_page_shows_assistance_deployments_on_the_map(client):
    from accord.crises import demo
    from accord.demo import load_demo

    async with client.app.state.db.transaction() as session:
        await load_demo(session)
    async with client.app.state.db.transaction() as session:
        await demo.load(session)
    await login(client, "tjk.duty", "accord-demo-password")
    listed = (await client.get("/api/v1/crises", params={"mode": "exercise"})).json()["items"]
    page = await client.get(f"/crises/{listed[0]['id']}")
    assert page.status_code == 200
    assert "EXERCISE" in page.text
    assert 'data-testid="map-points" data-count="3"' in page.text
    assert "data-deployment=" in page.text


async def test_the_crisis_page_in_russian_names_levels_and_moves_in_russian(client):
    crisis, _ = await open_crisis(client)
    client.cookies.set("accord_language", "ru")
    page = await client.get(f"/crises/{crisis['id']}", headers={"Accept-Language": "ru"})
    assert "Мониторинг" in page.text
    assert "Запросить консультации" in page.text
    assert "Ask for consultations" not in page.text
