"""`accord keygen`, `accord sign` and `accord verify` as processes, with no database to reach."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from accord.documents.manifest import b64encode, public_key_raw, public_pem, public_raw_of, sign
from tests.conftest import run_cli
from tests.contract import client_on
from tests.documents.api_helpers import assemble, delegate_signs, logged_in

# Nothing may reach for the database or the settings on these paths.
NOWHERE = {
    "ACCORD_DATABASE_URL": "sqlite+aiosqlite:////nonexistent/folder/accord.db",
    "ACCORD_DATA_DIR": "/nonexistent/folder",
}


async def _bundle(client, tmp_path: Path) -> Path:
    document_id = await assemble(client, classification="PUBLIC")
    for state in ("ARM", "KAZ"):
        assert (await delegate_signs(client, document_id, state)).status_code == 201
    async with client_on(client.app) as reader:
        await logged_in(reader, state="KAZ", roles=["analyst"])
        answer = await reader.get(f"/api/v1/documents/{document_id}/bundle")
    path = tmp_path / "bundle.zip"
    path.write_bytes(answer.content)
    return path


def _text(path: Path) -> str:
    return path.read_text()


def _rewrite(source: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for name in original.namelist():
            data = change(name, original.read(name))
            if data is not None:
                copy.writestr(name, data)
    return target


async def test_verify_confirms_a_bundle_offline_and_says_who_signed_what_when(client, tmp_path):
    bundle = await _bundle(client, tmp_path)
    done = run_cli("verify", str(bundle), env=NOWHERE)
    assert done.returncode == 0, done.stderr
    assert "text en: SHA-256" in done.stdout and "text ru: SHA-256" in done.stdout
    assert "ARM: signed by" in done.stdout and "KAZ: signed by" in done.stdout
    assert "verified: 2 signature(s) over 2 text(s)" in done.stdout


async def test_verify_names_a_changed_byte_in_a_text(client, tmp_path):
    bundle = await _bundle(client, tmp_path)

    def flip(name: str, data: bytes) -> bytes:
        return data[:5] + bytes([data[5] ^ 1]) + data[6:] if name == "texts/ru.txt" else data

    done = run_cli("verify", str(_rewrite(bundle, tmp_path / "b.zip", flip)), env=NOWHERE)
    assert done.returncode == 1
    assert "texts/ru.txt: changed" in done.stderr


async def test_verify_refuses_a_changed_manifest_an_unknown_key_and_a_bad_signature(
    client, tmp_path
):
    bundle = await _bundle(client, tmp_path)

    def manifest(name: str, data: bytes) -> bytes:
        return data.replace(b"Minsk", b"Minsq") if name == "manifest.json" else data

    def no_keys(name: str, data: bytes) -> bytes | None:
        return None if name.startswith("keys/") else data

    def bad_signature(name: str, data: bytes) -> bytes:
        if name != "signatures.json":
            return data
        listing = json.loads(data)
        first = listing["signatures"][0]
        first["signature"] = listing["signatures"][1]["signature"]
        return json.dumps(listing).encode()

    for change, expected in (
        (manifest, "bad signature"),
        (no_keys, "unknown key"),
        (bad_signature, "bad signature"),
    ):
        target = _rewrite(bundle, tmp_path / f"{change.__name__}.zip", change)
        done = run_cli("verify", str(target), env=NOWHERE)
        assert done.returncode == 1, change.__name__
        assert expected in done.stderr, done.stderr


async def test_keygen_then_sign_makes_a_signature_the_server_accepts(client, tmp_path):
    document_id = await assemble(client)
    key_path = tmp_path / "delegate.key"
    made = run_cli("keygen", str(key_path), env=NOWHERE)
    assert made.returncode == 0, made.stderr
    assert oct(key_path.stat().st_mode)[-3:] == "600"
    public = made.stdout.strip().splitlines()[-1]
    assert public_key_raw(_text(key_path.with_name("delegate.key.pub"))) == public_key_raw(public)
    headers = await logged_in(client, state="KGZ", roles=["delegate"])
    key = await client.post("/api/v1/signing-keys", json={"public_key": public}, headers=headers)
    manifest = tmp_path / "manifest.json"
    manifest.write_bytes((await client.get(f"/api/v1/documents/{document_id}/manifest")).content)
    signed = run_cli("sign", str(manifest), "--key", str(key_path), env=NOWHERE)
    assert signed.returncode == 0, signed.stderr
    answer = await client.post(
        f"/api/v1/documents/{document_id}/signatures",
        json={"version": 1, "key_id": key.json()["id"], "signature": signed.stdout.strip()},
        headers=headers,
    )
    assert answer.status_code == 201, answer.text


def test_bad_arguments_exit_2_with_a_reason(tmp_path):
    manifest = tmp_path / "manifest.json"
    manifest.write_bytes(b'{"b": 1, "a": 2}')
    key = tmp_path / "key"
    key.write_bytes(b"not a key at all")
    for args, reason in (
        (("verify", str(tmp_path / "missing.zip")), "no such file"),
        (("sign", str(manifest), "--key", str(key)), "canonical"),
        (("sign", str(tmp_path / "nothing.json"), "--key", str(key)), "no such file"),
        (("sign", str(manifest)), "--key"),
    ):
        done = run_cli(*args, env=NOWHERE)
        assert done.returncode == 2, args
        assert reason in done.stderr, done.stderr
    manifest.write_bytes(b'{"a":2,"b":1}')
    done = run_cli("sign", str(manifest), "--key", str(key), env=NOWHERE)
    assert done.returncode == 2
    assert "not an Ed25519 private key" in done.stderr
    raw = tmp_path / "raw.key"
    raw.write_bytes(bytes(range(32)))
    done = run_cli("sign", str(manifest), "--key", str(raw), env=NOWHERE)
    assert done.returncode == 0
    assert len(b64encode(bytes(64))) == len(done.stdout.strip())


def test_a_file_that_is_not_a_bundle_fails_verification(tmp_path):
    path = tmp_path / "bundle.zip"
    path.write_bytes(io.BytesIO(b"plain text").getvalue())
    done = run_cli("verify", str(path), env=NOWHERE)
    assert done.returncode == 1
    assert "not a zip" in done.stderr


def _keys_of(bundle: Path, folder: Path, rename=lambda key_id: key_id) -> dict[str, str]:
    """Copy the bundle's public keys into ``folder`` as a verifier would keep them; state → id."""
    folder.mkdir(exist_ok=True)
    with zipfile.ZipFile(bundle) as archive:
        listing = json.loads(archive.read("signatures.json"))
        for entry in listing["signatures"]:
            key_id = entry["key_id"]
            pem = archive.read(f"keys/{key_id}.pub")
            (folder / f"{rename(key_id)}.pub").write_bytes(pem)
    return {entry["state"]: entry["key_id"] for entry in listing["signatures"]}


