import datetime
import ipaddress
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.cli import assert_one_line_failure, cli_env
from tests.conftest import ROOT, free_port, run_cli


@pytest.fixture
def env(sqlite_url: str, data_dir: Path) -> dict[str, str]:
    return cli_env(sqlite_url, data_dir)


def test_several_workers_on_sqlite_are_refused(env):
    result = run_cli("serve", "--workers", "2", "--port", str(free_port()), env=env)
    assert_one_line_failure(result, "--workers", "PostgreSQL")


def test_a_certificate_without_its_key_is_refused(env, tmp_path):
    certificate, key = self_signed_certificate(tmp_path)
    for option, path in (("--ssl-certfile", certificate), ("--ssl-keyfile", key)):
        result = run_cli("serve", option, str(path), "--port", str(free_port()), env=env)
        assert_one_line_failure(result, "--ssl-certfile and --ssl-keyfile go together")


def test_a_missing_certificate_file_is_named(env, tmp_path):
    _certificate, key = self_signed_certificate(tmp_path)
    missing = tmp_path / "missing.pem"
    result = run_cli("serve", "--ssl-certfile", str(missing), "--ssl-keyfile", str(key),
                     "--port", str(free_port()), env=env)  # fmt: skip
    assert_one_line_failure(result, "--ssl-certfile", str(missing))


@pytest.mark.parametrize("port", ["0", "70000", "-1", "http"])
def test_a_port_outside_the_valid_range_is_refused(env, port):
    result = run_cli("serve", "--port", port, env=env)
    assert result.returncode == 2
    assert "--port" in result.stderr
    assert "Traceback" not in result.stderr


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    certificate_path, key_path = directory / "cert.pem", directory / "key.pem"
    certificate_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certificate_path, key_path


class HttpsServer:
    """``accord serve`` with a self-signed certificate, started as a process."""

    def __init__(self, env: dict[str, str], directory: Path) -> None:
        certificate, key = self_signed_certificate(directory)
        self.url = f"https://127.0.0.1:{free_port()}"
        self.log = directory / "server.log"
        command = [sys.executable, "-m", "accord", "serve", "--port", self.url.rsplit(":", 1)[1],
                   "--ssl-certfile", str(certificate), "--ssl-keyfile", str(key)]  # fmt: skip
        with self.log.open("w") as output:
            self.process = subprocess.Popen(
                command, env={**os.environ, **env}, cwd=ROOT, stdout=output, stderr=output
            )

    def health(self) -> httpx.Response:
        """Poll ``/healthz`` until it answers, for at most 30 seconds."""
        deadline = time.monotonic() + 30
        while True:
            assert self.process.poll() is None, self.log.read_text()
            try:
                return httpx.get(f"{self.url}/healthz", verify=False, timeout=2)  # noqa: S501 - self-signed
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def https_server(env, tmp_path) -> Iterator[HttpsServer]:
    server = HttpsServer(env, tmp_path)
    yield server
    server.stop()


def test_serving_with_a_certificate_answers_over_https(https_server):
    answer = https_server.health()
    assert answer.status_code == 200
    assert answer.json()["database"] == "up"
    assert answer.url.scheme == "https"


def test_a_tls_server_does_not_answer_plain_http(https_server):
    https_server.health()
    plain = https_server.url.replace("https://", "http://")
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{plain}/healthz", timeout=5)
