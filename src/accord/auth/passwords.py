"""Password hashing with argon2, at the cost the settings give."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from accord.config import get_settings

MIN_LENGTH = 10
MAX_LENGTH = 256


@cache
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)


def hasher() -> PasswordHasher:
    settings = get_settings()
    return _hasher(settings.argon2_time_cost, settings.argon2_memory_kib)


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# Checked against when the username is unknown, so that timing does not reveal which names exist.
def dummy_verify(password: str) -> None:
    verify_password(_dummy_hash(), password)


@cache
def _dummy_hash() -> str:
    return hash_password("not-a-real-password")
