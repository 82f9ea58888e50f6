"""`accord keygen`, `accord sign` and `accord verify`: the signatory's and the verifier's tools.

They run on the signatory's or the verifier's own machine: no database, no settings, no
network. Keep it so: nothing here imports the app or the database.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import rfc8785
import typer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from accord.cli.common import command, console, errors, fail
from accord.documents.bundle import TrustedKey, TrustedKeys, verify_bundle
from accord.documents.manifest import (
    KeyFormatError,
    b64encode,
    private_key_from,
    private_pem,
    public_key_raw,
    public_pem,
    public_raw_of,
)
from accord.documents.manifest import (
    sign as sign_bytes,
)

MAX_FILE_BYTES = 200 * 1024 * 1024


def _read(path: Path, name: str, limit: int = MAX_FILE_BYTES) -> bytes:
    if str(path) == "-":
        return sys.stdin.buffer.read(limit + 1)[:limit]
    if not path.is_file():
        fail(f"{name}: {path}: no such file")
    if path.stat().st_size > limit:
        fail(f"{name}: {path}: larger than {limit} bytes")
    return path.read_bytes()


@command
def keygen(
    out: Annotated[Path, typer.Argument(help="Where to write the private key (PEM, PKCS#8).")],
) -> None:
    """Create an Ed25519 key pair here: OUT (private, keep it) and OUT.pub (public)."""
    public_path = out.with_name(out.name + ".pub")
    for path in (out, public_path):
        if path.exists():
            fail(f"OUT: {path} exists already; choose another name")
    if not out.parent.is_dir():
        fail(f"OUT: {out.parent}: no such folder")
    key = Ed25519PrivateKey.generate()
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(private_pem(key))
    raw = public_raw_of(key)
    public_path.write_text(public_pem(raw))
    console.print(f"private key: {out} (keep it on this machine)")
    console.print(f"public key:  {public_path}")
    console.print("register this public key (POST /api/v1/signing-keys, public_key):")
    console.print(b64encode(raw), markup=False, highlight=False)


@command
def sign(
    manifest: Annotated[Path, typer.Argument(help="The manifest bytes to sign ('-': stdin).")],
    key: Annotated[Path, typer.Option("--key", help="Ed25519 private key: PEM or raw 32 bytes.")],
) -> None:
    """Sign a manifest with your own key; prints the signature (base64) to send to Accord."""
    data = _read(manifest, "MANIFEST", 10 * 1024 * 1024)
    try:
        body = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError):
        fail(f"MANIFEST: {manifest}: not JSON; fetch it from /api/v1/documents/ID/manifest")
    if not isinstance(body, dict) or rfc8785.dumps(body) != data:
        fail(
            f"MANIFEST: {manifest}: not a manifest in canonical form (was it reformatted?); "
            "sign the bytes exactly as Accord gave them"
        )
    try:
        private = private_key_from(_read(key, "--key", 64 * 1024))
    except KeyFormatError as error:
        fail(f"--key: {key}: {error}")
    print(sign_bytes(private, data))


def _trusted_keys(folder: Path) -> TrustedKeys:
    """The public keys in FOLDER (``NAME.pub``, with validity in ``NAME.json`` when given)."""
    if not folder.is_dir():
        fail(f"--trusted-keys: {folder}: no such folder")
    keys = []
    for path in sorted(folder.glob("*.pub")):
        try:
            raw = public_key_raw(_read(path, "--trusted-keys", 64 * 1024))
        except KeyFormatError as error:
            fail(f"--trusted-keys: {path}: {error}")
        info = None
        info_path = path.with_suffix(".json")
        if info_path.is_file():
            try:
                info = json.loads(_read(info_path, "--trusted-keys", 64 * 1024))
            except (json.JSONDecodeError, UnicodeDecodeError):
                fail(f"--trusted-keys: {info_path}: not valid JSON")
            if not isinstance(info, dict):
                fail(f"--trusted-keys: {info_path}: not a JSON object")
        keys.append(TrustedKey(path.stem, raw, info))
    if not keys:
        fail(f"--trusted-keys: {folder}: no public keys (*.pub) in it")
    return TrustedKeys(str(folder), keys)


@command
def verify(
    bundle: Annotated[Path, typer.Argument(help="A verification bundle (zip) from Accord.")],
    trusted_keys: Annotated[
        Path | None,
        typer.Option(
            "--trusted-keys",
            help="A folder of public keys (*.pub) you got from the depositary; a signature by "
            "any other key fails.",
        ),
    ] = None,
) -> None:
    """Check a bundle offline: every text against the manifest, every signature against its key."""
    trusted = _trusted_keys(trusted_keys) if trusted_keys is not None else None
    data = _read(bundle, "BUNDLE")
    if trusted is None:
        console.print(
            "keys: taken from the bundle itself, so this checks that the bundle is consistent, "
            "not who made it; pass --trusted-keys DIR with the public keys from the depositary "
            "to check the signatories",
            markup=False,
        )
    else:
        console.print(
            f"keys: {len(trusted.keys)} trusted key(s) from {trusted.source}; "
            "a signature by any other key fails",
            markup=False,
        )
    report = verify_bundle(data, trusted)
    if report.document:
        console.print(f"document {report.document}, version {report.version}", markup=False)
    for language, digest in report.texts.items():
        console.print(f"text {language}: SHA-256 {digest} matches the manifest", markup=False)
    for line in report.signed:
        console.print(f"{line}: valid over texts {', '.join(report.texts)}", markup=False)
    if not report.ok:
        errors.print(f"FAILED: {report.problem}", markup=False, highlight=False)
        raise typer.Exit(1)
    source = "trusted keys" if trusted is not None else "keys from the bundle"
    console.print(
        f"verified: {len(report.signed)} signature(s) over {len(report.texts)} text(s) "
        f"with {source}",
        markup=False,
    )
