"""The document pages: the list, one document with its signatures, and the secretariat's forms."""

from __future__ import annotations

from tests.contract import client_on
from tests.documents.api_helpers import assemble, delegate_signs, logged_in
from tests.documents.helpers import MEMBERS


async def test_the_document_page_shows_slots_texts_and_the_verification(client):
    document_id = await assemble(client)
    await delegate_signs(client, document_id, "KAZ")
    await logged_in(client, state="ARM", roles=["analyst"])
    page = await client.get(f"/documents/{document_id}")
    assert page.status_code == 200
    assert 'data-slot="KAZ" data-signed="1"' in page.text
    assert 'data-slot="ARM" data-signed="0"' in page.text
    assert "The member states declare their resolve." in page.text
    assert 'data-verified="1"' in page.text
    assert 'data-classification="RESTRICTED"' in page.text
    listing = await client.get("/documents")
    assert f'href="/documents/{document_id}"' in listing.text


async def test_a_delegate_whose_state_has_not_signed_gets_the_sign_button(client):
    document_id = await assemble(client)
    await logged_in(client, state="KGZ", roles=["delegate"])
    page = await client.get(f"/documents/{document_id}")
    assert 'id="sign-button"' in page.text
    assert '<script src="/static/documents.js" defer></script>' in page.text


async def test_the_public_sees_only_public_documents_in_force(client):
    hidden = await assemble(client)
    shown = await assemble(client, classification="PUBLIC")
    for state in MEMBERS:
        await delegate_signs(client, shown, state)
    async with client_on(client.app) as public:
        listing = await public.get("/documents")
        assert f"/documents/{shown}" in listing.text
        assert f"/documents/{hidden}" not in listing.text
        assert (await public.get(f"/documents/{hidden}")).status_code == 404
        page = await public.get(f"/documents/{shown}")
        assert page.status_code == 200
        assert 'data-status="in_force"' in page.text


async def test_the_secretariat_assembles_a_package_on_forms(client):
    headers = await logged_in(client, state="ORG", roles=["secretariat"], clearance="SECRET")
    csrf = headers["X-CSRF-Token"]
    made = await client.post(
        "/documents/packages/new",
        data={
            "csrf_token": csrf,
            "title_en": "Astana 2024",
            "title_ru": "Астана 2024",
            "classification": "RESTRICTED",
        },
    )
    assert made.status_code == 303, made.text
    form = await client.get(made.headers["location"])
    assert form.status_code == 200
    package_id = made.headers["location"].split("=")[1]
    added = await client.post(
        "/documents/new",
        data={
            "csrf_token": csrf,
            "package_id": package_id,
            "kind": "decision",
            "title_en": "On the budget",
            "text_en": "The budget is adopted.\r\n",
        },
    )
    assert added.status_code == 303, added.text
    document_url = added.headers["location"].split("?")[0]
    moved = await client.post(
        f"{document_url}/versions/1/status", data={"csrf_token": csrf, "status": "agreed"}
    )
    assert moved.status_code == 303
    page = await client.get(document_url)
    assert 'data-version="1" data-status="agreed"' in page.text
    refused = await client.post(
        f"{document_url}/versions/1/texts",
        data={"csrf_token": csrf, "language": "en", "content": "Changed."},
    )
    assert refused.status_code == 409
    assert "only in a draft" in refused.text


async def test_others_cannot_open_the_secretariat_forms(client):
    await logged_in(client, state="KAZ", roles=["delegate"])
    assert (await client.get("/documents/packages/new")).status_code == 403
