"""`accord cap import | export`: CAP 1.2 alerts from files, and incidents as alerts."""

from __future__ import annotations

import os
import sys
import uuid
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from accord.auth import service as auth
from accord.auth.service import viewer_of
from accord.cli.common import command, console, errors, fail, load_settings, run
from accord.config import Settings
from accord.db import Database
from accord.errors import NotAuthenticated, NotFound
from accord.events.runtime import seal_and_announce
from accord.incidents.service import incident_read
from accord.interop.cap import service
from accord.interop.cap.parse import MAX_ALERT_BYTES
from accord.models import Incident

app = typer.Typer(help="Import and export CAP 1.2 alerts.", no_args_is_help=True)
CHUNK = 200  # files per transaction: large imports commit as they go
OUTCOME_WORDS = {
    "created": "created",
    "updated": "updated",
    "already_imported": "already imported",
    "refused": "refused",
}


def _check_files(files: list[Path]) -> None:
    for path in files:
        if not path.is_file():
            fail(f"FILE: {path}: no such file")
        if not os.access(path, os.R_OK):
            fail(f"FILE: {path}: not readable")


def _read(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(MAX_ALERT_BYTES + 1)  # a larger file is refused by its size


def _line(outcome: service.ImportOutcome) -> str:
    word = OUTCOME_WORDS[outcome.outcome]
    if outcome.result is None:
        error = outcome.error
        where = (
            f"{error.field}: " if error and error.field and error.field not in error.message else ""
        )
        return f"{outcome.name}: {word}: {where}{error.message if error else ''}"
    incident = outcome.result.incident
    mode = "" if incident.mode == "actual" else f" [{incident.mode.upper()}]"
    return f"{outcome.name}: {word} {incident.id}{mode}"


async def _importer(db: Database, username: str):
    async with db.transaction() as session:
        user = await auth.find_user(session, username)
    if user.disabled:
        raise NotAuthenticated(f"user {username} is disabled", field="--as")
    return viewer_of(user), user.language


async def _import(settings: Settings, files: list[Path], username: str) -> Counter[str]:
    db = Database(settings.database_url)
    counts: Counter[str] = Counter()
    try:
        viewer, language = await _importer(db, username)
        columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn())
        with Progress(*columns, console=errors, disable=len(files) < 2) as progress:
            task = progress.add_task("import", total=len(files))
            for start in range(0, len(files), CHUNK):
                chunk = files[start : start + CHUNK]
                documents = [(str(path), _read(path)) for path in chunk]
                for outcome in await service.import_in_transactions(
                    db, viewer, documents, language=language
                ):
                    counts[outcome.outcome] += 1
                    console.print(_line(outcome), markup=False, highlight=False)
                progress.advance(task, len(chunk))
        await seal_and_announce(db, settings)
    finally:
        await db.dispose()
    return counts


@app.command("import")
@command
def import_files(
    files: Annotated[list[Path], typer.Argument(help="CAP 1.2 alert files.", show_default=False)],
    as_user: Annotated[
        str, typer.Option("--as", help="Import as this user: their state owns the incidents.")
    ],
) -> None:
    """Import alerts as USER; exit 0 when every file was taken, 1 when some were refused."""
    settings = load_settings()
    _check_files(files)
    counts = run(_import(settings, files, as_user))
    summary = ", ".join(f"{counts[key]} {word}" for key, word in OUTCOME_WORDS.items())
    console.print(summary, markup=False, highlight=False)
    if counts["refused"]:
        raise typer.Exit(1)


async def _export(settings: Settings, incident_id: uuid.UUID, username: str | None) -> bytes:
    db = Database(settings.database_url)
    try:
        async with db.transaction() as session:
            if username is not None:
                viewer = viewer_of(await auth.find_user(session, username))
                return await service.export_alert(session, viewer, incident_id)
            incident = await session.get(Incident, incident_id)
            if incident is None:
                raise NotFound(f"no incident {incident_id}", field="INCIDENT_ID")
            return await service.alert_of(session, incident_read(incident))
    finally:
        await db.dispose()


@app.command("export")
@command
def export(
    incident_id: Annotated[str, typer.Argument(help="The incident's id.")],
    as_user: Annotated[
        str | None,
        typer.Option("--as", help="Export only what this user may see (default: the operator)."),
    ] = None,
) -> None:
    """Print an incident as a CAP 1.2 alert."""
    settings = load_settings()
    try:
        parsed = uuid.UUID(incident_id)
    except ValueError:
        fail(f"INCIDENT_ID: {incident_id!r} is not an incident id (a UUID)")
    xml = run(_export(settings, parsed, as_user))
    sys.stdout.buffer.write(xml)
    sys.stdout.flush()
