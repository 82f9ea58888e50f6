"""The organisation's reference data: member states, bodies and the chairmanship."""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import SECRETARIAT
from accord.assistance.catalogue import add_capability_types
from accord.clock import utcnow
from accord.events.service import for_everyone, record_event
from accord.i18n import _, current_language
from accord.members import repository
from accord.members.organisation import OrganisationFile
from accord.members.rotation import ChairYear, chair_years
from accord.models import Body, ChairTerm, MemberState, Organisation


@dataclass(frozen=True)
class StateView:
    code: str
    name: str
    status: str
    capital: str


def state_name(alpha2: str, language: str | None = None) -> str:
    """A state's name in ``language`` (default: the current one), from Babel's locale data."""
    return Locale.parse(language or current_language()).territories.get(alpha2, alpha2)


async def state_exists(session: AsyncSession, code: str) -> bool:
    return await repository.get_state(session, code) is not None


async def is_loaded(session: AsyncSession) -> bool:
    return await repository.get_organisation(session) is not None


async def load_reference_data(session: AsyncSession, data: OrganisationFile) -> bool:
    """Load the organisation file into an empty database; False when data is there already."""
    if await is_loaded(session):
        return False
    info = data.organisation
    session.add(
        Organisation(
            names=info.names,
            abbreviations=info.abbreviations,
            seat=info.seat,
            timezone=info.timezone,
            working_languages=list(info.working_languages),
        )
    )
    order = {code: index for index, code in enumerate(data.chair.rotation)}
    for state in data.states:
        session.add(
            MemberState(
                code=state.code,
                alpha2=state.alpha2,
                status=state.status,
                rotation_position=order.get(state.code),
                capital=state.capital,
                timezone=state.timezone,
                population=state.population,
                default_classification=state.default_classification,
                default_releasable_to=state.default_releasable_to,
            )
        )
    for position, body in enumerate(data.bodies):
        session.add(
            Body(
                code=body.code,
                names=body.names,
                kind=body.kind,
                decision_rule=body.decision_rule,
                position=position,
            )
        )
    add_capability_types(session, data.capabilities)
    for entry in data.chair.held:
        session.add(ChairTerm(year=entry.year, state_code=entry.state, status="held"))
    for entry in data.chair.declined:
        session.add(ChairTerm(year=entry.year, state_code=entry.state, status="declined"))
    record_event(
        session,
        actor="system",
        kind="organisation.loaded",
        subject=SECRETARIAT,
        payload={"states": [s.code for s in data.states], "bodies": [b.code for b in data.bodies]},
        **for_everyone(SECRETARIAT),
    )
    return True


async def organisation_name(session: AsyncSession) -> str:
    organisation = await repository.get_organisation(session)
    if organisation is None:
        return _("Accord")
    return organisation.names.get(current_language()) or next(iter(organisation.names.values()))


async def list_states(session: AsyncSession) -> list[StateView]:
    """Member states with names in the current language, in that language's alphabetical order."""
    states = [
        StateView(state.code, state_name(state.alpha2), state.status, state.capital)
        for state in await repository.list_states(session)
    ]
    return sorted(states, key=lambda state: state.name)


async def state_names(session: AsyncSession) -> dict[str, str]:
    names = {
        state.code: state_name(state.alpha2) for state in await repository.list_states(session)
    }
    names[SECRETARIAT] = _("Secretariat")
    return names


async def list_bodies(session: AsyncSession) -> list[Body]:
    return await repository.list_bodies(session)


def body_name(body: Body) -> str:
    return body.names.get(current_language()) or next(iter(body.names.values()))


async def chairmanship(session: AsyncSession, years_ahead: int = 6) -> list[ChairYear]:
    """Chairs from the first recorded year to ``years_ahead`` after this one."""
    states = await repository.list_states(session)
    terms = await repository.list_chair_terms(session)
    order = [
        s.code
        for s in sorted(states, key=lambda s: s.rotation_position or 0)
        if s.rotation_position is not None
    ]
    if not order:
        return []
    held = {term.year: term.state_code for term in terms if term.status == "held"}
    declined = {(term.year, term.state_code) for term in terms if term.status == "declined"}
    this_year = utcnow().year
    first = min([*held, this_year])
    return chair_years(
        order,
        held,
        declined,
        {s.code for s in states if s.status == "member"},
        first_year=first,
        last_year=this_year + years_ahead,
        this_year=this_year,
    )
