"""Settings, read from ``ACCORD_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import pycountry
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_ORGANISATION = Path(__file__).parent / "members" / "organisation.toml"


def normalise_database_url(url: str) -> str:
    """Return the async driver form of a database URL, or raise ValueError naming the problem."""
    from sqlalchemy.engine import make_url  # loaded here: the offline commands need no SQLAlchemy
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ValueError(f"not a database URL: {url!r}") from exc
    backend, _, driver = parsed.drivername.partition("+")
    if backend == "sqlite":
        if driver not in ("", "aiosqlite"):
            raise ValueError(f"SQLite is used through aiosqlite, not {driver!r}")
        if not parsed.database:
            raise ValueError("a SQLite URL needs a file path: sqlite+aiosqlite:///PATH")
        return parsed.set(drivername="sqlite+aiosqlite").render_as_string(hide_password=False)
    if backend in ("postgresql", "postgres"):
        if driver not in ("", "asyncpg"):
            raise ValueError(f"PostgreSQL is used through asyncpg, not {driver!r}")
        return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    raise ValueError(f"unsupported database {backend!r}: use sqlite+aiosqlite:// or postgresql://")


class Settings(BaseSettings):
    """Everything an operator can set; each field is the variable ``ACCORD_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="ACCORD_", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str = ""
    organisation: Path = DEFAULT_ORGANISATION
    secure_cookies: bool = False
    session_idle_minutes: int = Field(default=60, ge=1, le=24 * 60)
    session_max_hours: int = Field(default=12, ge=1, le=24 * 14)
    login_slow_after: int = Field(default=3, ge=1)
    login_lock_after: int = Field(default=10, ge=2)
    login_lock_minutes: int = Field(default=15, ge=1)
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=65536, ge=8)
    stream_max_seconds: int = Field(default=900, ge=1)
    sealer_interval_seconds: float = Field(default=1.0, gt=0)
    default_language: str = "en"
    map_tile_url: str = ""
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1)
    job_interval_seconds: float = Field(default=1.0, gt=0)
    public_url: str = "http://127.0.0.1:8000"
    smtp_host: str = ""
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = Field(default=30.0, gt=0)
    mail_from: str = "accord@localhost"
    # ISO 4217 codes payments to the budget may be made in, comma-separated.
    budget_currencies: str = "RUB,USD,EUR"

    @field_validator("database_url")
    @classmethod
    def _valid_url(cls, value: str) -> str:
        return normalise_database_url(value) if value else value

    @field_validator("public_url")
    @classmethod
    def _absolute_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an absolute http:// or https:// URL")
        return value.rstrip("/")

    @field_validator("mail_from")
    @classmethod
    def _mail_address(cls, value: str) -> str:
        if "@" not in value or any(char.isspace() for char in value.strip()):
            raise ValueError("must be an e-mail address")
        return value.strip()

    @field_validator("budget_currencies")
    @classmethod
    def _currency_codes(cls, value: str) -> str:
        codes = [code.strip().upper() for code in value.split(",") if code.strip()]
        if not codes:
            raise ValueError("name at least one currency, e.g. RUB,USD,EUR")
        for code in codes:
            if pycountry.currencies.get(alpha_3=code) is None:
                raise ValueError(f"{code!r} is not an ISO 4217 currency code")
        return ",".join(codes)

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in ("en", "ru"):
            raise ValueError("must be 'en' or 'ru'")
        return value

    @model_validator(mode="after")
    def _default_database(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite+aiosqlite:///{self.data_dir / 'accord.db'}"
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def checkpoint_key_path(self) -> Path:
        return self.data_dir / "keys" / "checkpoint.ed25519"


@lru_cache
def get_settings() -> Settings:
    return Settings()
