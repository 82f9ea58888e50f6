"""The demo's programmes and releases: loaded once, however often the demo runs."""

from __future__ import annotations

from accord.demo import load_demo
from accord.press import demo as press_demo
from accord.press import repository as releases
from accord.programme import demo as programme_demo
from accord.programme import repository as programmes
from accord.programme.links import PUBLIC_VIEWER


async def _load(db) -> None:
    async with db.transaction() as session:
        await load_demo(session)
    for part in ("programme", "council", "press"):
        module = {"programme": programme_demo, "press": press_demo}.get(part)
        if module is None:
            import importlib

            module = importlib.import_module(f"accord.{part}.demo")
        async with db.transaction() as session:
            await module.load(session)


async def test_the_demo_holds_two_programmes_and_three_releases_after_two_runs(db):
    await _load(db)
    await _load(db)
    async with db.transaction() as session:
        kazakhstan = await programmes.get_by_year(session, PUBLIC_VIEWER, 2024)
        belarus = await programmes.get_by_year(session, PUBLIC_VIEWER, 2023)
        assert kazakhstan.state_code == "KAZ" and belarus.state_code == "BLR"
        assert len(await programmes.priorities(session, kazakhstan.id)) == 7
        statuses = {a.status for a in await programmes.activities(session, kazakhstan.id)}
        assert statuses == {"planned", "in_progress", "done", "long_term"}
        assert belarus.motto["en"].startswith("Through solidarity")
        assert await programmes.carried_sources(session, kazakhstan.id)
        english = await releases.published_in(session, PUBLIC_VIEWER, "en")
        russian = await releases.published_in(session, PUBLIC_VIEWER, "ru")
        assert len(english) == 2 and len(russian) == 2
        every, _cursor = await releases.list_releases(session, PUBLIC_VIEWER, published_only=False)
        assert len(every) == 3
