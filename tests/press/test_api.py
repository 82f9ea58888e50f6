"""The press API: drafting in several languages, the review, and what a release may link."""

from __future__ import annotations

from accord.models.press_release import PressRelease
from accord.models.press_release_text import PressReleaseText
from tests.contract import assert_access_contract, client_on, count_rows
from tests.press.helpers import (
    RELEASE,
    as_secretariat,
    press_officer,
    public_session,
    restricted_decision,
)


async def test_only_press_officers_draft_releases(client):
    answer = await assert_access_contract(
        client, "POST", "/api/v1/releases", json=RELEASE, allowed_roles=["press"]
    )
    assert answer.status_code == 201
    body = answer.json()
    assert body["status"] == "draft"
    assert {lang: t["status"] for lang, t in body["texts"].items()} == {
        "en": "draft",
        "ru": "draft",
    }
    assert body["classification"] == "PUBLIC"


async def test_an_empty_language_version_is_refused_naming_it(client):
    headers = await press_officer(client)
    empty = {"texts": {**RELEASE["texts"], "ru": {"title": "Сессия", "body": "  "}}}
    answer = await client.post("/api/v1/releases", json=empty, headers=headers)
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "texts.ru.body"
    assert "Russian" in answer.json()["error"]["message"]
    none = await client.post("/api/v1/releases", json={"texts": {}}, headers=headers)
    assert none.status_code == 422
    assert await count_rows(client.app.state.db, PressRelease) == 0


async def review(client, headers, release, action, **body):
    answer = await client.post(
        f"/api/v1/releases/{release['id']}/{action}",
        json={"version": release["version"], **body},
        headers=headers,
    )
    return answer


async def test_another_editor_approves_and_publishing_keeps_the_history(client):
    author = await press_officer(client)
    release = (await client.post("/api/v1/releases", json=RELEASE, headers=author)).json()
    submitted = await review(client, author, release, "submit")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "in_review"
    self_approval = await review(client, author, submitted.json(), "approve")
    assert self_approval.status_code == 403
    assert "other than the author" in self_approval.json()["error"]["message"]

    async with client_on(client.app) as editor_client:
        editor = await press_officer(editor_client)
        early = await review(editor_client, editor, submitted.json(), "publish")
        assert early.status_code == 409
        approved = await review(editor_client, editor, submitted.json(), "approve")
        assert approved.status_code == 200
        assert approved.json()["texts"]["en"]["approved_by"] != release["created_by"]
        published = await review(
            editor_client, editor, approved.json(), "publish", languages=["ru"]
        )
        assert published.json()["texts"]["ru"]["status"] == "published"
        assert published.json()["texts"]["en"]["status"] == "approved"
        assert published.json()["status"] == "published"
        gone = await review(editor_client, editor, published.json(), "unpublish", languages=["ru"])
        assert gone.json()["texts"]["ru"]["status"] == "unpublished"
        history = (await editor_client.get(f"/api/v1/releases/{release['id']}/history")).json()
    assert [(s["language"], s["target"]) for s in history] == [
        ("en", "in_review"),
        ("ru", "in_review"),
        ("en", "approved"),
        ("ru", "approved"),
        ("ru", "published"),
        ("ru", "unpublished"),
    ]


async def test_stale_versions_and_edits_outside_draft_are_refused(client):
    headers = await press_officer(client)
    release = (await client.post("/api/v1/releases", json=RELEASE, headers=headers)).json()
    changed = await client.patch(
        f"/api/v1/releases/{release['id']}",
        json={"version": release["version"], "texts": {"en": {"title": "New", "body": "Text"}}},
        headers=headers,
    )
    assert changed.status_code == 200
    stale = await client.patch(
        f"/api/v1/releases/{release['id']}",
        json={"version": release["version"], "texts": {"en": {"title": "Old", "body": "x"}}},
        headers=headers,
    )
    assert stale.status_code == 409
    submitted = await review(client, headers, changed.json(), "submit")
    locked = await client.patch(
        f"/api/v1/releases/{release['id']}",
        json={"version": submitted.json()["version"], "texts": {"en": {"title": "X", "body": "Y"}}},
        headers=headers,
    )
    assert locked.status_code == 409
    assert locked.json()["error"]["field"] == "texts.en"


async def test_other_users_see_only_published_versions(client):
    headers = await press_officer(client)
    release = (await client.post("/api/v1/releases", json=RELEASE, headers=headers)).json()
    async with client_on(client.app) as reader:
        from tests.factories import add_user, login

        user = await add_user(client.app.state.db, state="ARM", roles=["analyst"])
        await login(reader, user.username)
        assert (await reader.get("/api/v1/releases")).json()["items"] == []
        assert (await reader.get(f"/api/v1/releases/{release['id']}")).status_code == 404
        assert (await reader.post("/api/v1/releases", json=RELEASE)).status_code in (403, 401)


async def test_a_release_links_only_public_records(client):
    headers = await press_officer(client)
    session = await public_session(client)
    decision = await restricted_decision(client)
    linked = await client.post(
        "/api/v1/releases",
        json={**RELEASE, "links": [{"kind": "session", "id": session["id"]}]},
        headers=headers,
    )
    assert linked.status_code == 201, linked.text
    assert [link["title"] for link in linked.json()["links"]] == ["Minsk session"]

    refused = await client.post(
        "/api/v1/releases",
        json={
            **RELEASE,
            "links": [
                {"kind": "session", "id": session["id"]},
                {"kind": "decision", "id": decision["id"]},
            ],
        },
        headers=headers,
    )
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["field"] == "links.1"
    assert "On the deployment plan" in error["message"] and "RESTRICTED" in error["message"]
    assert await count_rows(client.app.state.db, PressRelease) == 1
    assert await count_rows(client.app.state.db, PressReleaseText) == 2


async def test_a_record_reclassified_meanwhile_blocks_approval_naming_it(client):
    author = await press_officer(client)
    session = await public_session(client, "Astana session")
    release = (
        await client.post(
            "/api/v1/releases",
            json={**RELEASE, "links": [{"kind": "session", "id": session["id"]}]},
            headers=author,
        )
    ).json()
    submitted = (await review(client, author, release, "submit")).json()
    await as_secretariat(
        client,
        "PATCH",
        f"/api/v1/sessions/{session['id']}",
        json={"version": session["version"], "classification": "RESTRICTED"},
    )
    async with client_on(client.app) as editor_client:
        editor = await press_officer(editor_client)
        blocked = await review(editor_client, editor, submitted, "approve")
    assert blocked.status_code == 409
    assert "Astana session" in blocked.json()["error"]["message"]
    assert blocked.json()["error"]["field"] == "links.0"


async def test_images_are_attached_and_checked(client):
    headers = await press_officer(client)
    release = (await client.post("/api/v1/releases", json=RELEASE, headers=headers)).json()
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
        b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
        b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    added = await client.post(
        f"/api/v1/releases/{release['id']}/images",
        files={"file": ("flag.png", png, "image/png")},
        data={"alt": "The flags"},
        headers=headers,
    )
    assert added.status_code == 201, added.text
    image = await client.get(added.json()["url"])
    assert image.content == png
    text = await client.post(
        f"/api/v1/releases/{release['id']}/images",
        files={"file": ("notes.txt", b"hello", "text/plain")},
        headers=headers,
    )
    assert text.status_code == 422
    assert text.json()["error"]["field"] == "file"
