"""Verification of a 20-document package's bundles: how long `accord verify` work takes.

Each document has an English and a Russian authentic text (about 40 kB each) and six
signatures, as in a session's package. Prints the figures; never part of the test run.
Run: .venv/bin/python bench/documents.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from accord.documents.bundle import BundleKey, BundleSignature, verify_bundle, write_bundle
from accord.documents.manifest import (
    canonical,
    manifest_body,
    public_pem,
    public_raw_of,
    sha256_hex,
    sign,
)

DOCUMENTS = 20
STATES = ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK")
ROUNDS = 5
ROOT = Path(__file__).resolve().parents[1]


def package() -> list[bytes]:
    keys = {state: Ed25519PrivateKey.generate() for state in STATES}
    bundles = []
    for number in range(DOCUMENTS):
        texts = {
            "en": (f"Document {number}. The member states agree. " * 900).encode(),
            "ru": (f"Документ {number}. Государства-члены договорились. " * 700).encode(),
        }
        manifest = canonical(
            manifest_body(
                document_id=str(uuid.uuid4()),
                package_id=str(uuid.uuid4()),
                version=1,
                title={"en": f"Document {number}", "ru": f"Документ {number}"},
                kind="decision",
                texts={language: sha256_hex(data) for language, data in texts.items()},
            )
        )
        signatures = [
            BundleSignature(
                state,
                f"{state.lower()}.delegate",
                state,
                "2024-01-01T10:00:00+00:00",
                sign(key, manifest),
            )
            for state, key in keys.items()
        ]
        bundle_keys = [
            BundleKey(
                state,
                public_pem(public_raw_of(key)),
                {"state": state, "valid_from": "2023-01-01T00:00:00+00:00"},
            )
            for state, key in keys.items()
        ]
        bundles.append(write_bundle(manifest, texts, signatures, bundle_keys, document={}))
    return bundles


def main() -> None:
    bundles = package()
    size = sum(len(b) for b in bundles)
    timings = []
    for _round in range(ROUNDS):
        started = time.perf_counter()
        for bundle in bundles:
            assert verify_bundle(bundle).ok
        timings.append(time.perf_counter() - started)
    best, median = min(timings), statistics.median(timings)
    print(f"package: {DOCUMENTS} documents, {len(STATES)} signatures each, {size / 1024:.0f} kB")
    print(
        f"verify in process: best {best * 1000:.1f} ms, median {median * 1000:.1f} ms "
        f"for the package ({best / DOCUMENTS * 1000:.2f} ms a bundle, "
        f"{best / DOCUMENTS / len(STATES) * 1e6:.0f} µs a signature incl. hashing)"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bundle.zip"
        path.write_bytes(bundles[0])
        env = {**os.environ, "ACCORD_DATABASE_URL": "sqlite+aiosqlite:////nonexistent/accord.db"}
        runs = []
        for _round in range(ROUNDS):
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "accord", "verify", str(path)],
                env=env,
                cwd=ROOT,
                capture_output=True,
                check=False,
            )
            runs.append(time.perf_counter() - started)
            assert done.returncode == 0, done.stderr
    print(
        f"`accord verify BUNDLE` as a process (start-up included): median "
        f"{statistics.median(runs) * 1000:.0f} ms a bundle"
    )
    print(f"load average: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
