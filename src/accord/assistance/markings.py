"""Markings of assistance records: the defaults of a state, checked lists, inherited markings."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import EVERYONE, SECRETARIAT, Classification, Viewer, highest
from accord.errors import InvalidInput
from accord.i18n import _
from accord.members import repository as members


async def state_codes(session: AsyncSession) -> set[str]:
    return {state.code for state in await members.list_states(session)}


async def checked_releasability(session: AsyncSession, codes: list[str]) -> list[str]:
    """The list sorted and deduplicated, or InvalidInput naming the first unknown code."""
    known = await state_codes(session) | {EVERYONE, SECRETARIAT}
    for index, code in enumerate(codes):
        if code not in known:
            raise InvalidInput(
                _("releasable_to: {code} is not a member state, ORG or ALL").format(code=code),
                field=f"releasable_to.{index}",
            )
    return sorted(set(codes))


def checked_level(viewer: Viewer, level: Classification) -> Classification:
    if level > viewer.clearance:
        raise InvalidInput(_("classification: above your own clearance"), field="classification")
    return level


async def default_markings(
    session: AsyncSession,
    viewer: Viewer,
    classification: Classification | None,
    releasable: list[str] | None,
) -> tuple[Classification, list[str]]:
    """The given markings, checked, or the defaults of the viewer's state."""
    member = await members.get_state(session, viewer.state)
    level = Classification.RESTRICTED
    codes = [EVERYONE]
    if member is not None:
        level = Classification.parse(member.default_classification)
        codes = list(member.default_releasable_to)
    if classification is not None:
        level = classification
    if releasable is not None:
        codes = await checked_releasability(session, releasable)
    return checked_level(viewer, level), codes


def reaches_secretariat(releasable_to: list[str]) -> bool:
    return EVERYONE in releasable_to or SECRETARIAT in releasable_to


def offer_audience(request: Any) -> list[str]:
    """An offer goes to the requester, and to the secretariat where the request does."""
    audience = [request.owner]
    if reaches_secretariat(request.releasable_to) and request.owner != SECRETARIAT:
        audience.append(SECRETARIAT)
    return sorted(set(audience))


def deployment_audience(request: Any, offer: Any) -> tuple[Classification, list[str]]:
    """A deployment is the visible response: whoever may see the request sees who came."""
    level = highest([request.classification, offer.classification])
    return level, sorted({*request.releasable_to, request.owner})
