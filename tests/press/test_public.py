"""The public site: only published releases and PUBLIC records, per language, with feeds."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from lxml import etree

from accord.documents.bundle import verify_bundle
from tests.contract import client_on
from tests.council import helpers as council
from tests.documents.api_helpers import assemble, delegate_signs
from tests.documents.helpers import MEMBERS
from tests.press.helpers import (
    RELEASE,
    as_secretariat,
    press_officer,
    public_session,
    published_release,
    restricted_decision,
)

ATOM = "{http://www.w3.org/2005/Atom}"


class Head(HTMLParser):
    """The parts of a page a crawler and a phone look at, and every address it loads."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = self.title = self.description = self.viewport = None
        self.feeds: list[tuple[str, str]] = []
        self.loads: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang")
        if tag == "title":
            self._in_title = True
        if tag == "meta" and values.get("name") == "description":
            self.description = values.get("content")
        if tag == "meta" and values.get("name") == "viewport":
            self.viewport = values.get("content")
        if tag == "link" and values.get("rel") == "alternate":
            self.feeds.append((values.get("hreflang"), values.get("href")))
        if tag in ("script", "img") and values.get("src"):
            self.loads.append(values["src"])
        if tag == "link" and values.get("rel") in ("stylesheet", "icon"):
            self.loads.append(values["href"])

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title = (self.title or "") + data


def head(html: str) -> Head:
    parser = Head()
    parser.feed(html)
    return parser


PAGES = (
    "/",
    "/public",
    "/public/releases",
    "/public/sessions",
    "/public/decisions",
    "/public/states",
    "/public/programme",
)


async def test_every_public_page_is_marked_for_its_language_and_links_its_feeds(client):
    for path in PAGES:
        for language in ("en", "ru"):
            answer = await client.get(f"{path}?lang={language}")
            assert answer.status_code == 200, f"{path}: {answer.text}"
            page = head(answer.text)
            assert page.lang == language, path
            assert page.title and page.title.strip(), path
            assert page.description, path
            assert page.viewport == "width=device-width, initial-scale=1"
            assert ("en", "/public/feed.en.atom") in page.feeds
            assert ("ru", "/public/feed.ru.atom") in page.feeds
            assert all(src.startswith("/") and not src.startswith("//") for src in page.loads)


