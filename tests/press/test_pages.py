"""The press centre pages: only press officers, forms that keep what was typed when refused."""

from __future__ import annotations

from accord.models.press_release import PressRelease
from tests.contract import count_rows
from tests.factories import user_with_session
from tests.press.helpers import press_officer, public_session, restricted_decision


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


async def _draft(client, headers) -> dict:
    answer = await client.post(
        "/api/v1/releases",
        json={"texts": {"en": {"title": "Session held", "body": "It was held."}}},
        headers=headers,
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


async def test_a_public_record_is_linked_and_unlinked_on_the_release_page(client):
    session = await public_session(client, "Minsk session")
    headers = await press_officer(client)
    release = await _draft(client, headers)
    page = await client.get(f"/press/{release['id']}")
    value = f"session:{session['id']}"
    assert f'<option value="{value}">' in page.text
    added = await client.post(
        f"/press/{release['id']}/links",
        data={"csrf_token": headers["X-CSRF-Token"], "version": "1", "link": value},
    )
    assert added.status_code == 303, added.text
    page = await client.get(added.headers["location"])
    assert "Record linked." in page.text
    assert f'data-link="{value}"' in page.text and f'<option value="{value}">' not in page.text
    read = (await client.get(f"/api/v1/releases/{release['id']}")).json()
    assert [link["id"] for link in read["links"]] == [session["id"]]

    removed = await client.post(
        f"/press/{release['id']}/links/remove",
        data={
            "csrf_token": headers["X-CSRF-Token"],
            "version": str(read["version"]),
            "link": value,
        },
    )
    assert removed.status_code == 303, removed.text
    page = await client.get(removed.headers["location"])
    assert "Link removed." in page.text and f'data-link="{value}"' not in page.text
    assert (await client.get(f"/api/v1/releases/{release['id']}")).json()["links"] == []


async def test_linking_a_restricted_record_on_the_release_page_is_refused_clearly(client):
    decision = await restricted_decision(client)
    headers = await press_officer(client)
    release = await _draft(client, headers)
    page = await client.get(f"/press/{release['id']}")
    assert "On the deployment plan" not in page.text
    refused = await client.post(
        f"/press/{release['id']}/links",
        data={
            "csrf_token": headers["X-CSRF-Token"],
            "version": "1",
            "link_other": f"decision:{decision['id']}",
        },
    )
    assert refused.status_code == 422
    assert 'data-field="link"' in refused.text
    assert "“On the deployment plan” is classified RESTRICTED, not PUBLIC" in refused.text
    assert "a release may link only PUBLIC records" in refused.text
    assert f'value="decision:{decision["id"]}"' in refused.text
    read = (await client.get(f"/api/v1/releases/{release['id']}")).json()
    assert read["links"] == [] and read["version"] == 1

    garbled = await client.post(
        f"/press/{release['id']}/links",
        data={"csrf_token": headers["X-CSRF-Token"], "version": "1", "link_other": "nonsense"},
    )
    assert garbled.status_code == 422 and 'data-field="link"' in garbled.text
    stale = await client.post(
        f"/press/{release['id']}/links/remove",
        data={
            "csrf_token": headers["X-CSRF-Token"],
            "version": "7",
            "link": f"decision:{decision['id']}",
        },
    )
    assert stale.status_code == 409


async def test_only_press_officers_change_links(client):
    session = await public_session(client, "Minsk session")
    headers = await press_officer(client)
    release = await _draft(client, headers)
    client.cookies.clear()
    _user, csrf = await user_with_session(client, state="ORG", roles=["secretariat"])
    answer = await client.post(
        f"/press/{release['id']}/links",
        data={"csrf_token": csrf, "version": "1", "link": f"session:{session['id']}"},
    )
    assert answer.status_code == 403
