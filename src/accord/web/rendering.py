"""Rendering pages: one Jinja environment with translations, the banner and the CSRF token."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from babel.dates import format_datetime
from babel.numbers import format_decimal
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from accord import i18n
from accord.access import Classification, highest

TEMPLATES = Path(__file__).parent / "templates"

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.install_gettext_callables(i18n.gettext_, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]


def _datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_datetime(
        value, "yyyy-MM-dd HH:mm:ss 'UTC'", tzinfo=UTC, locale=i18n.current_locale()
    )


environment.filters["datetime"] = _datetime


def _amount(value: Any) -> str:
    """A sum of money with the reader's digit grouping: 1,234,500.00 or 1 234 500,00."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return format_decimal(number, format="#,##0.00", locale=i18n.current_locale())


environment.filters["amount"] = _amount


def csrf_token(request: Request) -> str:
    principal = getattr(request.state, "principal", None)
    if principal is not None and principal.user_session is not None:
        return principal.user_session.csrf_token
    return request.scope.get("accord.anonymous_csrf", "")


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    shown: list[Any] | tuple[Any, ...] = (),
    status_code: int = 200,
) -> HTMLResponse:
    """Render ``template``; the banner carries the highest classification among ``shown``."""
    principal = getattr(request.state, "principal", None)
    values = {
        "request": request,
        "principal": principal,
        "user": principal.user if principal else None,
        "csrf_token": csrf_token(request),
        "language": i18n.current_language(),
        "languages": i18n.LANGUAGES,
        "classification": highest(shown) if shown else Classification.PUBLIC,
        "path": request.url.path,
        "unread_notifications": getattr(request.state, "unread_notifications", 0),
    }
    values.update(context or {})
    html = environment.get_template(template).render(values)
    return HTMLResponse(html, status_code=status_code)


def redirect(target: str) -> RedirectResponse:
    """After a form post: go to ``target`` with a GET (303 See Other)."""
    return RedirectResponse(target, status_code=303)
