"""HTML routes of the auth domain: login, account, and the administrator's user pages."""

from __future__ import annotations

import uuid
from urllib.parse import urlparse

import segno
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import SECRETARIAT, Classification
from accord.auth import repository, service
from accord.auth.api import set_session_cookie
from accord.auth.dependencies import (
    SESSION_COOKIE,
    CsrfFailed,
    Principal,
    anonymous_csrf,
    client_address,
    get_database,
    get_session,
    get_settings,
    page_principal,
    require_page_roles,
    resolve_principal,
    undo,
)
from accord.auth.schemas import UserCreate
from accord.config import Settings
from accord.db import Database
from accord.errors import AccordError, NotAuthenticated, TooManyAttempts
from accord.i18n import LANGUAGES, _
from accord.members import service as members
from accord.web.forms import form_values, parse_form
from accord.web.middleware import LANGUAGE_COOKIE
from accord.web.rendering import redirect, render

router = APIRouter(include_in_schema=False)
admin_page = require_page_roles("admin")


def role_names() -> dict[str, str]:
    return {
        "duty_officer": _("Duty officer"),
        "analyst": _("Analyst"),
        "delegate": _("Delegate"),
        "secretariat": _("Secretariat officer"),
        "press": _("Press officer"),
        "admin": _("Administrator"),
    }


def safe_next(target: str | None) -> str:
    """Only same-site paths are followed after login, never another host."""
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


# Login, logout, language


@router.get("/login", response_class=HTMLResponse)
async def login_page(
    request: Request, next: str = "/", principal: Principal | None = Depends(resolve_principal)
) -> Response:
    if principal is not None:
        return redirect(safe_next(next))
    return render(
        request,
        "login.html",
        {"next": safe_next(next), "username": "", "error": None, "ask_totp": False},
    )


@router.post("/login", response_class=HTMLResponse, dependencies=[Depends(anonymous_csrf)])
async def login_submit(
    request: Request,
    session: AsyncSession = get_session,
    db: Database = Depends(get_database),
    settings: Settings = Depends(get_settings),
) -> Response:
    form = await request.form()
    username = str(form.get("username") or "")[:64]
    target = safe_next(str(form.get("next") or "/"))
    try:
        result = await service.login(
            session,
            db,
            settings,
            username=username,
            password=str(form.get("password") or ""),
            totp=str(form.get("totp") or "") or None,
            source=client_address(request),
            user_agent=request.headers.get("user-agent", ""),
        )
    except (NotAuthenticated, TooManyAttempts) as error:
        await session.rollback()
        ask_totp = isinstance(error, service.TotpRequired) or error.field == "totp"
        return render(
            request,
            "login.html",
            {"next": target, "username": username, "error": error.message, "ask_totp": ask_totp},
            status_code=error.status,
        )
    if result.user.must_change_password:
        target = "/account/password"
    response = redirect(target)
    set_session_cookie(response, settings, result.cookie_secret)
    if result.user.language in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE, result.user.language, samesite="lax", max_age=365 * 86400, path="/"
        )
    return response


@router.post("/logout")
async def logout_submit(
    principal: Principal = Depends(page_principal), session: AsyncSession = get_session
) -> Response:
    if principal.user_session is not None:
        await service.logout(session, principal.user, principal.user_session)
    response = redirect("/")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/language")
async def switch_language(
    request: Request,
    session: AsyncSession = get_session,
    principal: Principal | None = Depends(resolve_principal),
) -> Response:
    form = await request.form()
    expected = (
        principal.user_session.csrf_token
        if principal and principal.user_session
        else request.scope.get("accord.anonymous_csrf", "")
    )
    if not service.csrf_matches(expected, str(form.get("csrf_token") or "")):
        raise CsrfFailed(_("the form expired: reload the page and try again"), field="csrf_token")
    language = str(form.get("language") or "")
    if language not in LANGUAGES:
        raise AccordError(_("unknown language {code}").format(code=language), field="language")
    if principal is not None:
        await service.set_language(session, principal.user, language)
    response = redirect(safe_next(str(form.get("next") or "/")))
    response.set_cookie(LANGUAGE_COOKIE, language, samesite="lax", max_age=365 * 86400, path="/")
    return response


# The user's own account


