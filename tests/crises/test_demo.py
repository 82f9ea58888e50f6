"""The exercise of the demo: loaded through the services, once, however often it runs."""

from __future__ import annotations

import importlib

from sqlalchemy import func, select

from accord.auth import repository as users
from accord.auth.service import viewer_of
from accord.crises import demo
from accord.demo import load_demo
from accord.models.crisis import Crisis


async def test_the_earthquake_exercise_is_loaded_once(db):
    for _ in range(2):
        async with db.transaction() as session:
            await load_demo(session)
        async with db.transaction() as session:
            await demo.load(session)
    async with db.transaction() as session:
        crises = list((await session.execute(select(Crisis))).scalars())
        assert [(c.title, c.mode, c.level) for c in crises] == [
            (demo.TITLE, "exercise", "declared")
        ]
        assistance = importlib.import_module("accord.assistance.service")
        tjk = viewer_of(await users.get_user_by_name(session, "tjk.duty"))
        panel = await assistance.crisis_assistance(session, tjk, crises[0].id)
        assert sorted(d.status for d in panel.deployments) == ["en_route", "en_route"]
        assert all(d.longitude is not None for d in panel.deployments)
        sitreps = importlib.import_module("accord.models.sitrep")
        issued = await session.scalar(
            select(func.count())
            .select_from(sitreps.Sitrep)
            .where(sitreps.Sitrep.status == "issued")
        )
        assert issued == 1
