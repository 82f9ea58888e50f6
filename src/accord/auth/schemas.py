"""What the auth API takes and gives."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, field_validator

from accord.access import SECRETARIAT, Classification
from accord.auth.passwords import MAX_LENGTH, MIN_LENGTH

ROLES = ("duty_officer", "analyst", "delegate", "secretariat", "press", "admin")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


def check_username(value: str) -> str:
    if not USERNAME.fullmatch(value):
        raise ValueError(
            "use 2 to 64 lower-case letters, digits, dots, hyphens or underscores, "
            "starting with a letter or digit"
        )
    return value


def check_roles(value: list[str]) -> list[str]:
    if not value:
        raise ValueError("give at least one role")
    unknown = [role for role in value if role not in ROLES]
    if unknown:
        raise ValueError(f"unknown role {unknown[0]!r}; use one of {', '.join(ROLES)}")
    return sorted(set(value))


def check_password(value: str) -> str:
    if len(value) < MIN_LENGTH:
        raise ValueError(f"a password needs at least {MIN_LENGTH} characters")
    if len(value) > MAX_LENGTH:
        raise ValueError(f"a password has at most {MAX_LENGTH} characters")
    return value


Username = Annotated[str, AfterValidator(check_username)]
Roles = Annotated[list[str], AfterValidator(check_roles)]
NewPassword = Annotated[str, AfterValidator(check_password)]


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=MAX_LENGTH)
    totp: str | None = Field(default=None, max_length=10)


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Username
    state: str = Field(min_length=3, max_length=3)
    roles: Roles
    clearance: Classification
    email: EmailStr | None = None
    display_name: str = Field(default="", max_length=200)
    password: NewPassword

    @field_validator("clearance", mode="before")
    @classmethod
    def _level(cls, value: object) -> Classification:
        return Classification.parse(value, field="clearance")

    @field_validator("state")
    @classmethod
    def _state(cls, value: str) -> str:
        if value != SECRETARIAT and not re.fullmatch(r"[A-Z]{3}", value):
            raise ValueError("use an ISO 3166 alpha-3 code or ORG")
        return value


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(max_length=MAX_LENGTH)
    new_password: NewPassword


class UserRead(BaseModel):
    id: uuid.UUID
    username: str
    display_name: str
    email: str
    state: str
    roles: list[str]
    clearance: str
    disabled: bool
    must_change_password: bool
    totp_enabled: bool
    created_at: datetime


class TokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(default="", max_length=100)


class TokenRead(BaseModel):
    id: uuid.UUID
    label: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
