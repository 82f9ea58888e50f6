"""What every command shares: settings, the database, one transaction, and clean failures."""

from __future__ import annotations

import asyncio
import functools
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, NoReturn, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console

from accord.config import Settings
from accord.errors import AccordError

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

# The database, the event log and SQLAlchemy load only in commands that use them, so that the
# offline commands (sign, verify) start quickly on a signatory's machine.

# Piped output is read by scripts: tables keep whole values instead of fitting 80 columns.
console = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 240)
errors = Console(stderr=True, soft_wrap=True)
T = TypeVar("T")


def fail(message: str, code: int = 2) -> NoReturn:
    errors.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        name = "ACCORD_" + "_".join(str(part) for part in first["loc"]).upper()
        fail(f"{name}: {first['msg'].removeprefix('Value error, ')}")


def run(coroutine: Awaitable[T]) -> T:
    """Run a command's async body; Accord errors and unreachable databases end in one line."""
    try:
        return asyncio.run(coroutine)  # type: ignore[arg-type]
    except AccordError as error:
        where = f"{error.field}: " if error.field and error.field not in error.message else ""
        fail(f"{where}{error.message}")
    except Exception as error:
        from sqlalchemy.exc import DBAPIError, OperationalError

        if not isinstance(error, OperationalError | DBAPIError | OSError):
            raise
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        fail(f"ACCORD_DATABASE_URL: cannot use the database: {reason}")


@asynccontextmanager
async def unit_of_work(settings: Settings) -> AsyncIterator[AsyncSession]:
    """One command, one transaction; the events it wrote are sealed right after the commit."""
    from accord.db import Database
    from accord.events.runtime import seal_and_announce

    db = Database(settings.database_url)
    try:
        async with db.transaction() as session:
            yield session
        await seal_and_announce(db, settings)
    finally:
        await db.dispose()


def command(function: Callable[..., None]) -> Callable[..., None]:
    """Wrap a Typer command so that unexpected input errors still end in one line and exit 2."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs) -> None:
        try:
            function(*args, **kwargs)
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(part) for part in first["loc"])
            fail(f"{field}: {first['msg'].removeprefix('Value error, ')}")
        except AccordError as error:  # raised by a validator, outside run()
            fail(f"{error.field}: {error.message}" if error.field else error.message)
        except KeyboardInterrupt:
            sys.exit(130)

    return wrapper
