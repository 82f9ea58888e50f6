"""Route dependencies: the unit of work, who is calling, and what they may call."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer
from accord.auth import service
from accord.auth.service import viewer_of
from accord.config import Settings
from accord.db import Database
from accord.errors import Forbidden, NotAuthenticated
from accord.i18n import _
from accord.models import User, UserSession
from accord.notifications import service as notifications

SESSION_COOKIE = "accord_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PASSWORD_CHANGE_PATHS = frozenset(
    {
        "/api/v1/me",
        "/api/v1/me/password",
        "/api/v1/auth/logout",
        "/account/password",
        "/logout",
        "/language",
    }
)


class LoginRequired(NotAuthenticated):
    """Raised by page routes; answered with a redirect to the login page."""


class PasswordChangeRequired(Forbidden):
    code = "password_change_required"


class CsrfFailed(Forbidden):
    code = "csrf_failed"


@dataclass
class Principal:
    """The caller: their user record, what the access rule knows of them, and how they came in."""

    user: User
    viewer: Viewer
    user_session: UserSession | None = None

    @property
    def via_cookie(self) -> bool:
        return self.user_session is not None


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_database(request: Request) -> Database:
    return request.app.state.db


async def _unit_of_work(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.db.transaction() as session:
        try:
            yield session
        except BaseException:
            # The rollback expires every loaded record; the error page still shows the caller.
            principal = getattr(request.state, "principal", None)
            for record in (principal.user, principal.user_session) if principal else ():
                if record is not None and record in session:
                    session.expunge(record)
            raise


# The transaction commits as soon as the route returns, before the answer is sent:
# a 2xx answer means the data is committed.
get_session = Depends(_unit_of_work, scope="function")


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _sep, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


async def resolve_principal(
    request: Request, session: AsyncSession = get_session
) -> Principal | None:
    """Whoever the bearer token or session cookie names, or None; kept on ``request.state``."""
    principal: Principal | None = None
    token = _bearer(request)
    if token is not None:
        user = await service.user_for_token(session, token)
        principal = Principal(user, viewer_of(user))
    elif secret := request.cookies.get(SESSION_COOKIE):
        found = await service.session_for_cookie(session, request.app.state.settings, secret)
        if found is not None:
            principal = Principal(found[0], viewer_of(found[0]), found[1])
    request.state.principal = principal
    return principal


async def _check_csrf(request: Request, principal: Principal) -> None:
    if request.method in SAFE_METHODS or not principal.via_cookie:
        return
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        given = (await request.form()).get("csrf_token")
    assert principal.user_session is not None
    if not service.csrf_matches(principal.user_session.csrf_token, str(given or "")):
        raise CsrfFailed(
            _("missing or wrong CSRF token: reload the page and try again"), field=CSRF_HEADER
        )


async def current_principal(
    request: Request, principal: Principal | None = Depends(resolve_principal)
) -> Principal:
    """The logged-in caller of an API route (401 otherwise), CSRF checked for cookie sessions."""
    if principal is None:
        raise NotAuthenticated(_("log in first, or send an API token"))
    await _check_csrf(request, principal)
    if principal.user.must_change_password and request.url.path not in PASSWORD_CHANGE_PATHS:
        raise PasswordChangeRequired(_("change your password before you go on"))
    return principal


async def page_principal(
    request: Request,
    principal: Principal | None = Depends(resolve_principal),
    session: AsyncSession = get_session,
) -> Principal:
    """The logged-in caller of a page; others are sent to the login page."""
    if principal is None:
        raise LoginRequired(_("log in first"))
    await _check_csrf(request, principal)
    if principal.user.must_change_password and request.url.path not in PASSWORD_CHANGE_PATHS:
        raise PasswordChangeRequired(_("change your password before you go on"))
    # The count in the navigation of every page: one indexed query.
    request.state.unread_notifications = await notifications.unread_count(
        session, principal.user.id, principal.viewer
    )
    return principal


def _role_check(base: Callable, roles: tuple[str, ...]) -> Callable:
    async def check(principal: Principal = Depends(base)) -> Principal:
        if not principal.viewer.has_role(*roles):
            raise Forbidden(_("this needs the role {roles}").format(roles=" or ".join(roles)))
        return principal

    return check


def require_roles(*roles: str) -> Callable:
    """An API dependency admitting only callers with one of ``roles``."""
    return _role_check(current_principal, roles)


def require_page_roles(*roles: str) -> Callable:
    """A page dependency admitting only callers with one of ``roles``."""
    return _role_check(page_principal, roles)


async def anonymous_csrf(request: Request) -> None:
    """For forms posted before login: the form token must match the visitor's CSRF cookie."""
    form = await request.form()
    expected = request.scope.get("accord.anonymous_csrf", "")
    if not service.csrf_matches(expected, str(form.get("csrf_token") or "")):
        raise CsrfFailed(_("the form expired: reload the page and try again"), field="csrf_token")


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def undo(session: AsyncSession, principal: Principal) -> None:
    """Roll back a refused change, and reload the caller the page that follows still shows."""
    await session.rollback()
    await session.refresh(principal.user)
    if principal.user_session is not None:
        await session.refresh(principal.user_session)
