from pathlib import Path

import pytest
from pydantic import ValidationError

from accord.config import DEFAULT_ORGANISATION, Settings, normalise_database_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite+aiosqlite:///data/accord.db", "sqlite+aiosqlite:///data/accord.db"),
        ("sqlite:///data/accord.db", "sqlite+aiosqlite:///data/accord.db"),
        ("sqlite:////srv/accord/accord.db", "sqlite+aiosqlite:////srv/accord/accord.db"),
        ("postgresql://accord@db:5432/accord", "postgresql+asyncpg://accord@db:5432/accord"),
        (
            "postgresql+asyncpg://accord:pw@db/accord",
            "postgresql+asyncpg://accord:pw@db/accord",
        ),
        ("postgres://accord@db/accord", "postgresql+asyncpg://accord@db/accord"),
    ],
)
def test_supported_database_urls_are_turned_into_their_async_driver_form(given, expected):
    assert normalise_database_url(given) == expected


def test_the_password_in_a_database_url_survives_normalising():
    url = normalise_database_url("postgresql://accord:s3cret@db/accord")
    assert "s3cret" in url
    assert "***" not in url


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("mysql://user@db/accord", "unsupported database 'mysql'"),
        ("oracle://user@db/accord", "unsupported database 'oracle'"),
        ("nonsense", "not a database URL"),
        ("sqlite+pysqlite:///accord.db", "through aiosqlite, not 'pysqlite'"),
        ("postgresql+psycopg2://db/accord", "through asyncpg, not 'psycopg2'"),
        ("sqlite+aiosqlite://", "needs a file path"),
    ],
)
def test_other_database_urls_are_refused_with_a_reason(given, reason):
    with pytest.raises(ValueError, match=reason):
        normalise_database_url(given)


def test_settings_refuse_an_unsupported_database_naming_the_variable(monkeypatch):
    monkeypatch.setenv("ACCORD_DATABASE_URL", "mysql://user@db/accord")
    with pytest.raises(ValidationError) as caught:
        Settings()
    error = caught.value.errors()[0]
    assert error["loc"] == ("database_url",)
    assert "unsupported database 'mysql'" in error["msg"]


def test_settings_read_a_plain_postgresql_url_from_the_environment(monkeypatch):
    monkeypatch.setenv("ACCORD_DATABASE_URL", "postgresql://accord@db/accord")
    assert Settings().database_url == "postgresql+asyncpg://accord@db/accord"
    assert not Settings().is_sqlite


def test_the_default_database_is_a_sqlite_file_in_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    monkeypatch.setenv("ACCORD_DATA_DIR", str(tmp_path / "node"))
    settings = Settings()
    assert settings.data_dir == tmp_path / "node"
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path / 'node' / 'accord.db'}"
    assert settings.is_sqlite


def test_the_data_folder_defaults_to_data_under_the_working_directory(monkeypatch):
    monkeypatch.delenv("ACCORD_DATA_DIR", raising=False)
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    settings = Settings()
    assert settings.data_dir == Path("data")
    assert settings.database_url == "sqlite+aiosqlite:///data/accord.db"


def test_the_checkpoint_key_lives_in_the_data_folder(tmp_path):
    settings = Settings(data_dir=tmp_path)
    assert settings.checkpoint_key_path == tmp_path / "keys" / "checkpoint.ed25519"


def test_the_default_organisation_is_the_shipped_six_member_file(monkeypatch):
    monkeypatch.delenv("ACCORD_ORGANISATION", raising=False)
    assert Settings().organisation == DEFAULT_ORGANISATION
    assert DEFAULT_ORGANISATION.is_file()


@pytest.mark.parametrize("language", ["de", "EN", ""])
def test_only_the_working_languages_can_be_the_default(language):
    with pytest.raises(ValidationError, match="must be 'en' or 'ru'"):
        Settings(default_language=language)


def test_session_lengths_outside_their_bounds_are_refused():
    with pytest.raises(ValidationError):
        Settings(session_idle_minutes=0)
    with pytest.raises(ValidationError):
        Settings(session_max_hours=24 * 15)


def test_budget_currencies_are_read_as_iso_codes_from_the_environment(monkeypatch):
    monkeypatch.setenv("ACCORD_BUDGET_CURRENCIES", " rub, kzt ")
    assert Settings().budget_currencies == "RUB,KZT"


@pytest.mark.parametrize(
    ("given", "reason"), [("RUB,XYZ", "'XYZ' is not an ISO 4217"), (" ,", "at least one")]
)
def test_unknown_budget_currencies_are_refused_naming_the_code(monkeypatch, given, reason):
    monkeypatch.setenv("ACCORD_BUDGET_CURRENCIES", given)
    with pytest.raises(ValidationError, match=reason):
        Settings()
