"""Users, sessions, tokens and login throttling: the rules of the auth domain."""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass
from datetime import timedelta

import pyotp
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import SECRETARIAT, Classification, Viewer
from accord.auth import repository
from accord.auth.passwords import dummy_verify, hash_password, verify_password
from accord.auth.schemas import UserCreate, check_password
from accord.auth.secrets import digest, new_api_token, new_secret
from accord.clock import utcnow
from accord.config import Settings
from accord.db import Database
from accord.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, TooManyAttempts
from accord.events.service import record_event, secretariat_only
from accord.i18n import _
from accord.members import service as members
from accord.models import ApiToken, LoginThrottle, User, UserSession

SYSTEM = "system"


class TotpRequired(NotAuthenticated):
    code = "totp_required"


def viewer_of(user: User) -> Viewer:
    return Viewer(
        state=user.state,
        clearance=Classification.parse(user.clearance),
        roles=frozenset(user.roles),
        user_id=user.id,
        username=user.username,
    )


def _audit(session: AsyncSession, actor: str, kind: str, subject: object, **payload) -> None:
    record_event(
        session, actor=actor, kind=kind, subject=str(subject), payload=payload, **secretariat_only()
    )


# Users


async def create_user(session: AsyncSession, data: UserCreate, *, actor: str = SYSTEM) -> User:
    """Add a user; the state must be a member state of the organisation or ORG."""
    if data.state != SECRETARIAT and not await members.state_exists(session, data.state):
        raise InvalidInput(_("unknown state code {code}").format(code=data.state), field="state")
    if await repository.get_user_by_name(session, data.username):
        raise Conflict(
            _("a user named {name} exists already").format(name=data.username), field="username"
        )
    user = User(
        id=uuid.uuid4(),
        username=data.username,
        display_name=data.display_name or data.username,
        email=str(data.email or ""),
        state=data.state,
        roles=list(data.roles),
        clearance=data.clearance,
        password_hash=hash_password(data.password),
        created_at=utcnow(),
    )
    session.add(user)
    await session.flush()
    _audit(
        session,
        actor,
        "user.created",
        user.id,
        username=user.username,
        state=user.state,
        roles=user.roles,
        clearance=user.clearance.name,
    )
    return user


async def find_user(session: AsyncSession, username: str) -> User:
    user = await repository.get_user_by_name(session, username)
    if user is None:
        raise NotFound(_("no user named {name}").format(name=username), field="username")
    return user


async def set_disabled(session: AsyncSession, user: User, disabled: bool, *, actor: str) -> None:
    """Disable a user (ending their sessions and tokens' use) or enable them again."""
    user.disabled = disabled
    if disabled:
        await _revoke_sessions(session, user)
    _audit(
        session,
        actor,
        "user.disabled" if disabled else "user.enabled",
        user.id,
        username=user.username,
    )


async def reset_password(
    session: AsyncSession, user: User, new_password: str, *, actor: str
) -> None:
    """Set a temporary password that the user must change at the next login."""
    user.password_hash = hash_password(check_password_field(new_password, "password"))
    user.must_change_password = True
    await _revoke_sessions(session, user)
    _audit(session, actor, "user.password_reset", user.id, username=user.username)


async def change_password(session: AsyncSession, user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise InvalidInput(_("the current password is wrong"), field="current_password")
    if current == new:
        raise InvalidInput(
            _("choose a password different from the current one"), field="new_password"
        )
    user.password_hash = hash_password(check_password_field(new, "new_password"))
    user.must_change_password = False
    _audit(session, user.username, "user.password_changed", user.id, username=user.username)


def check_password_field(value: str, field: str) -> str:
    try:
        return check_password(value)
    except ValueError as exc:
        raise InvalidInput(_(str(exc)), field=field) from None


async def set_language(session: AsyncSession, user: User, language: str) -> None:
    user.language = language


# TOTP


def start_totp(user: User) -> str:
    """Give the user a new secret to enrol; it takes effect once a code from it is confirmed."""
    user.totp_secret = pyotp.random_base32()
    return totp_uri(user)


def totp_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret or "").provisioning_uri(
        name=user.username, issuer_name="Accord"
    )


async def confirm_totp(session: AsyncSession, user: User, code: str) -> None:
    if not user.totp_secret:
        raise InvalidInput(_("start the set-up of the second factor first"), field="code")
    if not pyotp.TOTP(user.totp_secret).verify(code.strip(), valid_window=1):
        raise InvalidInput(
            _("that code is not valid; check the clock of your device"), field="code"
        )
    user.totp_enabled = True
    _audit(session, user.username, "user.totp_enabled", user.id, username=user.username)


async def disable_totp(session: AsyncSession, user: User, *, actor: str) -> None:
    user.totp_enabled = False
    user.totp_secret = None
    _audit(session, actor, "user.totp_disabled", user.id, username=user.username)


# Login and sessions


@dataclass
class LoginResult:
    user: User
    cookie_secret: str
    user_session: UserSession


async def login(
    session: AsyncSession,
    db: Database,
    settings: Settings,
    *,
    username: str,
    password: str,
    totp: str | None,
    source: str,
    user_agent: str = "",
) -> LoginResult:
    """Check credentials and open a session; failures are counted per account and source."""
    now = utcnow()
    throttle = await repository.get_throttle(session, username, source)
    _refuse_if_throttled(throttle, settings, now)
    user = await repository.get_user_by_name(session, username)
    if user is None:
        dummy_verify(password)
    password_ok = user is not None and verify_password(user.password_hash, password)
    if not password_ok or user is None or user.disabled:
        await _record_failure(db, settings, username, source)
        raise NotAuthenticated(_("wrong username or password"))
    if user.totp_enabled:
        if not totp:
            raise TotpRequired(_("enter the code from your authenticator app"), field="totp")
        if not pyotp.TOTP(user.totp_secret or "").verify(totp.strip(), valid_window=1):
            await _record_failure(db, settings, username, source)
            raise NotAuthenticated(_("the one-time code is wrong"), field="totp")
    if throttle is not None:
        await session.delete(throttle)
    secret = new_secret()
    user_session = UserSession(
        id=uuid.uuid4(),
        user_id=user.id,
        secret_hash=digest(secret),
        csrf_token=new_secret(),
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(hours=settings.session_max_hours),
        source=source[:64],
        user_agent=user_agent[:300],
    )
    session.add(user_session)
    _audit(session, user.username, "auth.login", user.id, source=source)
    return LoginResult(user, secret, user_session)


