"""`accord token create | revoke | list`."""

from __future__ import annotations

import uuid
from typing import Annotated

import typer
from rich.table import Table

from accord.auth import repository, service
from accord.cli.common import command, console, fail, load_settings, run, unit_of_work

app = typer.Typer(help="Manage API tokens.", no_args_is_help=True)


@app.command("create")
@command
def create(
    user: Annotated[str, typer.Argument(help="Login name of the token's user.")],
    label: Annotated[str, typer.Option(help="What the token is for.")] = "",
) -> None:
    """Issue a token; it is printed once, alone on the last line, and only its hash is kept."""
    settings = load_settings()
    if len(label) > 100:
        fail("--label: at most 100 characters")

    async def issue() -> tuple[uuid.UUID, str]:
        async with unit_of_work(settings) as session:
            owner = await service.find_user(session, user)
            token, secret = await service.create_token(session, owner, label, actor="cli")
            return token.id, secret

    token_id, secret = run(issue())
    console.print(f"Token {token_id} for {user}; it is shown only now:")
    print(secret)


@app.command("revoke")
@command
def revoke(token_id: Annotated[str, typer.Argument(help="The token's id.")]) -> None:
    """Revoke a token."""
    settings = load_settings()
    try:
        parsed = uuid.UUID(token_id)
    except ValueError:
        fail(f"TOKEN_ID: {token_id!r} is not a token id (a UUID)")

    async def apply() -> None:
        async with unit_of_work(settings) as session:
            await service.revoke_token(session, parsed, actor="cli")

    run(apply())
    console.print(f"Revoked {token_id}.")


@app.command("list")
@command
def list_tokens(user: Annotated[str, typer.Argument(help="Login name.")]) -> None:
    """List a user's tokens."""
    settings = load_settings()

    async def fetch():
        async with unit_of_work(settings) as session:
            owner = await service.find_user(session, user)
            return await repository.list_tokens(session, owner.id)

    table = Table()
    table.add_column("id", no_wrap=True, min_width=36)  # whole, so that it can be revoked
    for column in ("label", "created", "last used", "status"):
        table.add_column(column)
    for token in run(fetch()):
        table.add_row(
            str(token.id),
            token.label,
            token.created_at.isoformat(timespec="seconds"),
            token.last_used_at.isoformat(timespec="seconds") if token.last_used_at else "—",
            "revoked" if token.revoked_at else "active",
        )
    console.print(table)
