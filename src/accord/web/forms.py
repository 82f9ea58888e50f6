"""Turning form posts into validated schemas, with errors a person can act on."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from accord.errors import InvalidInput, field_path
from accord.i18n import _

Schema = TypeVar("Schema", bound=BaseModel)


def validation_message(error: ValidationError) -> InvalidInput:
    first = error.errors()[0]
    field = field_path(first.get("loc", ()))
    message = first.get("msg", "invalid value").removeprefix("Value error, ")
    return InvalidInput(
        _("{field}: {message}").format(field=field, message=message), field=field or None
    )


def parse_form(schema: type[Schema], values: dict[str, Any]) -> Schema:
    """Validate ``values`` as ``schema``; InvalidInput names the first field at fault."""
    try:
        return schema.model_validate(values)
    except ValidationError as error:
        raise validation_message(error) from None


def form_values(form: FormData, *, lists: tuple[str, ...] = ()) -> dict[str, Any]:
    """Plain values of a form without its CSRF token; fields named in ``lists`` keep every value."""
    values: dict[str, Any] = {}
    for key in form:
        if key == "csrf_token":
            continue
        values[key] = form.getlist(key) if key in lists else form.get(key)
    for key in lists:
        values.setdefault(key, [])
    return values
