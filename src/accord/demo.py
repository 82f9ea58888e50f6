"""The demo scenario: one login per role and state, loaded idempotently."""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import SECRETARIAT, Classification, Viewer
from accord.auth import repository as users
from accord.auth import service as auth
from accord.auth.schemas import UserCreate
from accord.clock import utcnow
from accord.incidents.schemas import IncidentCreate
from accord.incidents.service import report_incident
from accord.members import repository as members
from accord.models import Incident

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
        # A second press officer: a release is approved by someone other than its author.
        DemoLogin("org.editor", SECRETARIAT, ("press",), Classification.RESTRICTED),
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


DEMO_SOURCE = "demo scenario"
CAPITALS = {
    "ARM": (44.51, 40.18),
    "BLR": (27.56, 53.90),
    "KAZ": (71.43, 51.13),
    "KGZ": (74.59, 42.87),
    "RUS": (37.62, 55.75),
    "TJK": (68.78, 38.56),
}
DEMO_REPORTS = [
    ("drugs", "Heroin seizure at a border crossing", "Severe", "verified"),
    ("migration", "Group of irregular migrants detained", "Moderate", "reported"),
    ("emergency", "Mudflow blocks a mountain road", "Severe", "verified"),
    ("cyber", "Phishing campaign against ministry mail", "Moderate", "reported"),
    ("terrorism", "Threat against a transport hub", "Extreme", "reported"),
    ("arms_crime", "Illegal weapons cache found", "Severe", "closed"),
    ("military", "Unidentified drone near the border", "Minor", "reported"),
    ("emergency", "Forest fire spreading near villages", "Extreme", "verified"),
]


async def load_demo_incidents(session: AsyncSession) -> int:
    """Reports from every state over the last month, so the picture is not empty; idempotent."""
    existing = await session.execute(
        select(func.count()).select_from(Incident).where(Incident.source == DEMO_SOURCE)
    )
    if existing.scalar_one():
        return 0
    now = utcnow()
    count = 0
    for state_index, (state, (longitude, latitude)) in enumerate(CAPITALS.items()):
        viewer = Viewer(
            state=state,
            clearance=Classification.CONFIDENTIAL,
            roles=frozenset({"duty_officer"}),
            username=f"{state.lower()}.duty",
        )
        for index, (area, title, severity, status) in enumerate(DEMO_REPORTS):
            if (index + state_index) % 3 == 0:
                continue
            offset = 0.15 * ((index % 4) - 1.5)
            await report_incident(
                session,
                viewer,
                IncidentCreate(
                    area=area,
                    title=title,
                    description=f"{title}. Reported by the {state} centre.",
                    occurred_at=now - timedelta(hours=5 + 29 * index + 7 * state_index),
                    severity=severity,
                    urgency="Expected",
                    certainty="Likely",
                    location={
                        "type": "Point",
                        "coordinates": [round(longitude + offset, 4), round(latitude - offset, 4)],
                    },
                    country=state,
                    status=status,
                    mode="exercise" if index == 7 else "actual",
                    classification="RESTRICTED" if index % 2 else "CONFIDENTIAL",
                    releasable_to=["ALL"] if index % 2 else [state, "ORG"],
                    source=DEMO_SOURCE,
                ),
            )
            count += 1
    return count


# The domains' parts of the scenario, in the order they build on each other: the council's
# sessions before the documents signed at them, and both, with the crisis, before the chair's
# programme that links to what advanced it.
SCENARIO_PARTS = (
    "accord.council.demo",
    "accord.documents.demo",
    "accord.staffing.demo",
    "accord.budget.demo",
    "accord.crises.demo",
    "accord.programme.demo",
    "accord.press.demo",
)


def scenario_parts() -> list[Callable[[AsyncSession], Awaitable[None]]]:
    """Each domain's ``load(session)``, in order; each runs in its own transaction."""
    return [importlib.import_module(name).load for name in SCENARIO_PARTS]