@router.get("/account", response_class=HTMLResponse)
async def account(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    names = await members.state_names(session)
    return render(
        request,
        "account.html",
        {"state_name": names.get(principal.user.state, ""), "role_names": role_names()},
    )


@router.get("/account/password", response_class=HTMLResponse)
async def password_page(request: Request, _p: Principal = Depends(page_principal)) -> Response:
    return render(request, "password.html", {"error": None})


@router.post("/account/password", response_class=HTMLResponse)
async def password_submit(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    form = await request.form()
    try:
        await service.change_password(
            session,
            principal.user,
            str(form.get("current_password") or ""),
            str(form.get("new_password") or ""),
        )
    except AccordError as error:
        await undo(session, principal)
        return render(request, "password.html", {"error": error.message}, status_code=422)
    return redirect("/account")


@router.get("/account/totp", response_class=HTMLResponse)
async def totp_page(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    uri = service.start_totp(principal.user)
    return _totp_form(request, principal, uri, None)


def _totp_form(
    request: Request, principal: Principal, uri: str, error: str | None, status_code: int = 200
) -> Response:
    qr = segno.make(uri).svg_inline(scale=4)
    return render(
        request,
        "totp.html",
        {"secret": principal.user.totp_secret, "qr_svg": qr, "error": error},
        status_code=status_code,
    )


@router.post("/account/totp", response_class=HTMLResponse)
async def totp_submit(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    form = await request.form()
    try:
        await service.confirm_totp(session, principal.user, str(form.get("code") or ""))
    except AccordError as error:
        return _totp_form(request, principal, service.totp_uri(principal.user), error.message, 422)
    return redirect("/account")


# Administration of users, tokens and locks


async def _users_page(
    request: Request,
    session: AsyncSession,
    *,
    form: dict | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    states = await members.list_states(session)
    choices = [(SECRETARIAT, _("Secretariat")), *[(s.code, s.name) for s in states]]
    blank = {
        "username": "",
        "display_name": "",
        "email": "",
        "state": SECRETARIAT,
        "roles": [],
        "clearance": "RESTRICTED",
    }
    return render(
        request,
        "admin_users.html",
        {
            "users": await repository.list_users(session),
            "state_choices": choices,
            "role_names": role_names(),
            "levels": [level.name for level in Classification],
            "form": {**blank, **(form or {})},
            "error": error,
        },
        status_code=status_code,
    )


@router.get("/admin/users", response_class=HTMLResponse)
async def users_page(
    request: Request, _a: Principal = Depends(admin_page), session: AsyncSession = get_session
) -> Response:
    return await _users_page(request, session)


@router.post("/admin/users", response_class=HTMLResponse)
async def users_create(
    request: Request, admin: Principal = Depends(admin_page), session: AsyncSession = get_session
) -> Response:
    values = form_values(await request.form(), lists=("roles",))
    if not values.get("email"):
        values["email"] = None
    try:
        data = parse_form(UserCreate, values)
        await service.create_user(session, data, actor=admin.user.username)
    except AccordError as error:
        await undo(session, admin)
        shown = {key: value for key, value in values.items() if key != "password"}
        return await _users_page(
            request, session, form=shown, error=error.message, status_code=error.status
        )
    return redirect("/admin/users")


async def _user_page(
    request: Request,
    session: AsyncSession,
    username: str,
    *,
    issued_token: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    subject = await service.find_user(session, username)
    return render(
        request,
        "admin_user.html",
        {
            "subject": subject,
            "tokens": await repository.list_tokens(session, subject.id),
            "role_names": role_names(),
            "issued_token": issued_token,
            "error": error,
        },
        status_code=status_code,
    )


@router.get("/admin/users/{username}", response_class=HTMLResponse)
async def user_page(
    username: str,
    request: Request,
    _a: Principal = Depends(admin_page),
    session: AsyncSession = get_session,
) -> Response:
    return await _user_page(request, session, username)


@router.post("/admin/users/{username}/disabled")
async def user_disable(
    username: str,
    request: Request,
    admin: Principal = Depends(admin_page),
    session: AsyncSession = get_session,
) -> Response:
    form = await request.form()
    user = await service.find_user(session, username)
    await service.set_disabled(
        session, user, form.get("disabled") == "1", actor=admin.user.username
    )
    return redirect(f"/admin/users/{username}")


@router.post("/admin/users/{username}/totp-off")
async def user_totp_off(
    username: str, admin: Principal = Depends(admin_page), session: AsyncSession = get_session
) -> Response:
    user = await service.find_user(session, username)
    await service.disable_totp(session, user, actor=admin.user.username)
    return redirect(f"/admin/users/{username}")


@router.post("/admin/users/{username}/password", response_class=HTMLResponse)
async def user_password(
    username: str,
    request: Request,
    admin: Principal = Depends(admin_page),
    session: AsyncSession = get_session,
) -> Response:
    form = await request.form()
    user = await service.find_user(session, username)
    try:
        await service.reset_password(
            session, user, str(form.get("password") or ""), actor=admin.user.username
        )
    except AccordError as error:
        await undo(session, admin)
        return await _user_page(
            request, session, username, error=error.message, status_code=error.status
        )
    return redirect(f"/admin/users/{username}")


@router.post("/admin/users/{username}/tokens", response_class=HTMLResponse)
async def user_token(
    username: str,
    request: Request,
    admin: Principal = Depends(admin_page),
    session: AsyncSession = get_session,
) -> Response:
    form = await request.form()
    user = await service.find_user(session, username)
    _token, secret = await service.create_token(
        session, user, str(form.get("label") or ""), actor=admin.user.username
    )
    return await _user_page(request, session, username, issued_token=secret)


@router.post("/admin/tokens/{token_id}/revoke")
async def token_revoke(
    token_id: uuid.UUID,
    request: Request,
    admin: Principal = Depends(admin_page),
    session: AsyncSession = get_session,
) -> Response:
    form = await request.form()
    await service.revoke_token(session, token_id, actor=admin.user.username)
    return redirect(f"/admin/users/{form.get('username') or ''}")


@router.get("/admin/locks", response_class=HTMLResponse)
async def locks_page(
    request: Request, _a: Principal = Depends(admin_page), session: AsyncSession = get_session
) -> Response:
    return render(request, "admin_locks.html", {"locks": await service.locks(session)})


@router.post("/admin/locks/{lock_id}/clear")
async def lock_clear(
    lock_id: uuid.UUID, admin: Principal = Depends(admin_page), session: AsyncSession = get_session
) -> Response:
    await service.unlock(session, lock_id, actor=admin.user.username)
    return redirect("/admin/locks")
