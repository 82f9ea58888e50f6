"""The press centre pages: only press officers, forms that keep what was typed when refused."""

from __future__ import annotations

from accord.models.press_release import PressRelease
from tests.contract import count_rows
from tests.factories import user_with_session
from tests.press.helpers import press_officer, public_session


async def test_press_pages_are_for_press_officers(client):
    assert (await client.get("/press")).headers["location"].startswith("/login")
    await user_with_session(client, state="KAZ", roles=["analyst"])
    assert (await client.get("/press")).status_code == 403
    assert (await client.get("/press/new")).status_code == 403


async def test_a_release_is_drafted_on_the_form_with_a_link(client):
    await public_session(client, "Minsk session")
    headers = await press_officer(client)
    form = await client.get("/press/new")
    assert "Minsk session" in form.text
    value = form.text.split('name="link" value="')[1].split('"')[0]
    answer = await client.post(
        "/press/new",
        data={
            "csrf_token": headers["X-CSRF-Token"],
            "en_title": "Session held",
            "en_body": "It was held.",
            "ru_title": "",
            "ru_body": "",
            "link": value,
        },
    )
    assert answer.status_code == 303, answer.text
    page = await client.get(answer.headers["location"])
    assert "Release drafted." in page.text and "Minsk session" in page.text
    assert 'data-action="submit"' in page.text
    listing = await client.get("/press")
    assert "Session held" in listing.text


async def test_a_half_written_language_is_refused_and_the_form_keeps_the_text(client):
    headers = await press_officer(client)
    answer = await client.post(
        "/press/new",
        data={
            "csrf_token": headers["X-CSRF-Token"],
            "en_title": "Session held",
            "en_body": "It was held.",
            "ru_title": "Сессия",
            "ru_body": "",
        },
    )
    assert answer.status_code == 422
    assert 'data-field="texts.ru.body"' in answer.text
    assert "It was held." in answer.text and "Сессия" in answer.text
    assert await count_rows(client.app.state.db, PressRelease) == 0


async def test_the_press_pages_in_russian(client):
    await press_officer(client)
    client.cookies.set("accord_lang", "ru")
    page = await client.get("/press/new")
    assert 'lang="ru"' in page.text
    assert "Сохранить черновик" in page.text and "Save draft" not in page.text
