"""The declarative base, its naming convention and the portable column types."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, SmallInteger, String, TypeDecorator, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from accord.access.levels import Classification

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every backend (SQLite keeps no offset, so it is put back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError("naive datetimes are not stored: give an aware UTC time")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class ClassificationLevel(TypeDecorator[Classification]):
    """A classification stored as its rank, so that ``<=`` compares levels in SQL."""

    impl = SmallInteger
    cache_ok = True

    def process_bind_param(self, value, dialect) -> int | None:
        return None if value is None else int(Classification.parse(value))

    def process_result_value(self, value, dialect) -> Classification | None:
        return None if value is None else Classification(value)


class StateList(TypeDecorator[list[str]]):
    """A releasability list stored as ``,ARM,KAZ,`` so one portable LIKE finds a member."""

    impl = String(2000)
    cache_ok = True

    def coerce_compared_value(self, op, value):
        # LIKE patterns against the stored form are plain strings, not lists.
        return String()

    def process_bind_param(self, value, dialect) -> str | None:
        if value is None:
            return None
        return "," + ",".join(sorted(set(value))) + "," if value else ","

    def process_result_value(self, value, dialect) -> list[str] | None:
        if value is None:
            return None
        return [code for code in value.split(",") if code]


class Base(DeclarativeBase):
    """Base of every ORM model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UUIDPrimaryKey:
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
