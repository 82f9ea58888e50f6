"""Manifests and Ed25519 keys: pure functions, no database and no settings.

A manifest is the RFC 8785 canonical JSON of a document version's identity and the SHA-256 of
each authentic text. Signatories sign those bytes; anyone holding them, the texts and the public
keys can check the signatures offline (``accord verify``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

MANIFEST_FORMAT = "accord.manifest/1"
KEY_BYTES = 32
SIGNATURE_BYTES = 64


class KeyFormatError(ValueError):
    """The bytes given are not an Ed25519 key in a form Accord reads."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_bytes(content: str) -> bytes:
    """An authentic text as it is hashed and shipped: UTF-8, exactly as stored."""
    return content.encode("utf-8")


def manifest_body(
    *,
    document_id: str,
    version: int,
    title: dict[str, str],
    kind: str,
    package_id: str,
    texts: dict[str, str],
) -> dict[str, Any]:
    """What a manifest says: the document's identity and each language's text hash."""
    return {
        "format": MANIFEST_FORMAT,
        "document": document_id,
        "package": package_id,
        "kind": kind,
        "version": version,
        "title": dict(title),
        "texts": {language: {"sha256": digest} for language, digest in texts.items()},
    }


def canonical(body: dict[str, Any]) -> bytes:
    """The bytes that are signed: RFC 8785 (JSON Canonicalization Scheme)."""
    return rfc8785.dumps(body)


def b64decode(value: str, *, size: int | None = None) -> bytes:
    """Standard or URL-safe base64, padding optional; ValueError when it is not."""
    text = value.strip().replace("-", "+").replace("_", "/")
    try:
        data = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("not base64") from None
    if size is not None and len(data) != size:
        raise ValueError(f"{len(data)} bytes where {size} were expected")
    return data


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def public_key_raw(data: bytes | str) -> bytes:
    """A public key given as PEM, raw 32 bytes, or raw 32 bytes in base64: its raw bytes."""
    blob = data.encode() if isinstance(data, str) else data
    stripped = blob.strip()
    if stripped.startswith(b"-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(stripped)
        except ValueError:
            raise KeyFormatError("the PEM block is not a public key") from None
        if not isinstance(key, Ed25519PublicKey):
            raise KeyFormatError("the PEM block holds a key of another type, not Ed25519")
        return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    if len(blob) == KEY_BYTES and not _looks_base64(blob):
        return blob
    try:
        return b64decode(stripped.decode("ascii"), size=KEY_BYTES)
    except (ValueError, UnicodeDecodeError):
        raise KeyFormatError(
            "not an Ed25519 public key: give PEM or the raw 32 bytes (base64)"
        ) from None


def _looks_base64(blob: bytes) -> bool:
    try:
        b64decode(blob.decode("ascii"), size=KEY_BYTES)
    except (ValueError, UnicodeDecodeError):
        return False
    return True


def private_key_from(data: bytes) -> Ed25519PrivateKey:
    """A private key file: PEM (PKCS#8, unencrypted), raw 32 bytes, or those in base64."""
    stripped = data.strip()
    if stripped.startswith(b"-----BEGIN"):
        try:
            key = serialization.load_pem_private_key(stripped, password=None)
        except (ValueError, TypeError) as error:
            raise KeyFormatError(f"the PEM block is not a readable private key: {error}") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise KeyFormatError("the PEM block holds a key of another type, not Ed25519")
        return key
    if len(data) == KEY_BYTES:
        return Ed25519PrivateKey.from_private_bytes(data)
    try:
        return Ed25519PrivateKey.from_private_bytes(b64decode(stripped.decode("ascii"), size=32))
    except (ValueError, UnicodeDecodeError):
        raise KeyFormatError(
            "not an Ed25519 private key: give PEM (PKCS#8) or the raw 32 bytes"
        ) from None


def public_pem(raw: bytes) -> str:
    key = Ed25519PublicKey.from_public_bytes(raw)
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def public_raw_of(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def sign(key: Ed25519PrivateKey, message: bytes) -> str:
    """The detached signature of ``message``, base64."""
    return b64encode(key.sign(message))


def verifies(public_raw: bytes, signature: bytes, message: bytes) -> bool:
    """Whether ``signature`` is the key's Ed25519 signature of exactly ``message``."""
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True
