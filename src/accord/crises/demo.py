"""This domain's part of the demo scenario, loaded idempotently by `accord demo`.

The exercise of issue 4: an earthquake near Dushanbe, a crisis, a request for two medium rescue
teams and a field hospital, Kazakhstan's and Russia's offers accepted, the crisis declared, the
teams en route and a situation report issued. Everything goes through the domains' services, as
the people named would do it on the pages.
"""

from __future__ import annotations

import importlib
from datetime import timedelta
from types import ModuleType

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer
from accord.auth import repository as users
from accord.auth.service import viewer_of
from accord.clock import utcnow
from accord.crises import escalation, repository, service
from accord.crises.schemas import CrisisCreate, Escalation
from accord.incidents.schemas import IncidentCreate
from accord.incidents.service import report_incident

TITLE = "Earthquake near Dushanbe"
DUSHANBE = (68.7870, 38.5598)


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


async def _viewer(session: AsyncSession, username: str) -> Viewer | None:
    user = await users.get_user_by_name(session, username)
    return viewer_of(user) if user is not None else None


async def load(session: AsyncSession) -> None:
    """Add this domain's demo records unless they are there already."""
    if await repository.find_by_title(session, TITLE) is not None:
        return
    names = ("tjk.duty", "kaz.duty", "rus.duty", "org.secretariat", "org.analyst")
    viewers = {name: await _viewer(session, name) for name in names}
    if any(viewer is None for viewer in viewers.values()):
        return
    tjk, sec = viewers["tjk.duty"], viewers["org.secretariat"]
    assert tjk is not None and sec is not None
    now = utcnow()
    incident = await report_incident(
        session,
        tjk,
        IncidentCreate.model_validate(
            {
                "area": "emergency",
                "title": "Earthquake of magnitude 6.8 near Dushanbe (exercise)",
                "description": "Collapsed buildings in the city's south; people under rubble.",
                "occurred_at": now - timedelta(hours=3),
                "severity": "Extreme",
                "urgency": "Immediate",
                "certainty": "Observed",
                "location": {"type": "Point", "coordinates": list(DUSHANBE)},
                "country": "TJK",
                "mode": "exercise",
                "classification": "RESTRICTED",
                "releasable_to": ["ALL"],
            }
        ),
    )
    crisis = await service.open_crisis(
        session,
        tjk,
        CrisisCreate(
            title=TITLE,
            summary="Exercise: a strong earthquake exceeds the national means of Tajikistan.",
            mode="exercise",
            incident_ids=[incident.id],
            classification="RESTRICTED",
            releasable_to=["ALL"],
            reason="Rescue teams of the republic cannot reach every site in time.",
        ),
    )
    await escalation.escalate(
        session,
        tjk,
        crisis.id,
        Escalation(level="consultations", reason="Tajikistan asks its partners for help."),
    )
    await _assistance(session, viewers, crisis.id, now)
    await escalation.escalate(
        session,
        sec,
        crisis.id,
        Escalation(level="declared", reason="The need exceeds one state's means."),
    )
    await _deployments_en_route(session, viewers, crisis.id)
    await _sitrep(session, viewers["org.analyst"], crisis.id)


async def _assistance(session: AsyncSession, viewers: dict, crisis_id, now) -> None:
    service_module = _module("accord.assistance.service")
    offers = _module("accord.assistance.offers")
    register = _module("accord.assistance.register")
    schemas = _module("accord.assistance.schemas")
    if not (service_module and offers and register and schemas):
        return
    for name, capability, base, position in (
        ("kaz.duty", "usar_medium", "Almaty", (76.9286, 43.2567)),
        ("rus.duty", "field_hospital", "Ramenskoye", (38.2300, 55.5700)),
    ):
        holding = schemas.HoldingCreate(
            capability=capability,
            quantity=1 if capability == "field_hospital" else 2,
            readiness_hours=12,
            home_base=base,
            longitude=position[0],
            latitude=position[1],
            releasable_to=["ALL"],
        )
        await register.add_holding(session, viewers[name], holding)
    _request, lines = await service_module.post_request(
        session,
        viewers["tjk.duty"],
        schemas.RequestCreate(
            crisis_id=crisis_id,
            title="Search and rescue and medical care for Dushanbe",
            contact="Situation centre of Tajikistan, +992 37 000 00 00",
            classification="RESTRICTED",
            releasable_to=["ALL"],
            need_lines=[
                {
                    "capability": "usar_medium",
                    "quantity": 2,
                    "place": "Dushanbe, southern districts",
                    "longitude": DUSHANBE[0],
                    "latitude": DUSHANBE[1],
                    "needed_by": now + timedelta(hours=24),
                },
                {
                    "capability": "field_hospital",
                    "quantity": 1,
                    "place": "Dushanbe, central stadium",
                    "longitude": DUSHANBE[0] + 0.01,
                    "latitude": DUSHANBE[1] + 0.01,
                    "needed_by": now + timedelta(hours=48),
                },
            ],
        ),
    )
    rescue, hospital = lines
    made = []
    for name, line, hours in (("kaz.duty", rescue, 10), ("rus.duty", hospital, 20)):
        offer = await offers.make_offer(
            session,
            viewers[name],
            schemas.OfferCreate(
                need_line_id=line.id,
                quantity=1,
                arrival_at=now + timedelta(hours=hours),
                releasable_to=["ALL"],
            ),
        )
        made.append(offer)
    for offer in made:
        await offers.respond_to_offer(
            session,
            viewers["tjk.duty"],
            offer.id,
            schemas.OfferResponse(response="accepted", note="Accepted with thanks."),
        )


async def _deployments_en_route(session: AsyncSession, viewers: dict, crisis_id) -> None:
    service_module = _module("accord.assistance.service")
    deployments = _module("accord.assistance.deployments")
    schemas = _module("accord.assistance.schemas")
    if not (service_module and deployments and schemas):
        return
    # On the way: somewhere between the home base and Dushanbe.
    positions = {"KAZ": (73.5, 41.0), "RUS": (62.0, 45.0)}
    for name in ("kaz.duty", "rus.duty"):
        viewer = viewers[name]
        panel = await service_module.crisis_assistance(session, viewer, crisis_id)
        for view in panel.deployments:
            if view.owner != viewer.state:
                continue
            deployment = await deployments.get_deployment(session, viewer, view.id)
            longitude, latitude = positions[viewer.state]
            await deployments.change_deployment(
                session,
                viewer,
                deployment.id,
                schemas.DeploymentChange(
                    version=deployment.version,
                    status="en_route",
                    position={"longitude": longitude, "latitude": latitude},
                ),
            )


async def _sitrep(session: AsyncSession, analyst: Viewer, crisis_id) -> None:
    sitreps = _module("accord.crises.sitreps")
    schemas = _module("accord.crises.sitrep_schemas")
    if not (sitreps and schemas):
        return
    draft = await sitreps.draft_sitrep(
        session, analyst, schemas.SitrepCreate(crisis_id=crisis_id, language="en")
    )
    await sitreps.issue_sitrep(session, analyst, draft.id, draft.version)
