"""The demo scenario: one login per role and state, loaded idempotently."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import SECRETARIAT, Classification
from accord.auth import repository as users
from accord.auth import service as auth
from accord.auth.schemas import UserCreate
from accord.members import repository as members

DEMO_PASSWORD = "accord-demo-password"  # noqa: S105 - printed to every demo user


@dataclass(frozen=True)
class DemoLogin:
    username: str
    state: str
    roles: tuple[str, ...]
    clearance: Classification


def demo_logins(state_codes: list[str]) -> list[DemoLogin]:
    """Who the demo has: a duty officer, an analyst and a delegate per state; the secretariat."""
    logins = [
        DemoLogin("admin", SECRETARIAT, ("admin",), Classification.SECRET),
        DemoLogin("org.secretariat", SECRETARIAT, ("secretariat",), Classification.SECRET),
        DemoLogin("org.analyst", SECRETARIAT, ("analyst",), Classification.SECRET),
        DemoLogin("org.press", SECRETARIAT, ("press",), Classification.RESTRICTED),
    ]
    for code in state_codes:
        prefix = code.lower()
        logins += [
            DemoLogin(f"{prefix}.duty", code, ("duty_officer",), Classification.CONFIDENTIAL),
            DemoLogin(f"{prefix}.analyst", code, ("analyst",), Classification.CONFIDENTIAL),
            DemoLogin(f"{prefix}.delegate", code, ("delegate",), Classification.CONFIDENTIAL),
        ]
    return logins


async def load_demo(session: AsyncSession) -> list[DemoLogin]:
    """Create the demo users that do not exist yet; return every demo login."""
    codes = [state.code for state in await members.list_states(session)]
    logins = demo_logins(codes)
    for login in logins:
        if await users.get_user_by_name(session, login.username) is None:
            await auth.create_user(
                session,
                UserCreate(
                    username=login.username,
                    state=login.state,
                    roles=list(login.roles),
                    clearance=login.clearance,
                    email=f"{login.username}@accord.example",
                    display_name="",
                    password=DEMO_PASSWORD,
                ),
                actor="demo",
            )
    return logins