def _forged(bundle: Path, target: Path, state: str, *, same_id: bool) -> Path:
    """The bundle with ``state``'s signature remade by a key the bundle's maker made up."""
    forger = Ed25519PrivateKey.generate()
    with zipfile.ZipFile(bundle) as original:
        manifest = original.read("manifest.json")
        listing = json.loads(original.read("signatures.json"))
        entry = next(e for e in listing["signatures"] if e["state"] == state)
        old_id = entry["key_id"]
        new_id = old_id if same_id else "f" * 8 + old_id[8:]
        entry["key_id"] = new_id
        entry["signature"] = sign(forger, manifest)
        with zipfile.ZipFile(target, "w") as copy:
            for name in original.namelist():
                data = original.read(name)
                if name == "signatures.json":
                    data = json.dumps(listing).encode()
                elif name == f"keys/{old_id}.pub":
                    name, data = f"keys/{new_id}.pub", public_pem(public_raw_of(forger)).encode()
                elif name == f"keys/{old_id}.json":
                    name = f"keys/{new_id}.json"
                copy.writestr(name, data)
    return target


async def test_without_trusted_keys_verify_says_the_keys_came_from_the_bundle(client, tmp_path):
    bundle = await _bundle(client, tmp_path)
    forged = _forged(bundle, tmp_path / "forged.zip", "KAZ", same_id=False)
    done = run_cli("verify", str(forged), env=NOWHERE)
    # Consistent in itself, so it passes, but the output says on what grounds.
    assert done.returncode == 0, done.stderr
    assert "keys: taken from the bundle itself" in done.stdout
    assert "with keys from the bundle" in done.stdout


