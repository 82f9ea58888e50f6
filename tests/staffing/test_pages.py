"""The /posts page: the term, the distribution beside exact quotas, posts; secretariat forms."""

from __future__ import annotations

import re
from pathlib import Path

from tests.contract import client_on
from tests.factories import add_user, login

SHARES = {"ARM": "8.5", "BLR": "15", "KAZ": "17.5", "KGZ": "5.25", "RUS": "50", "TJK": "3.75"}


async def page_client(client, **user):
    overrides = {"state": "ORG", "roles": ["secretariat"], "clearance": "SECRET", **user}
    created = await add_user(client.app.state.db, **overrides)
    await login(client, created.username)
    page = await client.get("/posts")
    token = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
    return token


async def test_the_secretariat_creates_a_term_adds_posts_and_computes(client):
    csrf = await page_client(client)
    await client.post(
        "/api/v1/budget/scales",
        json={"year": 2024, "shares": SHARES},
        headers={"X-CSRF-Token": csrf},
    )
    answer = await client.post(
        "/posts/terms",
        data={
            "csrf_token": csrf,
            "start_year": "2024",
            "basis": "budget_share",
            "minimum": "1",
            "cap": "",
            "scale_year": "",
            "tie_break": "population_desc",
        },
    )
    assert answer.status_code == 303, answer.text
    target = answer.headers["location"]
    term_id = re.search(r"term=([0-9a-f-]+)", target).group(1)
    for index in range(12):
        answer = await client.post(
            f"/posts/terms/{term_id}/posts",
            data={
                "csrf_token": csrf,
                "title": f"Officer {index}",
                "grade": "P3",
                "body": "secretariat",
            },
        )
        assert answer.status_code == 303
    answer = await client.post(f"/posts/terms/{term_id}/distribution", data={"csrf_token": csrf})
    assert answer.status_code == 303
    page = await client.get(f"/posts?term={term_id}")
    assert page.status_code == 200
    assert "2024–2026" in page.text
    row = re.search(r'<tr data-state="RUS">(.*?)</tr>', page.text, re.S).group(1)
    assert "<code>6</code>" in row and "6.0000" in row
    assert 'data-classification="RESTRICTED"' in page.text


async def test_a_refused_form_shows_the_reason_and_stores_nothing(client):
    csrf = await page_client(client)
    answer = await client.post(
        "/posts/terms",
        data={
            "csrf_token": csrf,
            "start_year": "2024",
            "basis": "weighted",
            "weight_equal": "1/2",
            "weight_population": "1/4",
            "minimum": "0",
            "tie_break": "code_asc",
        },
    )
    assert answer.status_code == 422
    assert 'data-field="weights"' in answer.text
    assert "No term of quota posts yet." in answer.text


async def test_others_read_the_page_without_forms_and_cannot_post(client):
    csrf = await page_client(client, state="KAZ", roles=["delegate"], clearance="CONFIDENTIAL")
    page = await client.get("/posts")
    assert page.status_code == 200
    assert 'action="/posts/terms"' not in page.text
    answer = await client.post("/posts/terms", data={"csrf_token": csrf, "start_year": "2024"})
    assert answer.status_code == 403


async def test_the_page_needs_a_login(client):
    async with client_on(client.app) as anonymous:
        answer = await anonymous.get("/posts")
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/login")


def own_messages() -> set[str]:
    from babel.messages.pofile import read_po

    found = set()
    for name in ("staffing", "budget"):
        path = Path(__file__).parents[2] / f"src/accord/locale/ru/LC_MESSAGES/{name}.po"
        with path.open("rb") as handle:
            found |= {message.id for message in read_po(handle) if message.id}
    return found


async def test_the_pages_in_russian_show_no_english_interface_text(client):
    from accord.budget import demo as budget_demo
    from accord.staffing import demo as staffing_demo
    from tests.test_i18n import VisibleText, catalogue_phrases_in

    async with client.app.state.db.transaction() as session:
        await staffing_demo.load(session)
        await budget_demo.load(session)
    await page_client(client)
    client.cookies.set("accord_lang", "ru")
    for path in ("/posts", "/budget"):
        answer = await client.get(path)
        assert answer.status_code == 200
        text = VisibleText.of(answer.text).text
        # Post titles are data (an "Budget officer" stays as entered); the interface is not.
        assert not catalogue_phrases_in(text) & own_messages(), path
    assert "Квотные должности" in (await client.get("/posts")).text
