"""`accord cap import | export`, run as real processes."""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from sqlalchemy import func, select

from accord.db import Database
from accord.models import CapAlert, Incident
from tests.conftest import run_cli
from tests.factories import add_user
from tests.interop.cap_samples import BLR_CONFIDENTIAL, REAL, XXE, alert, info_block

EXERCISE = REAL / "myanmar_dmh-flood-exercise.xml"
INVALID = REAL / "fiji_sambro-demo-water-shortage-en-hi-invalid.xml"
CANADA = REAL / "canada_eccc-2019-update-en-fr.xml"


def environment(url: str, data_dir: Path) -> dict[str, str]:
    return {"ACCORD_DATABASE_URL": url, "ACCORD_DATA_DIR": str(data_dir)}


async def counts(url: str) -> tuple[int, int]:
    db = Database(url)
    try:
        async with db.transaction() as session:
            incidents = await session.scalar(select(func.count()).select_from(Incident))
            alerts = await session.scalar(select(func.count()).select_from(CapAlert))
            return incidents, alerts
    finally:
        await db.dispose()


async def duty_officer(url: str, username="kaz.duty", state="KAZ") -> None:
    db = Database(url)
    try:
        await add_user(db, username=username, state=state, roles=["duty_officer"])
    finally:
        await db.dispose()


async def test_importing_several_files_reports_each_and_exits_1_when_some_were_refused(
    sqlite_url, data_dir, tmp_path
):
    await duty_officer(sqlite_url)
    xxe = tmp_path / "xxe.xml"
    xxe.write_bytes(XXE)
    files = [str(CANADA), str(EXERCISE), str(INVALID), str(xxe), str(CANADA)]
    done = run_cli(
        "cap", "import", *files, "--as", "kaz.duty", env=environment(sqlite_url, data_dir)
    )
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"{CANADA}: created ")
    assert lines[1].startswith(f"{EXERCISE}: created ") and lines[1].endswith("[EXERCISE]")
    assert lines[2].startswith(f"{INVALID}: refused: reference: ")
    assert lines[3].startswith(f"{xxe}: refused: DOCTYPE: ")
    assert lines[4].startswith(f"{CANADA}: already imported ")
    assert lines[0].split()[-1] == lines[4].split()[-1]
    assert lines[5] == "2 created, 0 updated, 1 already imported, 2 refused"
    assert await counts(sqlite_url) == (2, 2)


async def test_importing_every_valid_real_alert_exits_0(sqlite_url, data_dir):
    await duty_officer(sqlite_url)
    files = sorted(str(path) for path in REAL.glob("*.xml") if path != INVALID)
    done = run_cli(
        "cap", "import", *files, "--as", "kaz.duty", env=environment(sqlite_url, data_dir)
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "refused" not in done.stdout.replace("0 refused", "")
    incidents, alerts = await counts(sqlite_url)
    assert alerts == len(files) and incidents <= alerts


async def test_an_unknown_user_or_a_missing_file_exits_2_and_imports_nothing(
    sqlite_url, data_dir, tmp_path
):
    await duty_officer(sqlite_url)
    env = environment(sqlite_url, data_dir)
    unknown = run_cli("cap", "import", str(CANADA), "--as", "nobody", env=env)
    assert unknown.returncode == 2
    assert unknown.stderr.strip().splitlines() == ["error: username: no user named nobody"]
    missing = run_cli(
        "cap", "import", str(CANADA), str(tmp_path / "gone.xml"), "--as", "kaz.duty", env=env
    )
    assert missing.returncode == 2
    assert "gone.xml: no such file" in missing.stderr
    assert await counts(sqlite_url) == (0, 0)


async def test_export_prints_a_schema_valid_alert_and_refuses_bad_ids(
    sqlite_url, data_dir, tmp_path
):
    await duty_officer(sqlite_url, "blr.duty", "BLR")
    source = tmp_path / "alert.xml"
    source.write_bytes(alert(infos=[info_block(params=BLR_CONFIDENTIAL)]))
    env = environment(sqlite_url, data_dir)
    imported = run_cli("cap", "import", str(source), "--as", "blr.duty", env=env)
    assert imported.returncode == 0, imported.stderr
    incident_id = imported.stdout.splitlines()[0].split()[-1]
    exported = run_cli("cap", "export", incident_id, env=env)
    assert exported.returncode == 0, exported.stderr
    from accord.interop.cap.parse import cap_schema

    document = etree.fromstring(exported.stdout.encode())
    cap_schema().assertValid(document)
    assert "CONFIDENTIAL" in exported.stdout
    malformed = run_cli("cap", "export", "not-an-id", env=env)
    assert malformed.returncode == 2
    assert malformed.stderr.strip().splitlines() == [
        "error: INCIDENT_ID: 'not-an-id' is not an incident id (a UUID)"
    ]
    unknown = run_cli("cap", "export", "00000000-0000-0000-0000-000000000000", env=env)
    assert unknown.returncode == 2 and len(unknown.stderr.strip().splitlines()) == 1


async def test_export_as_a_user_follows_the_access_rule(sqlite_url, data_dir, tmp_path):
    await duty_officer(sqlite_url, "blr.duty", "BLR")
    await duty_officer(sqlite_url, "arm.duty", "ARM")
    source = tmp_path / "alert.xml"
    source.write_bytes(alert(infos=[info_block(params=BLR_CONFIDENTIAL)]))
    env = environment(sqlite_url, data_dir)
    imported = run_cli("cap", "import", str(source), "--as", "blr.duty", env=env)
    incident_id = imported.stdout.splitlines()[0].split()[-1]
    hidden = run_cli("cap", "export", incident_id, "--as", "arm.duty", env=env)
    assert hidden.returncode == 2 and hidden.stdout == ""
    assert "CONFIDENTIAL" not in hidden.stderr
