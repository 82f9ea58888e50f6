"""`accord init`, `accord serve` and `accord demo`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from accord.cli.common import command, console, fail, load_settings, run, unit_of_work
from accord.config import Settings
from accord.demo import DEMO_PASSWORD, load_demo, load_demo_incidents, scenario_parts
from accord.members.organisation import load_organisation
from accord.members.service import load_reference_data


def initialise(settings: Settings) -> bool:
    """Migrate the schema and load the organisation into an empty database."""
    organisation = run(_read_organisation(settings))
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        from accord.migrate import upgrade

        upgrade(settings.database_url)
    except Exception as error:  # alembic wraps driver errors in many types
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        fail(f"ACCORD_DATABASE_URL: cannot migrate the database: {reason}")

    async def load() -> bool:
        async with unit_of_work(settings) as session:
            return await load_reference_data(session, organisation)

    return run(load())


async def _read_organisation(settings: Settings):
    return load_organisation(settings.organisation)


@command
def init() -> None:
    """Create or upgrade the schema; load the organisation into an empty database."""
    settings = load_settings()
    loaded = initialise(settings)
    if loaded:
        console.print(f"Schema ready; organisation loaded from {settings.organisation}.")
    else:
        console.print("Schema ready; the organisation was already loaded.")


def serve_app(
    settings: Settings,
    host: str,
    port: int,
    workers: int,
    certfile: Path | None,
    keyfile: Path | None,
) -> None:
    import uvicorn

    if workers > 1 and settings.is_sqlite:
        fail(
            "--workers: several processes need PostgreSQL (set ACCORD_DATABASE_URL); "
            "SQLite serves one process"
        )
    if (certfile is None) != (keyfile is None):
        fail("--ssl-certfile and --ssl-keyfile go together")
    for option, path in (("--ssl-certfile", certfile), ("--ssl-keyfile", keyfile)):
        if path is not None and not path.is_file():
            fail(f"{option}: no such file {path}")
    console.print(
        f"Accord on {'https' if certfile else 'http'}://{host}:{port} "
        f"({workers} process{'es' if workers > 1 else ''}, "
        f"{'SQLite' if settings.is_sqlite else 'PostgreSQL'})"
    )
    uvicorn.run(
        "accord.app:factory",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        ssl_certfile=str(certfile) if certfile else None,
        ssl_keyfile=str(keyfile) if keyfile else None,
        proxy_headers=True,
        log_level="info",
        timeout_graceful_shutdown=5,
    )


Host = Annotated[str, typer.Option(help="Address to listen on.")]
Port = Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")]
Workers = Annotated[int, typer.Option(min=1, max=64, help="Processes (PostgreSQL only for >1).")]
CertFile = Annotated[Path | None, typer.Option("--ssl-certfile", help="TLS certificate (PEM).")]
KeyFile = Annotated[Path | None, typer.Option("--ssl-keyfile", help="TLS private key (PEM).")]


@command
def serve(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    workers: Workers = 1,
    ssl_certfile: CertFile = None,
    ssl_keyfile: KeyFile = None,
) -> None:
    """Serve the web app and the API."""
    serve_app(load_settings(), host, port, workers, ssl_certfile, ssl_keyfile)


@command
def demo(
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Load, print logins, stop.")] = False,
    host: Host = "127.0.0.1",
    port: Port = 8000,
) -> None:
    """Initialise, load the demo scenario (idempotent), print the logins and serve."""
    settings = load_settings()
    initialise(settings)

    async def load():
        async with unit_of_work(settings) as session:
            logins = await load_demo(session)
            await load_demo_incidents(session)
            return logins

    logins = run(load())

    async def load_parts():
        for part in scenario_parts():
            async with unit_of_work(settings) as session:
                await part(session)

    run(load_parts())
    table = Table(title=f"Demo logins (password for all: {DEMO_PASSWORD})")
    for column in ("username", "state", "role", "clearance"):
        table.add_column(column)
    for login in logins:
        table.add_row(login.username, login.state, ", ".join(login.roles), login.clearance.name)
    console.print(table)
    if not no_serve:
        serve_app(settings, host, port, 1, None, None)
