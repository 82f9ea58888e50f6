"""The `accord` command."""

from __future__ import annotations

import typer

from accord.cli import audit, cap, system, tokens, users

app = typer.Typer(
    help="Accord: the working system of a collective security organisation.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("init")(system.init)
app.command("serve")(system.serve)
app.command("demo")(system.demo)
app.add_typer(users.app, name="user")
app.add_typer(tokens.app, name="token")
app.add_typer(audit.app, name="audit")
app.add_typer(cap.app, name="cap")


def main() -> None:
    app()
