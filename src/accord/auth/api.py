"""JSON routes of the auth domain: login, logout, me, users, tokens, locks."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from accord.auth import repository, service
from accord.auth.dependencies import (
    SESSION_COOKIE,
    Principal,
    client_address,
    current_principal,
    get_database,
    get_session,
    get_settings,
    require_roles,
)
from accord.auth.schemas import (
    LoginRequest,
    NewPassword,
    PasswordChange,
    TokenCreate,
    TokenRead,
    UserCreate,
    UserRead,
)
from accord.config import Settings
from accord.db import Database
from accord.models import User

router = APIRouter(prefix="/api/v1", tags=["auth"])
admin_only = require_roles("admin")


def user_read(user: User) -> UserRead:
    return UserRead(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        email=user.email,
        state=user.state,
        roles=user.roles,
        clearance=user.clearance.name,
        disabled=user.disabled,
        must_change_password=user.must_change_password,
        totp_enabled=user.totp_enabled,
        created_at=user.created_at,
    )


def set_session_cookie(response: Response, settings: Settings, secret: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        max_age=settings.session_max_hours * 3600,
        path="/",
    )


class LoginAnswer(BaseModel):
    user: UserRead
    csrf_token: str


@router.post("/auth/login", response_model=LoginAnswer)
async def login(
    body: LoginRequest,
    request: Request,
    response: Response,
    session: AsyncSession = get_session,
    db: Database = Depends(get_database),
    settings: Settings = Depends(get_settings),
) -> LoginAnswer:
    result = await service.login(
        session,
        db,
        settings,
        username=body.username,
        password=body.password,
        totp=body.totp,
        source=client_address(request),
        user_agent=request.headers.get("user-agent", ""),
    )
    set_session_cookie(response, settings, result.cookie_secret)
    return LoginAnswer(user=user_read(result.user), csrf_token=result.user_session.csrf_token)


@router.post("/auth/logout", status_code=204)
async def logout(
    response: Response,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> None:
    if principal.user_session is not None:
        await service.logout(session, principal.user, principal.user_session)
    response.delete_cookie(SESSION_COOKIE, path="/")


class MeAnswer(UserRead):
    csrf_token: str | None = None


@router.get("/me", response_model=MeAnswer)
async def me(principal: Principal = Depends(current_principal)) -> MeAnswer:
    csrf = principal.user_session.csrf_token if principal.user_session else None
    return MeAnswer(**user_read(principal.user).model_dump(), csrf_token=csrf)


@router.post("/me/password", status_code=204)
async def change_password(
    body: PasswordChange,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> None:
    await service.change_password(session, principal.user, body.current_password, body.new_password)


class TotpStart(BaseModel):
    secret: str
    uri: str


@router.post("/me/totp", response_model=TotpStart)
async def start_totp(principal: Principal = Depends(current_principal)) -> TotpStart:
    uri = service.start_totp(principal.user)
    return TotpStart(secret=principal.user.totp_secret or "", uri=uri)


class TotpConfirm(BaseModel):
    code: str = Field(min_length=6, max_length=10)


@router.post("/me/totp/confirm", status_code=204)
async def confirm_totp(
    body: TotpConfirm,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> None:
    await service.confirm_totp(session, principal.user, body.code)


# Administration


class UserList(BaseModel):
    items: list[UserRead]
    next_cursor: str | None = None


@router.get("/users", response_model=UserList)
async def list_users(
    _admin: Principal = Depends(admin_only), session: AsyncSession = get_session
) -> UserList:
    return UserList(items=[user_read(user) for user in await repository.list_users(session)])


@router.post("/users", response_model=UserRead, status_code=201)
async def create_user(
    body: UserCreate, admin: Principal = Depends(admin_only), session: AsyncSession = get_session
) -> UserRead:
    return user_read(await service.create_user(session, body, actor=admin.user.username))


@router.get("/users/{username}", response_model=UserRead)
async def get_user(
    username: str, _admin: Principal = Depends(admin_only), session: AsyncSession = get_session
) -> UserRead:
    return user_read(await service.find_user(session, username))


class UserUpdate(BaseModel):
    disabled: bool | None = None
    totp_enabled: bool | None = Field(default=None, description="only false: switch TOTP off")


@router.patch("/users/{username}", response_model=UserRead)
async def update_user(
    username: str,
    body: UserUpdate,
    admin: Principal = Depends(admin_only),
    session: AsyncSession = get_session,
) -> UserRead:
    user = await service.find_user(session, username)
    if body.disabled is not None:
        await service.set_disabled(session, user, body.disabled, actor=admin.user.username)
    if body.totp_enabled is False:
        await service.disable_totp(session, user, actor=admin.user.username)
    return user_read(user)


class PasswordReset(BaseModel):
    password: NewPassword


@router.post("/users/{username}/password", status_code=204)
async def reset_password(
    username: str,
    body: PasswordReset,
    admin: Principal = Depends(admin_only),
    session: AsyncSession = get_session,
) -> None:
    user = await service.find_user(session, username)
    await service.reset_password(session, user, body.password, actor=admin.user.username)


class TokenList(BaseModel):
    items: list[TokenRead]
    next_cursor: str | None = None


class TokenIssued(TokenRead):
    token: str


def token_read(token) -> TokenRead:
    return TokenRead(
        id=token.id,
        label=token.label,
        created_at=token.created_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
    )


@router.get("/users/{username}/tokens", response_model=TokenList)
async def list_tokens(
    username: str, _admin: Principal = Depends(admin_only), session: AsyncSession = get_session
) -> TokenList:
    user = await service.find_user(session, username)
    return TokenList(items=[token_read(t) for t in await repository.list_tokens(session, user.id)])


@router.post("/users/{username}/tokens", response_model=TokenIssued, status_code=201)
async def create_token(
    username: str,
    body: TokenCreate,
    admin: Principal = Depends(admin_only),
    session: AsyncSession = get_session,
) -> TokenIssued:
    user = await service.find_user(session, username)
    token, secret = await service.create_token(session, user, body.label, actor=admin.user.username)
    return TokenIssued(**token_read(token).model_dump(), token=secret)


@router.delete("/tokens/{token_id}", status_code=204)
async def revoke_token(
    token_id: uuid.UUID,
    admin: Principal = Depends(admin_only),
    session: AsyncSession = get_session,
) -> None:
    await service.revoke_token(session, token_id, actor=admin.user.username)


class LockRead(BaseModel):
    id: uuid.UUID
    username: str
    source: str
    failures: int
    locked_until: str


class LockList(BaseModel):
    items: list[LockRead]
    next_cursor: str | None = None


@router.get("/auth/locks", response_model=LockList)
async def list_locks(
    _admin: Principal = Depends(admin_only), session: AsyncSession = get_session
) -> LockList:
    locks = await service.locks(session)
    return LockList(
        items=[
            LockRead(
                id=lock.id,
                username=lock.username,
                source=lock.source,
                failures=lock.failures,
                locked_until=lock.locked_until.isoformat() if lock.locked_until else "",
            )
            for lock in locks
        ]
    )


@router.delete("/auth/locks/{lock_id}", status_code=204)
async def clear_lock(
    lock_id: uuid.UUID,
    admin: Principal = Depends(admin_only),
    session: AsyncSession = get_session,
) -> None:
    await service.unlock(session, lock_id, actor=admin.user.username)
