"""Random secrets for cookies and tokens, and the hashes under which they are stored."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "acc_"  # noqa: S105 - a public prefix, not a secret


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def new_api_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
