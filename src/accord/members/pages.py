"""HTML routes of the members domain: the organisation's home page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord.auth.dependencies import Principal, get_session, resolve_principal
from accord.i18n import _
from accord.members import service
from accord.press.public import public_home
from accord.web.rendering import render

router = APIRouter(include_in_schema=False)


def status_names() -> dict[str, str]:
    return {
        "member": _("member"),
        "suspended": _("participation suspended"),
        "observer": _("observer"),
        "partner": _("partner"),
    }


def chair_status_names() -> dict[str, str]:
    return {
        "held": _("held"),
        "current": _("current chair"),
        "planned": _("next in rotation"),
        "vacant": _("no state eligible"),
    }


def rule_names() -> dict[str, str]:
    return {
        "consensus": _("consensus"),
        "consensus_minus_concerned": _("consensus minus the state concerned"),
        "unanimity_constructive_abstention": _("unanimity with constructive abstention"),
        "simple_majority": _("simple majority"),
        "qualified_majority": _("qualified majority"),
    }


async def organisation_context(session: AsyncSession) -> dict:
    """What the home pages show of the organisation: states, chairs and bodies."""
    bodies = [
        {"name": service.body_name(body), "decision_rule": body.decision_rule}
        for body in await service.list_bodies(session)
    ]
    return {
        "organisation_name": await service.organisation_name(session),
        "states": await service.list_states(session),
        "state_names": await service.state_names(session),
        "chairs": await service.chairmanship(session),
        "bodies": bodies,
        "status_names": status_names(),
        "chair_status_names": chair_status_names(),
        "rule_names": rule_names(),
    }


@router.get("/", response_class=HTMLResponse)
async def home(
    request: Request,
    session: AsyncSession = get_session,
    _principal: Principal | None = Depends(resolve_principal),
) -> Response:
    context = await organisation_context(session)
    if _principal is None:
        # Visitors who are not logged in get the public site's home page.
        return await public_home(request, session, context)
    return render(request, "home.html", context)
