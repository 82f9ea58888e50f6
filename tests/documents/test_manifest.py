"""Manifests, keys and signatures: pure functions, no database."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from accord.documents.manifest import (
    KeyFormatError,
    b64decode,
    b64encode,
    canonical,
    manifest_body,
    private_key_from,
    private_pem,
    public_key_raw,
    public_pem,
    public_raw_of,
    sign,
    verifies,
)

TITLE = {"ru": "Минская декларация", "en": "Minsk Declaration"}


def body(**texts: str) -> dict:
    return manifest_body(
        document_id="0b8e6a1e-5b07-4c36-9d38-4a9c2d6a1f00",
        package_id="5f2b1d0e-1111-4c36-9d38-4a9c2d6a1f00",
        version=2,
        title=TITLE,
        kind="declaration",
        texts=texts or {"ru": "b" * 64, "en": "a" * 64},
    )


def test_the_manifest_is_rfc8785_canonical_json():
    data = canonical(body())
    text = data.decode("utf-8")
    # Keys sorted by UTF-16 code units, no whitespace, non-ASCII as UTF-8 (not \u escapes).
    assert text.startswith('{"document":"0b8e6a1e')
    assert '"texts":{"en":{"sha256":"aaaa' in text
    assert "Минская декларация" in text
    assert " " not in text.replace("Minsk Declaration", "").replace("Минская декларация", "")
    assert json.loads(data) == body()


def test_the_order_texts_were_given_in_does_not_change_the_bytes():
    assert canonical(body(en="a" * 64, ru="b" * 64)) == canonical(body(ru="b" * 64, en="a" * 64))


@given(st.dictionaries(st.sampled_from(["en", "ru", "kk", "hy"]), st.text(min_size=1), min_size=1))
def test_canonical_bytes_do_not_depend_on_insertion_order(texts):
    reversed_texts = dict(reversed(list(texts.items())))
    assert canonical(body(**texts)) == canonical(body(**reversed_texts))


def test_a_signature_verifies_over_its_manifest_and_nothing_else():
    key = Ed25519PrivateKey.generate()
    manifest = canonical(body())
    signature = b64decode(sign(key, manifest))
    raw = public_raw_of(key)
    assert verifies(raw, signature, manifest)
    assert not verifies(raw, signature, canonical(body(en="c" * 64, ru="b" * 64)))
    assert not verifies(public_raw_of(Ed25519PrivateKey.generate()), signature, manifest)
    assert not verifies(raw, bytes(64), manifest)


def test_a_signature_made_elsewhere_verifies_here_and_one_made_here_verifies_elsewhere():
    key = Ed25519PrivateKey.generate()
    manifest = canonical(body())
    # Made by the cryptography library directly (as an outside tool would), checked by Accord.
    assert verifies(public_raw_of(key), key.sign(manifest), manifest)
    # Made by Accord, checked by the library directly.
    key.public_key().verify(b64decode(sign(key, manifest)), manifest)


def test_public_keys_are_read_as_pem_raw_bytes_or_base64():
    key = Ed25519PrivateKey.generate()
    raw = public_raw_of(key)
    assert public_key_raw(public_pem(raw)) == raw
    assert public_key_raw(raw) == raw
    assert public_key_raw(b64encode(raw)) == raw
    for wrong in ("not a key", b64encode(raw[:31]), "-----BEGIN PUBLIC KEY-----\nxx\n-----END"):
        with pytest.raises(KeyFormatError):
            public_key_raw(wrong)


def test_private_keys_are_read_as_pem_or_raw_bytes():
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes_raw()
    assert public_raw_of(private_key_from(private_pem(key))) == public_raw_of(key)
    assert public_raw_of(private_key_from(raw)) == public_raw_of(key)
    with pytest.raises(KeyFormatError):
        private_key_from(b"hello")
