"""The documents API: assembling, signing over HTTP, bundles, and who sees what."""

from __future__ import annotations

import io
import zipfile

from accord.documents.bundle import verify_bundle
from accord.documents.manifest import sha256_hex
from tests.contract import assert_access_contract, client_on
from tests.documents.api_helpers import assemble, delegate_signs, logged_in
from tests.documents.helpers import MEMBERS, TEXTS

PACKAGE = {"title": {"en": "Minsk 2023", "ru": "Минск 2023"}}


async def test_only_the_secretariat_assembles_packages(client):
    answer = await assert_access_contract(
        client, "POST", "/api/v1/document-packages", json=PACKAGE, allowed_roles=["secretariat"]
    )
    assert answer.status_code == 201
    assert answer.json()["owner"] == "ORG"


async def test_delegates_sign_over_http_and_the_document_enters_into_force(client):
    document_id = await assemble(client)
    for state in MEMBERS:
        answer = await delegate_signs(client, document_id, state)
        assert answer.status_code == 201, answer.text
    assert answer.json()["document_status"] == "in_force"
    headers = await logged_in(client, state="KAZ", roles=["analyst"])
    read = (await client.get(f"/api/v1/documents/{document_id}", headers=headers)).json()
    assert read["status"] == "in_force"
    assert read["signatories"] == list(MEMBERS)
    assert read["states_bound"] == list(MEMBERS)
    version = read["versions"][0]
    assert {t["language"]: t["sha256"] for t in version["texts"]} == {
        language: sha256_hex(text.encode()) for language, text in TEXTS.items()
    }
    assert all(slot["signed"] and slot["signer"] for slot in version["slots"])


async def test_the_bundle_holds_manifest_texts_signatures_and_keys_and_verifies(client):
    document_id = await assemble(client)
    for state in ("ARM", "BLR"):
        assert (await delegate_signs(client, document_id, state)).status_code == 201
    await logged_in(client, state="BLR", roles=["analyst"])
    answer = await client.get(f"/api/v1/documents/{document_id}/bundle")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/zip"
    names = set(zipfile.ZipFile(io.BytesIO(answer.content)).namelist())
    assert {"manifest.json", "texts/en.txt", "texts/ru.txt", "signatures.json"} <= names
    assert len([n for n in names if n.endswith(".pub")]) == 2
    report = verify_bundle(answer.content)
    assert report.ok, report.problem
    assert len(report.signed) == 2
    manifest = await client.get(f"/api/v1/documents/{document_id}/manifest")
    assert zipfile.ZipFile(io.BytesIO(answer.content)).read("manifest.json") == manifest.content