def _refuse_if_throttled(throttle: LoginThrottle | None, settings: Settings, now) -> None:
    if throttle is None:
        return
    if throttle.locked_until and throttle.locked_until > now:
        wait = int((throttle.locked_until - now).total_seconds()) + 1
        raise TooManyAttempts(
            _("too many failed logins: locked for {minutes} more minutes").format(
                minutes=max(1, wait // 60)
            ),
            retry_after=wait,
        )
    if throttle.failures >= settings.login_slow_after:
        delay = timedelta(seconds=min(60, 2 ** (throttle.failures - settings.login_slow_after)))
        ready = throttle.last_failure_at + delay
        if ready > now:
            wait = int((ready - now).total_seconds()) + 1
            raise TooManyAttempts(
                _("too many failed logins: wait {seconds} seconds").format(seconds=wait),
                retry_after=wait,
            )


async def _record_failure(db: Database, settings: Settings, username: str, source: str) -> None:
    # Its own transaction: the failed request rolls back, the count must stay.
    now = utcnow()
    async with db.transaction() as session:
        throttle = await repository.get_throttle(session, username, source)
        if throttle is None:
            throttle = LoginThrottle(
                username=username[:64], source=source[:64], failures=0, last_failure_at=now
            )
            session.add(throttle)
        if throttle.locked_until and throttle.locked_until <= now:
            throttle.failures = 0
            throttle.locked_until = None
        throttle.failures += 1
        throttle.last_failure_at = now
        _audit(
            session,
            SYSTEM,
            "auth.login_failed",
            username,
            username=username,
            source=source,
            failures=throttle.failures,
        )
        if throttle.failures >= settings.login_lock_after:
            throttle.locked_until = now + timedelta(minutes=settings.login_lock_minutes)
            _audit(
                session,
                SYSTEM,
                "auth.locked",
                username,
                username=username,
                source=source,
                until=throttle.locked_until.isoformat(),
            )


async def locks(session: AsyncSession) -> list[LoginThrottle]:
    return await repository.list_locks(session, utcnow())


async def unlock(session: AsyncSession, lock_id: uuid.UUID, *, actor: str) -> None:
    throttle = await session.get(LoginThrottle, lock_id)
    if throttle is None:
        raise NotFound(_("no such lock"))
    await session.delete(throttle)
    _audit(
        session,
        actor,
        "auth.unlocked",
        throttle.username,
        username=throttle.username,
        source=throttle.source,
    )


async def session_for_cookie(
    session: AsyncSession, settings: Settings, secret: str
) -> tuple[User, UserSession] | None:
    """The live session a cookie names, touching it; None when unknown, expired, idle or revoked."""
    found = await repository.get_session_and_user(session, digest(secret))
    if found is None:
        return None
    user_session, user = found
    if user_session.revoked_at is not None or user.disabled:
        return None
    now = utcnow()
    idle = now - user_session.last_seen_at > timedelta(minutes=settings.session_idle_minutes)
    if idle or user_session.expires_at <= now:
        return None
    if now - user_session.last_seen_at > timedelta(seconds=60):
        user_session.last_seen_at = now
    return user, user_session


async def logout(session: AsyncSession, user: User, user_session: UserSession) -> None:
    user_session.revoked_at = utcnow()
    _audit(session, user.username, "auth.logout", user.id)


async def _revoke_sessions(session: AsyncSession, user: User) -> None:
    now = utcnow()
    for user_session in await repository.active_sessions_of(session, user.id):
        user_session.revoked_at = now


def csrf_matches(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())


# API tokens


async def create_token(
    session: AsyncSession, user: User, label: str, *, actor: str
) -> tuple[ApiToken, str]:
    """Issue a bearer token; the secret is returned once and only its hash is kept."""
    secret = new_api_token()
    token = ApiToken(
        id=uuid.uuid4(),
        user_id=user.id,
        label=label[:100],
        secret_hash=digest(secret),
        created_at=utcnow(),
    )
    session.add(token)
    _audit(session, actor, "token.created", token.id, username=user.username, label=label)
    return token, secret


async def revoke_token(
    session: AsyncSession, token_id: uuid.UUID, *, actor: str, owner: User | None = None
) -> ApiToken:
    token = await session.get(ApiToken, token_id)
    if token is None or (owner is not None and token.user_id != owner.id):
        raise NotFound(_("no token with id {id}").format(id=token_id))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        _audit(session, actor, "token.revoked", token.id)
    return token


async def user_for_token(session: AsyncSession, secret: str) -> User:
    found = await repository.get_token_and_user(session, digest(secret))
    now = utcnow()
    if found is None:
        raise NotAuthenticated(_("unknown API token"))
    token, user = found
    if token.revoked_at is not None:
        raise NotAuthenticated(_("this API token was revoked"))
    if token.expires_at is not None and token.expires_at <= now:
        raise NotAuthenticated(_("this API token has expired"))
    if user.disabled:
        raise NotAuthenticated(_("the user of this API token is disabled"))
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        token.last_used_at = now
    return user
