"""Verification bundles: writing the zip and checking it offline, with no database or settings.

A bundle holds ``manifest.json`` (the signed bytes), ``texts/<language>.txt``,
``signatures.json`` and, per key, ``keys/<key id>.pub`` (PEM) with ``keys/<key id>.json`` (whose
key it is and when it was valid). :func:`verify_bundle` is what ``accord verify`` runs.

Keys carried in the bundle only show that the bundle is consistent: whoever made it could have
made the keys too. A verifier who holds the public keys from the depositary, got out of band,
passes them as :class:`TrustedKeys`; then a signature by any other key fails as an unknown key.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from accord.documents.manifest import (
    KeyFormatError,
    b64decode,
    canonical,
    public_key_raw,
    sha256_hex,
    verifies,
)

MANIFEST = "manifest.json"
SIGNATURES = "signatures.json"
# A fixed time for every entry, so the same contents give the same zip bytes.
ZIP_TIME = (2020, 1, 1, 0, 0, 0)
MAX_ENTRY_BYTES = 50 * 1024 * 1024


@dataclass
class BundleSignature:
    state: str
    signer: str
    key_id: str
    signed_at: str
    signature: str


@dataclass
class BundleKey:
    key_id: str
    pem: str
    info: dict[str, Any]


def write_bundle(
    manifest: bytes,
    texts: dict[str, bytes],
    signatures: list[BundleSignature],
    keys: list[BundleKey],
    *,
    document: dict[str, Any],
) -> bytes:
    """The zip of a version: manifest, texts, signatures and the keys that made them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def put(name: str, data: bytes) -> None:
            entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)

        put(MANIFEST, manifest)
        for language, data in sorted(texts.items()):
            put(f"texts/{language}.txt", data)
        listing = {
            **document,
            "signatures": [signature.__dict__ for signature in signatures],
        }
        put(SIGNATURES, json.dumps(listing, indent=2, ensure_ascii=False).encode() + b"\n")
        for key in sorted(keys, key=lambda k: k.key_id):
            put(f"keys/{key.key_id}.pub", key.pem.encode("ascii"))
            info = json.dumps(key.info, indent=2, ensure_ascii=False).encode() + b"\n"
            put(f"keys/{key.key_id}.json", info)
    return buffer.getvalue()


@dataclass
class TrustedKey:
    """A public key the verifier holds from the depositary, with its validity when given."""

    name: str
    raw: bytes
    info: dict[str, Any] | None = None


@dataclass
class TrustedKeys:
    """The verifier's own public keys; ``source`` names where they came from (a folder)."""

    source: str
    keys: list[TrustedKey]

    def by_name(self, key_id: str) -> TrustedKey | None:
        return next((key for key in self.keys if key.name == key_id), None)

    def by_raw(self, raw: bytes) -> TrustedKey | None:
        return next((key for key in self.keys if key.raw == raw), None)


@dataclass
class Verification:
    """What ``accord verify`` found: ``problem`` names the first failure, or is None."""

    problem: str | None = None
    document: str = ""
    version: int | None = None
    texts: dict[str, str] = field(default_factory=dict)
    signed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem is None


class BundleError(Exception):
    """The first thing in a bundle that does not verify."""


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        entry = archive.getinfo(name)
    except KeyError:
        raise BundleError(f"{name} is missing from the bundle") from None
    if entry.file_size > MAX_ENTRY_BYTES:
        raise BundleError(f"{name} is larger than {MAX_ENTRY_BYTES} bytes")
    try:
        return archive.read(entry)
    except (zipfile.BadZipFile, OSError) as error:
        raise BundleError(f"{name}: changed or damaged ({error})") from None


def _json(data: bytes, name: str) -> Any:
    try:
        return json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BundleError(f"{name}: not valid JSON ({error})") from None


