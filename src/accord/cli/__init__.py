"""The `accord` command."""

from __future__ import annotations

import sys

import typer

try:  # recent Typer carries its own copy of Click
    from typer import _click as click
except ImportError:  # pragma: no cover - older Typer on plain Click
    import click  # type: ignore[no-redef]

from accord.cli import documents

# The signatory's and verifier's commands run on machines without the server's database, and
# start without loading it.
OFFLINE_COMMANDS = ("keygen", "sign", "verify")


def build_app(*, offline_only: bool = False) -> typer.Typer:
    """The `accord` command with every subcommand, or with the offline ones only."""
    app = typer.Typer(
        help="Accord: the working system of a collective security organisation.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
    )
    if not offline_only:
        from accord.cli import audit, cap, system, tokens, users

        app.command("init")(system.init)
        app.command("serve")(system.serve)
        app.command("demo")(system.demo)
        app.add_typer(users.app, name="user")
        app.add_typer(tokens.app, name="token")
        app.add_typer(audit.app, name="audit")
        app.add_typer(cap.app, name="cap")
    app.command("keygen")(documents.keygen)
    app.command("sign")(documents.sign)
    app.command("verify")(documents.verify)
    return app


def main() -> None:
    """Run the command; a usage error is one line on standard error and exit 2."""
    offline = len(sys.argv) > 1 and sys.argv[1] in OFFLINE_COMMANDS
    app = build_app(offline_only=offline)
    try:
        code = app(standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as error:
        error.show()
        sys.exit(0)
    except click.exceptions.ClickException as error:
        command = error.ctx.command_path if getattr(error, "ctx", None) else "accord"
        print(f"error: {error.format_message()} (see {command} --help)", file=sys.stderr)
        sys.exit(2 if isinstance(error, click.exceptions.UsageError) else error.exit_code)
    except typer.Abort:
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
