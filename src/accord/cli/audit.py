"""`accord audit verify`."""

from __future__ import annotations

import typer

from accord.cli.common import command, console, errors, load_settings, run
from accord.db import Database
from accord.events.audit import AuditReport, verify_log
from accord.events.keys import load_or_create_key

app = typer.Typer(help="Check the event log.", no_args_is_help=True)


@app.command("verify")
@command
def verify() -> None:
    """Exit 0 when the event log is intact; 1, naming the first broken event, when it is not."""
    settings = load_settings()
    key_path = settings.checkpoint_key_path
    trusted = load_or_create_key(key_path).public_key() if key_path.exists() else None

    async def check() -> AuditReport:
        db = Database(settings.database_url)
        try:
            return await verify_log(db, trusted)
        finally:
            await db.dispose()

    report = run(check())
    for note in report.notes:
        console.print(f"note: {note}")
    if not report.intact:
        errors.print(f"broken: {report.problem}", markup=False, highlight=False)
        raise typer.Exit(1)
    checkpoint = (
        f"; signed checkpoint at event {report.checkpoint_seq} matches"
        if report.checkpoint_seq
        else ""
    )
    console.print(
        f"intact: {report.sealed} events sealed{checkpoint}; {report.unsealed} not yet sealed"
    )