def _instant(value: Any, where: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise BundleError(f"{where}: {value!r} is not an ISO 8601 time") from None
    if moment.utcoffset() is None:
        raise BundleError(f"{where}: {value!r} has no UTC offset")
    return moment


def _check_manifest(archive: zipfile.ZipFile, report: Verification) -> bytes:
    manifest = _read(archive, MANIFEST)
    body = _json(manifest, MANIFEST)
    if not isinstance(body, dict) or not isinstance(body.get("texts"), dict):
        raise BundleError(f"{MANIFEST}: not an Accord manifest (no texts)")
    if canonical(body) != manifest:
        raise BundleError(f"{MANIFEST}: changed (it is not in its canonical RFC 8785 form)")
    report.document = str(body.get("document", ""))
    report.version = body.get("version")
    names = {name for name in archive.namelist() if name.startswith("texts/")}
    for language, entry in sorted(body["texts"].items()):
        name = f"texts/{language}.txt"
        names.discard(name)
        expected = entry.get("sha256") if isinstance(entry, dict) else None
        actual = sha256_hex(_read(archive, name))
        if actual != expected:
            raise BundleError(f"{name}: changed (SHA-256 {actual}, the manifest says {expected})")
        report.texts[language] = actual
    if names:
        raise BundleError(f"{sorted(names)[0]}: a text the manifest does not name")
    return manifest


def _bundled_key(
    archive: zipfile.ZipFile, key_id: str, state: str, *, required: bool
) -> tuple[bytes | None, dict[str, Any]]:
    name = f"keys/{key_id}.pub"
    if "/" in key_id or ".." in key_id:
        raise BundleError(f"unknown key {key_id} (signature of {state}): not a key name")
    if name not in archive.namelist():
        if required:
            raise BundleError(f"unknown key {key_id} (signature of {state}): not in the bundle")
        return None, {}
    try:
        raw = public_key_raw(_read(archive, name))
    except KeyFormatError as error:
        raise BundleError(f"{name}: {error}") from None
    info_name = f"keys/{key_id}.json"
    info = _json(_read(archive, info_name), info_name) if info_name in archive.namelist() else {}
    return raw, info if isinstance(info, dict) else {}


def _key(
    archive: zipfile.ZipFile, key_id: str, state: str, trusted: TrustedKeys | None
) -> tuple[bytes, dict[str, Any]]:
    """The key that must verify a signature: the bundle's, or with ``trusted`` the verifier's."""
    if trusted is None:
        raw, info = _bundled_key(archive, key_id, state, required=True)
        assert raw is not None
        return raw, info
    named = trusted.by_name(key_id)
    raw, info = _bundled_key(archive, key_id, state, required=named is None)
    if named is not None:
        if raw is not None and raw != named.raw:
            raise BundleError(
                f"unknown key {key_id} (signature of {state}): the bundle carries a different "
                f"key under this id than the trusted {named.name}.pub in {trusted.source}"
            )
        found = named
    else:
        found = trusted.by_raw(raw) if raw is not None else None
        if found is None:
            raise BundleError(
                f"unknown key {key_id} (signature of {state}): the bundle carries it, but it is "
                f"not among the trusted keys in {trusted.source}"
            )
    # The validity the depositary gave with the key outweighs what the bundle says.
    return found.raw, found.info if found.info is not None else info


def _check_validity(info: dict[str, Any], signed_at: datetime, where: str, key_id: str) -> None:
    valid_from = _instant(info.get("valid_from"), f"keys/{key_id}.json valid_from")
    valid_until = _instant(info.get("valid_until"), f"keys/{key_id}.json valid_until")
    revoked_at = _instant(info.get("revoked_at"), f"keys/{key_id}.json revoked_at")
    if valid_from and signed_at < valid_from:
        raise BundleError(f"{where}: signed before key {key_id} became valid")
    if valid_until and signed_at >= valid_until:
        raise BundleError(f"{where}: signed after key {key_id} expired")
    if revoked_at and signed_at >= revoked_at:
        raise BundleError(f"{where}: signed after key {key_id} was revoked")


def _check_signatures(
    archive: zipfile.ZipFile,
    manifest: bytes,
    report: Verification,
    trusted: TrustedKeys | None,
) -> None:
    listing = _json(_read(archive, SIGNATURES), SIGNATURES)
    entries = listing.get("signatures") if isinstance(listing, dict) else None
    if not isinstance(entries, list):
        raise BundleError(f"{SIGNATURES}: no list of signatures")
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise BundleError(f"{SIGNATURES}: entry {index} is not an object")
        state, key_id = str(entry.get("state", "?")), str(entry.get("key_id", ""))
        where = f"signature of {state} ({SIGNATURES} entry {index})"
        raw, info = _key(archive, key_id, state, trusted)
        signed_at = _instant(entry.get("signed_at"), f"{where} signed_at")
        if signed_at is None:
            raise BundleError(f"{where}: no signed_at")
        if info.get("state") not in (None, state):
            raise BundleError(f"{where}: key {key_id} belongs to {info.get('state')}, not {state}")
        _check_validity(info, signed_at, where, key_id)
        try:
            signature = b64decode(str(entry.get("signature", "")), size=64)
        except ValueError as error:
            raise BundleError(
                f"{where}: the signature is not 64 bytes of base64 ({error})"
            ) from None
        if not verifies(raw, signature, manifest):
            raise BundleError(f"bad signature: {where} with key {key_id} does not verify")
        report.signed.append(
            f"{state}: signed by {entry.get('signer', '?')} at {signed_at.isoformat()} "
            f"with key {key_id}"
        )


def verify_bundle(data: bytes, trusted: TrustedKeys | None = None) -> Verification:
    """Check every text against the manifest and every signature against its key.

    With ``trusted``, every signature must be by one of those keys, whatever the bundle carries.
    """
    report = Verification()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            manifest = _check_manifest(archive, report)
            _check_signatures(archive, manifest, report, trusted)
    except zipfile.BadZipFile:
        report.problem = "not a verification bundle: the file is not a zip archive"
    except BundleError as error:
        report.problem = str(error)
    return report
