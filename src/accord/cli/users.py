"""`accord user add | disable | list`."""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer
from rich.table import Table

from accord.auth import repository, service
from accord.auth.schemas import UserCreate
from accord.cli.common import command, console, fail, load_settings, run, unit_of_work

app = typer.Typer(help="Manage users.", no_args_is_help=True)


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            fail("--password-stdin: standard input gave no password")
        return password
    if not sys.stdin.isatty():
        fail("no password: pass --password-stdin and pipe it, or run on a terminal")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Repeat the password: "):
        fail("the two passwords differ")
    return first


@app.command("add")
@command
def add(
    name: Annotated[str, typer.Argument(help="Login name.")],
    state: Annotated[str, typer.Option(help="ISO 3166 alpha-3 code of the state, or ORG.")],
    role: Annotated[list[str], typer.Option(help="A role; repeat for several.")],
    clearance: Annotated[str, typer.Option(help="PUBLIC, RESTRICTED, CONFIDENTIAL or SECRET.")],
    email: Annotated[str | None, typer.Option(help="E-mail address.")] = None,
    display_name: Annotated[str, typer.Option(help="Full name.")] = "",
    password_stdin: Annotated[bool, typer.Option("--password-stdin")] = False,
) -> None:
    """Add a user belonging to a member state or the secretariat."""
    settings = load_settings()
    data = UserCreate(
        username=name,
        state=state,
        roles=role,
        clearance=clearance,
        email=email,
        display_name=display_name,
        password=read_password(password_stdin),
    )

    async def create() -> None:
        async with unit_of_work(settings) as session:
            await service.create_user(session, data, actor="cli")

    run(create())
    console.print(f"Added {name} ({state}; {', '.join(data.roles)}; {data.clearance.name}).")


@app.command("disable")
@command
def disable(name: Annotated[str, typer.Argument(help="Login name.")]) -> None:
    """Disable a user: their sessions end and their tokens stop working."""
    settings = load_settings()

    async def apply() -> None:
        async with unit_of_work(settings) as session:
            user = await service.find_user(session, name)
            await service.set_disabled(session, user, True, actor="cli")

    run(apply())
    console.print(f"Disabled {name}.")


@app.command("list")
@command
def list_users() -> None:
    """List every user."""
    settings = load_settings()

    async def fetch():
        async with unit_of_work(settings) as session:
            return await repository.list_users(session)

    users = run(fetch())
    longest = max((len(user.username) for user in users), default=8)
    table = Table()
    table.add_column("username", no_wrap=True, min_width=longest)  # whole, also when piped
    for column in ("state", "roles", "clearance", "email", "status"):
        table.add_column(column)
    for user in users:
        table.add_row(
            user.username,
            user.state,
            ", ".join(user.roles),
            user.clearance.name,
            user.email,
            "disabled" if user.disabled else "active",
        )
    console.print(table)
