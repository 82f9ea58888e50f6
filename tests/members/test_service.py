from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, update

from accord import clock, i18n
from accord.config import DEFAULT_ORGANISATION
from accord.members import service
from accord.members.organisation import load_organisation
from accord.models import Body, ChairTerm, MemberState, Organisation

ENGLISH = ["Armenia", "Belarus", "Kazakhstan", "Kyrgyzstan", "Russia", "Tajikistan"]
RUSSIAN = ["Армения", "Беларусь", "Казахстан", "Киргизия", "Россия", "Таджикистан"]


@pytest.fixture
def in_2025() -> Iterator[None]:
    clock.freeze(datetime(2025, 3, 1, 12, 0, tzinfo=UTC))
    yield
    clock.freeze(None)


@pytest.fixture
def russian() -> Iterator[None]:
    i18n.set_language("ru")
    yield
    i18n.set_language("en")


async def chairs_by_year(db, years_ahead: int = 6) -> dict[int, tuple[str | None, str]]:
    async with db.transaction() as session:
        chairs = await service.chairmanship(session, years_ahead)
    return {chair.year: (chair.state, chair.status) for chair in chairs}


async def test_states_are_listed_with_english_names_in_alphabetical_order(db):
    async with db.transaction() as session:
        states = await service.list_states(session)
    assert [state.name for state in states] == ENGLISH
    assert [state.code for state in states] == ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"]
    assert {state.status for state in states} == {"member"}
    assert states[2].capital == "Astana"


async def test_states_are_listed_with_russian_names_from_the_locale_data(db, russian):
    async with db.transaction() as session:
        states = await service.list_states(session)
    assert [state.name for state in states] == RUSSIAN


def test_a_state_name_can_be_asked_for_in_either_working_language():
    assert service.state_name("AM", "en") == "Armenia"
    assert service.state_name("AM", "ru") == "Армения"
    assert service.state_name("KZ", "ru") == "Казахстан"


async def test_state_names_include_the_secretariat(db, russian):
    async with db.transaction() as session:
        names = await service.state_names(session)
    assert names["KAZ"] == "Казахстан"
    assert set(names) == {"ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK", "ORG"}


async def test_only_states_of_the_organisation_exist(db):
    async with db.transaction() as session:
        assert await service.state_exists(session, "KAZ")
        assert not await service.state_exists(session, "UZB")
        assert not await service.state_exists(session, "ORG")


async def test_the_recorded_chairs_are_listed_as_held(db, in_2025):
    chairs = await chairs_by_year(db)
    assert chairs[2022] == ("ARM", "held")
    assert chairs[2023] == ("BLR", "held")
    assert chairs[2024] == ("KAZ", "held")


async def test_the_rotation_continues_to_this_year_and_plans_ahead(db, in_2025):
    chairs = await chairs_by_year(db, years_ahead=3)
    assert chairs[2025] == ("KGZ", "current")
    assert chairs[2026] == ("RUS", "planned")
    assert chairs[2027] == ("TJK", "planned")
    assert chairs[2028] == ("ARM", "planned")
    assert max(chairs) == 2028


async def test_a_suspended_state_loses_its_turn_while_suspended(db, in_2025):
    async with db.transaction() as session:
        await session.execute(
            update(MemberState).where(MemberState.code == "KGZ").values(status="suspended")
        )
    chairs = await chairs_by_year(db, years_ahead=5)
    assert chairs[2025] == ("RUS", "current")
    assert "KGZ" not in {state for state, _status in chairs.values()}


async def test_a_recorded_declined_turn_passes_that_year_to_the_next_state(db, in_2025):
    async with db.transaction() as session:
        session.add(ChairTerm(year=2025, state_code="KGZ", status="declined"))
    chairs = await chairs_by_year(db, years_ahead=5)
    assert chairs[2025] == ("RUS", "current")
    assert chairs[2026] == ("TJK", "planned")
    assert ("KGZ", "planned") in chairs.values()


async def test_the_organisation_is_named_in_the_current_language(db, russian):
    async with db.transaction() as session:
        assert await service.organisation_name(session) == "Организация коллективной безопасности"
    i18n.set_language("en")
    async with db.transaction() as session:
        assert await service.organisation_name(session) == "Collective Security Organisation"


async def test_bodies_keep_the_order_of_the_file_and_have_names_in_both_languages(db, russian):
    async with db.transaction() as session:
        bodies = await service.list_bodies(session)
    assert bodies[0].code == "csc"
    assert service.body_name(bodies[0]) == "Совет коллективной безопасности"
    assert len(bodies) == 7
    assert {body.decision_rule for body in bodies} == {"consensus"}


async def test_loading_the_organisation_again_adds_nothing(db):
    organisation = load_organisation(DEFAULT_ORGANISATION)
    async with db.transaction() as session:
        assert await service.is_loaded(session)
        assert await service.load_reference_data(session, organisation) is False
    async with db.transaction() as session:
        for model, expected in ((Organisation, 1), (MemberState, 6), (Body, 7), (ChairTerm, 3)):
            count = await session.scalar(select(func.count()).select_from(model))
            assert count == expected, model.__name__