async def test_trusted_keys_confirm_the_signatories_whatever_the_files_are_called(client, tmp_path):
    bundle = await _bundle(client, tmp_path)
    folder = tmp_path / "trusted"
    _keys_of(bundle, folder, rename=lambda key_id: f"signatory-{key_id[:8]}")
    done = run_cli("verify", str(bundle), "--trusted-keys", str(folder), env=NOWHERE)
    assert done.returncode == 0, done.stderr
    assert f"keys: 2 trusted key(s) from {folder}" in done.stdout
    assert "verified: 2 signature(s) over 2 text(s) with trusted keys" in done.stdout


async def test_a_key_not_among_the_trusted_ones_fails_even_when_the_bundle_carries_it(
    client, tmp_path
):
    bundle = await _bundle(client, tmp_path)
    folder = tmp_path / "trusted"
    ids = _keys_of(bundle, folder)
    (folder / f"{ids['KAZ']}.pub").unlink()
    done = run_cli("verify", str(bundle), "--trusted-keys", str(folder), env=NOWHERE)
    assert done.returncode == 1
    assert f"FAILED: unknown key {ids['KAZ']} (signature of KAZ)" in done.stderr
    assert "not among the trusted keys" in done.stderr

    _keys_of(bundle, folder)
    for same_id in (False, True):
        forged = _forged(bundle, tmp_path / f"forged-{same_id}.zip", "KAZ", same_id=same_id)
        done = run_cli("verify", str(forged), "--trusted-keys", str(folder), env=NOWHERE)
        assert done.returncode == 1, same_id
        assert "unknown key" in done.stderr, done.stderr


async def test_validity_given_with_a_trusted_key_outweighs_the_bundle(client, tmp_path):
    bundle = await _bundle(client, tmp_path)
    folder = tmp_path / "trusted"
    ids = _keys_of(bundle, folder)
    (folder / f"{ids['ARM']}.json").write_text(
        json.dumps({"state": "ARM", "revoked_at": "2000-01-01T00:00:00+00:00"})
    )
    done = run_cli("verify", str(bundle), "--trusted-keys", str(folder), env=NOWHERE)
    assert done.returncode == 1
    assert f"signed after key {ids['ARM']} was revoked" in done.stderr


def test_bad_trusted_key_folders_exit_2_with_a_reason(tmp_path):
    bundle = tmp_path / "bundle.zip"
    bundle.write_bytes(b"PK")
    empty = tmp_path / "empty"
    empty.mkdir()
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "arm.pub").write_text("not a key")
    odd = tmp_path / "odd"
    odd.mkdir()
    (odd / "arm.pub").write_text(public_pem(bytes(32)))
    (odd / "arm.json").write_text("[1, 2]")
    for folder, reason in (
        (tmp_path / "missing", "no such folder"),
        (empty, "no public keys"),
        (broken, "arm.pub"),
        (odd, "not a JSON object"),
    ):
        done = run_cli("verify", str(bundle), "--trusted-keys", str(folder), env=NOWHERE)
        assert done.returncode == 2, folder
        assert reason in done.stderr, done.stderr
