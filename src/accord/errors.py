"""The shared error types; every layer raises these and the edges turn them into answers."""

from __future__ import annotations


class AccordError(Exception):
    """Base of every error Accord reports to a user."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def as_body(self) -> dict:
        error: dict = {"code": self.code, "message": self.message}
        if self.field:
            error["field"] = self.field
        return {"error": error}


class MalformedInput(AccordError):
    status = 400
    code = "malformed"


class NotAuthenticated(AccordError):
    status = 401
    code = "not_authenticated"


class Forbidden(AccordError):
    status = 403
    code = "forbidden"


class NotFound(AccordError):
    status = 404
    code = "not_found"


class Conflict(AccordError):
    status = 409
    code = "conflict"


class TooLarge(AccordError):
    status = 413
    code = "too_large"


class UnsupportedMediaType(AccordError):
    status = 415
    code = "unsupported_media_type"


class InvalidInput(AccordError):
    status = 422
    code = "validation_error"


class TooManyAttempts(AccordError):
    status = 429
    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


_LOCATION_NOISE = frozenset({"body", "query", "path", "header", "cookie"})


def field_path(location: tuple | list) -> str:
    """A dotted field path from a validation error's location, without union tags or sources."""
    parts = []
    for part in location:
        text = str(part)
        if text in _LOCATION_NOISE or "[" in text or (text[:1].isupper() and text.isalpha()):
            continue
        parts.append(text)
    return ".".join(parts)
