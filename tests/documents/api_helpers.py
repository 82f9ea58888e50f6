"""Driving the documents API as the secretariat and as delegates, for the API and CLI tests."""

from __future__ import annotations

from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from accord.documents.manifest import b64encode, public_raw_of, sign
from tests.contract import client_on
from tests.documents.helpers import TEXTS
from tests.factories import add_user, login


async def logged_in(client: httpx.AsyncClient, **user: Any) -> dict[str, str]:
    """Log a new user in on ``client``; the headers its changing calls need."""
    found = await add_user(client.app.state.db, **user)  # type: ignore[attr-defined]
    return {"X-CSRF-Token": await login(client, found.username)}


async def assemble(
    client: httpx.AsyncClient,
    *,
    classification: str = "RESTRICTED",
    releasable_to: list[str] | None = None,
    open_it: bool = True,
) -> str:
    """As a new secretariat officer (on a client of its own): a document open for signature."""
    async with client_on(client.app) as officer:  # type: ignore[attr-defined]
        headers = await logged_in(officer, state="ORG", roles=["secretariat"], clearance="SECRET")
        package = await officer.post(
            "/api/v1/document-packages",
            json={
                "title": {"en": "Minsk 2023"},
                "classification": classification,
                "releasable_to": releasable_to or ["ALL"],
            },
            headers=headers,
        )
        assert package.status_code == 201, package.text
        document = await officer.post(
            "/api/v1/documents",
            json={
                "package_id": package.json()["id"],
                "kind": "declaration",
                "title": {"en": "Minsk Declaration", "ru": "Минская декларация"},
                "texts": TEXTS,
            },
            headers=headers,
        )
        assert document.status_code == 201, document.text
        document_id = document.json()["id"]
        for status in ("agreed", "open_for_signature") if open_it else ():
            moved = await officer.post(
                f"/api/v1/documents/{document_id}/versions/1/status",
                json={"status": status},
                headers=headers,
            )
            assert moved.status_code == 200, moved.text
    return document_id


async def delegate_signs(
    client: httpx.AsyncClient, document_id: str, state: str, key: Ed25519PrivateKey | None = None
) -> httpx.Response:
    """A new delegate of ``state`` registers a key, fetches the manifest, signs and posts."""
    async with client_on(client.app) as delegate:  # type: ignore[attr-defined]
        headers = await logged_in(delegate, state=state, roles=["delegate"])
        key = key or Ed25519PrivateKey.generate()
        registered = await delegate.post(
            "/api/v1/signing-keys",
            json={"public_key": b64encode(public_raw_of(key)), "label": "laptop"},
            headers=headers,
        )
        assert registered.status_code == 201, registered.text
        manifest = await delegate.get(f"/api/v1/documents/{document_id}/manifest?version=1")
        assert manifest.status_code == 200, manifest.text
        return await delegate.post(
            f"/api/v1/documents/{document_id}/signatures",
            json={
                "version": 1,
                "key_id": registered.json()["id"],
                "signature": sign(key, manifest.content),
            },
            headers=headers,
        )
