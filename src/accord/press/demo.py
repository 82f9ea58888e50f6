"""This domain's part of the demo scenario, loaded idempotently by `accord demo`.

Two releases published in English and Russian (the Minsk session, the 2024 chairmanship) and
one draft. ``org.press`` writes them; the approval is recorded as by a second press officer,
``org.editor``, since an author may not approve their own text.
"""

from __future__ import annotations

import importlib
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import SECRETARIAT, Classification, Viewer
from accord.press import repository, service
from accord.press.schemas import LinkRef, ReleaseCreate, ReleaseMove, TextIn
from accord.programme import links as linked
from accord.programme import repository as programmes

AUTHOR = Viewer(SECRETARIAT, Classification.RESTRICTED, frozenset({"press"}), username="org.press")
EDITOR = Viewer(SECRETARIAT, Classification.RESTRICTED, frozenset({"press"}), username="org.editor")

MINSK = {
    "en": TextIn(
        title="Collective Security Council met in Minsk",
        body=(
            "The heads of state met in Minsk on 23 November 2023 under the chairmanship of "
            "Belarus and signed a package of documents, among them a declaration and a "
            "decision to develop the crisis response system.\n\nThe next regular session will "
            "be held in the fourth quarter of 2024 in Astana."
        ),
    ),
    "ru": TextIn(
        title="В Минске прошла сессия Совета коллективной безопасности",
        body=(
            "Главы государств собрались в Минске 23 ноября 2023 года под председательством "
            "Беларуси и подписали пакет документов, в том числе декларацию и решение о "
            "развитии системы кризисного реагирования.\n\nОчередная сессия пройдёт в "
            "четвёртом квартале 2024 года в Астане."
        ),
    ),
}
CHAIRMANSHIP = {
    "en": TextIn(
        title="Kazakhstan takes over the chairmanship for 2024",
        body=(
            "Kazakhstan chairs the organisation in 2024 with seven priorities, from "
            "co-operation with the UN, CIS and SCO to countering information-technology crime."
        ),
    ),
    "ru": TextIn(
        title="Казахстан принял председательство на 2024 год",
        body=(
            "Казахстан председательствует в организации в 2024 году с семью приоритетами — от "
            "сотрудничества с ООН, СНГ и ШОС до противодействия преступлениям в сфере "
            "информационных технологий."
        ),
    ),
}
DRAFT = {
    "en": TextIn(
        title="Exercise of the rapid reaction forces",
        body="The collective rapid reaction forces held an exercise. Draft: details to follow.",
    )
}


async def _minsk_session_link(session: AsyncSession) -> list[LinkRef]:
    try:
        council_demo = importlib.import_module("accord.council.demo")
        ident = await council_demo.minsk_session_id(session)
    except (ImportError, AttributeError):
        return []
    if ident is None or await linked.resolve_public(session, "session", ident) is None:
        return []
    return [LinkRef(kind="session", id=ident)]


async def _programme_link(session: AsyncSession) -> list[LinkRef]:
    found = await programmes.get_by_year(session, linked.PUBLIC_VIEWER, 2024)
    return [LinkRef(kind="programme", id=found.id)] if found else []


async def _publish(session: AsyncSession, release_id: uuid.UUID) -> None:
    for viewer, action in ((AUTHOR, "submit"), (EDITOR, "approve"), (EDITOR, "publish")):
        release = await service.get_release(session, viewer, release_id)
        await service.move_release(
            session, viewer, release_id, action, ReleaseMove(version=release.version)
        )


async def load(session: AsyncSession) -> None:
    """Add this domain's demo records unless they are there already."""
    existing, _cursor = await repository.list_releases(session, AUTHOR, published_only=False)
    if existing:
        return
    for texts, links in (
        (MINSK, await _minsk_session_link(session)),
        (CHAIRMANSHIP, await _programme_link(session)),
    ):
        release = await service.draft_release(
            session, AUTHOR, ReleaseCreate(texts=texts, links=links)
        )
        await _publish(session, release.id)
    await service.draft_release(session, AUTHOR, ReleaseCreate(texts=DRAFT))