async def test_a_refused_signature_answers_with_the_field_and_stores_nothing(client):
    document_id = await assemble(client)
    headers = await logged_in(client, state="KAZ", roles=["delegate"])
    answer = await client.post(
        f"/api/v1/documents/{document_id}/signatures",
        json={"version": 1, "key_id": "00000000-0000-0000-0000-000000000000", "signature": "AA"},
        headers=headers,
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "key_id"
    read = (await client.get(f"/api/v1/documents/{document_id}")).json()
    assert not any(slot["signed"] for slot in read["versions"][0]["slots"])


async def test_signing_needs_a_login(client):
    document_id = await assemble(client)
    answer = await client.post(
        f"/api/v1/documents/{document_id}/signatures",
        json={"version": 1, "key_id": "00000000-0000-0000-0000-000000000000", "signature": "AA"},
    )
    assert answer.status_code == 401


async def test_a_restricted_document_is_not_found_by_the_public(client):
    document_id = await assemble(client)
    for state in MEMBERS:
        await delegate_signs(client, document_id, state)
    async with client_on(client.app) as public:
        for path in ("", "/bundle", "/manifest"):
            answer = await public.get(f"/api/v1/documents/{document_id}{path}")
            assert answer.status_code == 404, path
        listed = await public.get("/api/v1/documents")
        assert listed.status_code == 200
        assert listed.json()["items"] == []


async def test_a_public_document_in_force_is_downloadable_without_login(client):
    document_id = await assemble(client, classification="PUBLIC")
    async with client_on(client.app) as public:
        assert (await public.get(f"/api/v1/documents/{document_id}/bundle")).status_code == 404
        for state in MEMBERS:
            await delegate_signs(client, document_id, state)
        answer = await public.get(f"/api/v1/documents/{document_id}/bundle")
        assert answer.status_code == 200
        assert verify_bundle(answer.content).ok
        listed = (await public.get("/api/v1/documents")).json()["items"]
        assert [item["id"] for item in listed] == [document_id]


async def test_a_document_released_to_one_state_is_hidden_from_the_others(client):
    document_id = await assemble(client, classification="CONFIDENTIAL", releasable_to=["KAZ"])
    async with client_on(client.app) as armenian:
        await logged_in(armenian, state="ARM", roles=["analyst"], clearance="SECRET")
        assert (await armenian.get(f"/api/v1/documents/{document_id}")).status_code == 404
        assert (await armenian.get(f"/api/v1/documents/{document_id}/bundle")).status_code == 404
        assert (await armenian.get("/api/v1/documents")).json()["items"] == []
    async with client_on(client.app) as low:
        await logged_in(low, state="KAZ", roles=["analyst"], clearance="RESTRICTED")
        assert (await low.get(f"/api/v1/documents/{document_id}")).status_code == 404
    async with client_on(client.app) as kazakh:
        await logged_in(kazakh, state="KAZ", roles=["analyst"], clearance="CONFIDENTIAL")
        assert (await kazakh.get(f"/api/v1/documents/{document_id}")).status_code == 200
        items = (await kazakh.get("/api/v1/documents")).json()["items"]
        assert [item["id"] for item in items] == [document_id]


async def test_a_delegate_cannot_edit_a_document(client):
    document_id = await assemble(client, open_it=False)
    headers = await logged_in(client, state="KAZ", roles=["delegate"])
    answer = await client.put(
        f"/api/v1/documents/{document_id}/versions/1/texts/en",
        json={"content": "Changed."},
        headers=headers,
    )
    assert answer.status_code == 403


async def test_texts_change_only_in_a_draft(client):
    document_id = await assemble(client)
    headers = await logged_in(client, state="ORG", roles=["secretariat"], clearance="SECRET")
    answer = await client.put(
        f"/api/v1/documents/{document_id}/versions/1/texts/en",
        json={"content": "Changed."},
        headers=headers,
    )
    assert answer.status_code == 409
    moved = await client.post(
        f"/api/v1/documents/{document_id}/versions/1/status",
        json={"status": "in_force"},
        headers=headers,
    )
    assert moved.status_code == 409


async def test_signing_keys_are_registered_listed_and_revoked_by_their_holder(client):
    headers = await logged_in(client, state="KAZ", roles=["delegate"])
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from accord.documents.manifest import public_pem, public_raw_of

    pem = public_pem(public_raw_of(Ed25519PrivateKey.generate()))
    created = await client.post("/api/v1/signing-keys", json={"public_key": pem}, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["valid_until"] is not None
    listed = (await client.get("/api/v1/signing-keys")).json()["items"]
    assert [key["id"] for key in listed] == [created.json()["id"]]
    revoked = await client.post(
        f"/api/v1/signing-keys/{created.json()['id']}/revoke",
        json={"reason": "rotation"},
        headers=headers,
    )
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    bad = await client.post(
        "/api/v1/signing-keys", json={"public_key": "bm90IGEga2V5"}, headers=headers
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "public_key"
    async with client_on(client.app) as analyst:
        analyst_headers = await logged_in(analyst, state="KAZ", roles=["analyst"])
        answer = await analyst.post(
            "/api/v1/signing-keys", json={"public_key": pem}, headers=analyst_headers
        )
        assert answer.status_code == 403


async def test_certified_copies_over_http(client):
    document_id = await assemble(client)
    assert (await delegate_signs(client, document_id, "KAZ")).status_code == 201
    headers = await logged_in(client, state="ORG", roles=["secretariat"], clearance="SECRET")
    issued = await client.post(
        f"/api/v1/documents/{document_id}/certified-copies", json={"state": "KAZ"}, headers=headers
    )
    assert issued.status_code == 201
    refused = await client.post(
        f"/api/v1/documents/{document_id}/certified-copies", json={"state": "ARM"}, headers=headers
    )
    assert refused.status_code == 409


async def test_postgresql_smoke(pg_client):
    document_id = await assemble(pg_client, classification="PUBLIC")
    for state in MEMBERS:
        assert (await delegate_signs(pg_client, document_id, state)).status_code == 201
    async with client_on(pg_client.app) as public:
        answer = await public.get(f"/api/v1/documents/{document_id}/bundle")
    assert verify_bundle(answer.content).ok
