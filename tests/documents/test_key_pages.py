"""The signing keys page: a signatory's keys with validity, registering, rotating, revoking."""

from __future__ import annotations

import re
from datetime import timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from accord.clock import utcnow
from accord.documents.manifest import b64encode, public_pem, public_raw_of
from tests.contract import client_on
from tests.documents.api_helpers import assemble, logged_in


def _pem() -> str:
    return public_pem(public_raw_of(Ed25519PrivateKey.generate()))


def _rows(html: str) -> dict[str, str]:
    """Key id → status, as the page's table shows them."""
    return dict(re.findall(r'<tr data-key="([0-9a-f-]+)" data-status="(\w+)"', html))


async def _register(client, csrf: str, **fields: str):
    return await client.post("/documents/keys", data={"csrf_token": csrf, **fields})


async def test_a_signatory_registers_rotates_and_revokes_keys_on_the_page(client):
    csrf = (await logged_in(client, state="KAZ", roles=["delegate"]))["X-CSRF-Token"]
    page = await client.get("/documents/keys")
    assert page.status_code == 200
    assert 'id="register-form"' in page.text and 'id="new-key-in-browser"' in page.text
    assert '<script src="/static/documents.js" defer></script>' in page.text
    first_pem = _pem()
    made = await _register(client, csrf, public_key=first_pem, label="laptop")
    assert made.status_code == 303, made.text
    page = await client.get(made.headers["location"])
    assert "The key is registered." in page.text
    (first,) = _rows(page.text)
    assert _rows(page.text) == {first: "valid"}
    assert 'data-classification="RESTRICTED"' in page.text
    downloaded = await client.get(f"/documents/keys/{first}.pub")
    assert downloaded.status_code == 200
    assert downloaded.text == first_pem
    assert f'filename="{first}.pub"' in downloaded.headers["content-disposition"]
    info = (await client.get(f"/documents/keys/{first}.json")).json()
    assert (info["key_id"], info["state"], info["revoked_at"]) == (first, "KAZ", None)

    rotated = await _register(
        client,
        csrf,
        public_key=_pem(),
        label="new laptop",
        replaces=first,
        valid_until="2099-12-31",
    )
    assert rotated.status_code == 303, rotated.text
    page = await client.get(rotated.headers["location"])
    assert "the old one revoked" in page.text
    rows = _rows(page.text)
    (second,) = set(rows) - {first}
    assert rows == {first: "revoked", second: "valid"}
    assert f"rotated: replaced by key {second}" in page.text
    assert "2099" in page.text

    missing = await client.post(f"/documents/keys/{second}/revoke", data={"csrf_token": csrf})
    assert missing.status_code == 422
    assert _rows(missing.text)[second] == "valid"
    revoked = await client.post(
        f"/documents/keys/{second}/revoke", data={"csrf_token": csrf, "reason": "laptop lost"}
    )
    assert revoked.status_code == 303
    page = await client.get(revoked.headers["location"])
    assert _rows(page.text) == {first: "revoked", second: "revoked"}
    assert "laptop lost" in page.text
    again = await client.post(
        f"/documents/keys/{second}/revoke", data={"csrf_token": csrf, "reason": "twice"}
    )
    assert again.status_code == 409


async def test_bad_keys_and_dates_are_refused_naming_the_field(client):
    csrf = (await logged_in(client, state="KAZ", roles=["delegate"]))["X-CSRF-Token"]
    for fields, field in (
        ({"public_key": "not a key"}, "public_key"),
        ({"public_key": _pem(), "valid_until": "soon"}, "valid_until"),
        ({"public_key": _pem(), "valid_until": "2001-01-01"}, "valid_until"),
        ({"public_key": _pem(), "replaces": "00000000-0000-0000-0000-000000000000"}, "replaces"),
    ):
        answer = await _register(client, csrf, **fields)
        assert answer.status_code == 422, fields
        assert f'data-field="{field}"' in answer.text, answer.text
    assert _rows((await client.get("/documents/keys")).text) == {}


async def test_a_key_not_valid_yet_shows_as_such(client):
    headers = await logged_in(client, state="ARM", roles=["delegate"])
    key = Ed25519PrivateKey.generate()
    answer = await client.post(
        "/api/v1/signing-keys",
        json={
            "public_key": b64encode(public_raw_of(key)),
            "valid_from": (utcnow() + timedelta(days=2)).isoformat(),
        },
        headers=headers,
    )
    assert answer.status_code == 201
    page = await client.get("/documents/keys")
    assert _rows(page.text) == {answer.json()["id"]: "pending"}
    assert "not valid yet" in page.text


async def test_each_signatory_sees_and_changes_only_their_own_keys(client):
    csrf = (await logged_in(client, state="KAZ", roles=["delegate"]))["X-CSRF-Token"]
    await _register(client, csrf, public_key=_pem())
    (kaz_key,) = _rows((await client.get("/documents/keys")).text)
    async with client_on(client.app) as other:
        csrf = (await logged_in(other, state="BLR", roles=["delegate"]))["X-CSRF-Token"]
        page = await other.get("/documents/keys")
        assert kaz_key not in page.text
        refused = await other.post(
            f"/documents/keys/{kaz_key}/revoke", data={"csrf_token": csrf, "reason": "mine now"}
        )
        assert refused.status_code == 404
        assert (await other.get(f"/documents/keys/{kaz_key}.pub")).status_code == 404
        assert (await other.get("/documents/keys/nonsense.pub")).status_code == 404
        stolen = await _register(other, csrf, public_key=_pem(), replaces=kaz_key)
        assert stolen.status_code == 422
    assert _rows((await client.get("/documents/keys")).text) == {kaz_key: "valid"}


async def test_the_secretariat_sees_every_key_and_others_get_no_form(client):
    csrf = (await logged_in(client, state="KAZ", roles=["delegate"]))["X-CSRF-Token"]
    await _register(client, csrf, public_key=_pem())
    (kaz_key,) = _rows((await client.get("/documents/keys")).text)
    async with client_on(client.app) as officer:
        await logged_in(officer, state="ORG", roles=["secretariat"], clearance="SECRET")
        page = await officer.get("/documents/keys")
        assert kaz_key in _rows(page.text)
        assert "--trusted-keys DIR" in page.text
        assert 'id="register-form"' not in page.text
        assert (await officer.get(f"/documents/keys/{kaz_key}.pub")).status_code == 200
    async with client_on(client.app) as analyst:
        csrf = (await logged_in(analyst, state="KAZ", roles=["analyst"]))["X-CSRF-Token"]
        page = await analyst.get("/documents/keys")
        assert _rows(page.text) == {}
        assert 'id="register-form"' not in page.text
        refused = await _register(analyst, csrf, public_key=_pem())
        assert refused.status_code == 403
    async with client_on(client.app) as visitor:
        answer = await visitor.get("/documents/keys")
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/login")


async def test_the_document_page_links_the_keys_page_for_signatories(client):
    document_id = await assemble(client)
    await logged_in(client, state="KGZ", roles=["delegate"])
    page = await client.get(f"/documents/{document_id}")
    assert 'href="/documents/keys"' in page.text
    async with client_on(client.app) as analyst:
        await logged_in(analyst, state="KGZ", roles=["analyst"])
        page = await analyst.get(f"/documents/{document_id}")
        assert 'href="/documents/keys"' not in page.text
        assert page.status_code == 200
