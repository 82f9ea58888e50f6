from accord.council import demo, service


async def test_the_demo_holds_the_minsk_session_adopted_by_consensus_and_loads_once(db):
    async with db.transaction() as session:
        await demo.load(session)
    async with db.transaction() as session:
        await demo.load(session)
    async with db.transaction() as session:
        minsk = await demo.minsk_session_id(session)
        assert minsk is not None
        budget = await demo.decision_by_title(session, demo.BUDGET_2024)
        assert budget.adopted and budget.number == "CSC 2023/7"
        assert await service.states_bound(session, budget.id) == [
            "ARM",
            "BLR",
            "KAZ",
            "KGZ",
            "RUS",
            "TJK",
        ]
        assert budget.reason["written"] == ["ARM"]
        numbers = set()
        for title in demo.DEMO_DECISIONS:
            decision = await demo.decision_by_title(session, title)
            numbers.add(decision.number)
        assert len(numbers) == 15
