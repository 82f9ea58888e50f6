"""The demo's quota posts and budget: loaded twice, stored once, on both backends."""

from __future__ import annotations

from accord.access import Classification, Viewer
from accord.budget import demo as budget_demo
from accord.budget import service as budget
from accord.models.budget_payment import BudgetPayment
from accord.models.staffing_post import StaffingPost
from accord.staffing import demo as staffing_demo
from accord.staffing import repository
from tests.contract import count_rows

READER = Viewer(state="ORG", clearance=Classification.SECRET, roles=frozenset({"analyst"}))


async def test_the_demo_loads_once_with_a_computed_distribution_and_arrears(db):
    for _round in range(2):
        async with db.transaction() as session:
            await staffing_demo.load(session)
        async with db.transaction() as session:
            await budget_demo.load(session)
    assert await count_rows(db, StaffingPost) == 34
    assert await count_rows(db, BudgetPayment) == len(budget_demo.PAYMENTS)
    async with db.transaction() as session:
        term = await repository.term_of_year(session, 2024)
        distribution = await repository.latest_distribution(session, term.id)
        seats = {row["state"]: row["posts"] for row in distribution.result}
        assert sum(seats.values()) == 30 and min(seats.values()) >= 1
        assert seats["RUS"] == 15
        rows = {row.state: row for row in await budget.summary(session, READER, year=2024)}
        assert rows["TJK"].arrears == "8400000.00"
        assert rows["RUS"].arrears == "0.00"


async def test_with_the_council_demo_the_decisions_give_the_states_bound(db):
    from accord.council import demo as council_demo

    async with db.transaction() as session:
        await council_demo.load(session)
    async with db.transaction() as session:
        await staffing_demo.load(session)
    async with db.transaction() as session:
        await budget_demo.load(session)
    async with db.transaction() as session:
        posts_decision = await council_demo.decision_by_title(session, council_demo.QUOTA_POSTS)
        budget_decision = await council_demo.decision_by_title(session, council_demo.BUDGET_2024)
        term = await repository.term_of_year(session, 2024)
        distribution = await repository.latest_distribution(session, term.id)
        assert distribution.decision_id == posts_decision.id
        assert distribution.states_bound == sorted(posts_decision.states_bound)
        adopted = await budget.get_budget(session, READER, 2024)
        assert adopted.decision_id == budget_decision.id
        assert adopted.states_bound == sorted(budget_decision.states_bound)
