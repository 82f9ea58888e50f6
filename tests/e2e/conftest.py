"""Browser tests: Debian's Chromium driven by Playwright against a real ``accord serve``.

Without /usr/bin/chromium (or Playwright) they skip with the reason; under CI=true they fail.
The sync Playwright API runs its own event loop, so these tests are plain functions.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ServerProcess, run_cli

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "browser-test-password"
IN_CI = os.environ.get("CI") == "true"


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"CI=true needs the browser tests to run: {reason}")
    pytest.skip(reason)


# Module scope, not session: while sync Playwright is open its event loop counts as running in
# this thread, and the async tests of other modules could not start their own.
@pytest.fixture(scope="module")
def chromium_browser():
    """One Chromium per module; each test gets its own context (cookies, storage)."""
    if not CHROMIUM.exists():
        _unavailable(f"Chromium is not installed at {CHROMIUM} (`make browser` installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser, live_server: LiveServer):
    context = chromium_browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@dataclass
class LiveServer:
    """A served Accord on its own SQLite database, and the environment its commands need."""

    process: ServerProcess
    env: dict[str, str]

    @property
    def url(self) -> str:
        return self.process.url

    def cli(self, *args: str, input: str | None = None) -> str:
        done = run_cli(*args, env=self.env, input=input)
        assert done.returncode == 0, done.stderr or done.stdout
        return done.stdout

    def add_user(
        self, name: str, *, state: str, roles: list[str], clearance: str, display_name: str = ""
    ) -> str:
        role_options = [option for role in roles for option in ("--role", role)]
        self.cli(
            "user",
            "add",
            name,
            "--state",
            state,
            *role_options,
            "--clearance",
            clearance,
            "--display-name",
            display_name,
            "--password-stdin",
            input=PASSWORD + "\n",
        )
        return name

    def issue_token(self, name: str) -> str:
        return self.cli("token", "create", name).strip().splitlines()[-1].strip()


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """``accord init`` on a fresh SQLite file, then ``accord serve`` on it."""
    yield from _serve(tmp_path)


@pytest.fixture(scope="module")
def module_live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One served Accord for all tests of a module, when starting one per test costs too much."""
    yield from _serve(tmp_path_factory.mktemp("served"))


def _serve(tmp_path: Path) -> Iterator[LiveServer]:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    env = {
        "ACCORD_DATABASE_URL": f"sqlite+aiosqlite:///{data_dir / 'accord.db'}",
        "ACCORD_DATA_DIR": str(data_dir),
    }
    done = run_cli("init", env=env)
    assert done.returncode == 0, done.stderr or done.stdout
    process = ServerProcess(env["ACCORD_DATABASE_URL"], data_dir)
    try:
        yield LiveServer(process, env)
    finally:
        process.stop()