async def test_a_published_release_shows_in_its_languages_and_feeds(client):
    release = await published_release(client)
    english = await client.get("/public/releases?lang=en")
    assert "Minsk session held" in english.text and "Сессия в Минске" not in english.text
    russian = await client.get("/public/releases?lang=ru")
    assert "Сессия в Минске" in russian.text
    page = await client.get(f"/public/releases/{release['id']}?lang=ru")
    assert 'lang="ru"' in page.text and "Совет собрался в Минске." in page.text
    assert "Minsk session held" in (await client.get("/")).text

    feed = await client.get("/public/feed.ru.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    root = etree.fromstring(feed.content, etree.XMLParser(resolve_entities=False, no_network=True))
    titles = [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]
    assert titles == ["Сессия в Минске"]
    assert (await client.get("/public/feed.fr.atom")).status_code == 404


async def test_drafts_and_unpublished_versions_never_show(client):
    draft_headers = await press_officer(client)
    await client.post(
        "/api/v1/releases",
        json={"texts": {"en": {"title": "Secret draft", "body": "Not yet"}}},
        headers=draft_headers,
    )
    release = await published_release(client)
    async with client_on(client.app) as editor:
        headers = await press_officer(editor)
        gone = await editor.post(
            f"/api/v1/releases/{release['id']}/unpublish",
            json={"version": release["version"], "languages": ["en"]},
            headers=headers,
        )
        assert gone.status_code == 200
    client.cookies.clear()
    for path in ("/public/releases?lang=en", "/public/feed.en.atom", "/?lang=en"):
        text = (await client.get(path)).text
        assert "Secret draft" not in text and "Minsk session held" not in text, path
    assert "Сессия в Минске" in (await client.get("/public/feed.ru.atom")).text
    page = await client.get(f"/public/releases/{release['id']}?lang=en")
    assert "Minsk session held" not in page.text and "Сессия в Минске" in page.text


async def test_restricted_records_never_reach_the_public_site(client):
    decision = await restricted_decision(client)
    session = await public_session(client, "Minsk session")
    await as_secretariat(
        client,
        "POST",
        "/api/v1/sessions",
        json={
            "title": "Closed consultations",
            "held_on": "2024-02-01",
            "city": "Astana",
            "classification": "RESTRICTED",
            "releasable_to": ["ALL"],
        },
    )
    programme = {
        "year": 2024,
        "state": "KAZ",
        "priorities": [
            {
                "titles": {"en": "Collective forces"},
                "activities": [
                    {
                        "titles": {"en": "Deployment rules"},
                        "owner_body": "joint_staff",
                        "links": [
                            {"kind": "decision", "id": decision["id"]},
                            {"kind": "session", "id": session["id"]},
                        ],
                    }
                ],
            }
        ],
    }
    created = await as_secretariat(client, "POST", "/api/v1/programmes", json=programme)
    assert [link["kind"] for link in created["priorities"][0]["activities"][0]["links"]] == [
        "decision",
        "session",
    ]
    client.cookies.clear()
    seen = "".join(
        [(await client.get(f"{path}?lang=en")).text for path in PAGES]
        + [(await client.get("/public/programme?year=2024")).text]
    )
    assert "Deployment rules" in seen
    assert "Minsk session" in seen
    assert "On the deployment plan" not in seen
    assert decision["id"] not in seen
    assert "Closed consultations" not in seen
    assert re.search(r"RESTRICTED|CONFIDENTIAL|SECRET", seen) is None


async def test_the_logged_in_home_stays_the_organisation_page(client):
    await published_release(client)
    await press_officer(client)
    answer = await client.get("/")
    assert "Log out" in answer.text
    assert "/public/feed.en.atom" not in answer.text
    assert RELEASE["texts"]["en"]["title"] not in answer.text


async def test_postgresql_smoke_a_published_release_reaches_the_feed(pg_client):
    await published_release(pg_client)
    feed = await pg_client.get("/public/feed.en.atom")
    assert feed.status_code == 200 and "Minsk session held" in feed.text
    assert "Minsk session held" in (await pg_client.get("/?lang=en")).text


async def test_a_decision_adopted_as_public_through_the_council_shows_on_the_public_site(client):
    public = await council.open_draft(client, classification="PUBLIC", releasable_to=["ALL"])
    restricted = await council.open_draft(client, title="On the forces' deployment plan")
    async with client_on(client.app) as visitor:
        before = (await visitor.get("/public/decisions?lang=en")).text
    assert "Decision on developing the crisis response system" not in before
    for decision in (public, restricted):
        for state in council.STATES:
            answer = await council.take_position(client, decision["id"], state, "support")
            assert answer.status_code == 201, answer.text
        headers = await council.as_secretariat(client)
        closed = await client.post(f"/api/v1/decisions/{decision['id']}/close", headers=headers)
        assert closed.json()["status"] == "adopted", closed.text
    adopted = (await client.get(f"/api/v1/decisions/{public['id']}")).json()
    async with client_on(client.app) as visitor:
        page = await visitor.get("/public/decisions?lang=en")
    assert page.status_code == 200
    assert f'data-decision="{public["id"]}"' in page.text
    assert adopted["number"] in page.text
    assert "Decision on developing the crisis response system" in page.text
    assert "deployment plan" not in page.text and restricted["id"] not in page.text


async def test_a_public_document_in_force_shows_with_a_bundle_that_verifies(client):
    document_id = await assemble(client, classification="PUBLIC")
    async with client_on(client.app) as visitor:
        page = await visitor.get("/public/decisions?lang=ru")
        assert f'data-document="{document_id}"' not in page.text
        for state in MEMBERS:
            assert (await delegate_signs(client, document_id, state)).status_code == 201
        page = await visitor.get("/public/decisions?lang=ru")
        assert 'lang="ru"' in page.text
        item = page.text.split(f'data-document="{document_id}"')[1].split("</li>")[0]
        assert "Минская декларация" in item
        href = item.split('href="')[1].split('"')[0]
        assert href == f"/api/v1/documents/{document_id}/bundle"
        bundle = await visitor.get(href)
    assert bundle.status_code == 200
    assert bundle.headers["content-type"] == "application/zip"
    assert verify_bundle(bundle.content).ok
