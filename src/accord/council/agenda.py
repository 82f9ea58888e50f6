"""Editing and reordering a session's agenda.

The agenda is part of its session: every change here is a change of the session, so it carries
the session's ``version`` and a stale one is refused (409) like any other edit of the session.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from accord.access import Viewer
from accord.council import repository
from accord.council.schemas import AgendaItemChange, AgendaOrder
from accord.council.sessions import _require_owner, get_council_session
from accord.errors import Conflict, InvalidInput, NotFound
from accord.events.service import markings_of, record_event
from accord.i18n import _
from accord.models.council_agenda_item import CouncilAgendaItem
from accord.models.council_session import CouncilSession


async def _editable(
    session: AsyncSession, viewer: Viewer, session_id: uuid.UUID, version: int
) -> tuple[CouncilSession, list[CouncilAgendaItem]]:
    record = await get_council_session(session, viewer, session_id)
    _require_owner(viewer, record)
    if record.version != version:
        raise Conflict(
            _("someone changed this session meanwhile (version {current}): reload it").format(
                current=record.version
            ),
            field="version",
        )
    return record, await repository.agenda(session, record.id)


def _item(items: list[CouncilAgendaItem], item_id: uuid.UUID) -> CouncilAgendaItem:
    found = next((item for item in items if item.id == item_id), None)
    if found is None:
        raise NotFound(_("no agenda item {id} on this session").format(id=item_id))
    return found


async def _touch(session: AsyncSession, record: CouncilSession) -> None:
    # The session's version moves with its agenda, so that a stale agenda edit is refused.
    flag_modified(record, "title")
    await session.flush()


async def change_agenda_item(
    session: AsyncSession,
    viewer: Viewer,
    session_id: uuid.UUID,
    item_id: uuid.UUID,
    change: AgendaItemChange,
) -> CouncilAgendaItem:
    """Change an item's title, description or procedural marking (the secretariat)."""
    record, items = await _editable(session, viewer, session_id, change.version)
    item = _item(items, item_id)
    changes: dict[str, list[Any]] = {}
    for name in ("title", "description", "procedural"):
        value = getattr(change, name)
        if value is not None and value != getattr(item, name):
            changes[name] = [getattr(item, name), value]
    if "procedural" in changes:
        decided = [
            decision
            for decision in await repository.item_decisions(session, item.id)
            if decision.status != "draft"
        ]
        if decided:
            raise Conflict(
                _(
                    "procedural: a decision on this item is {status} already; its rule no "
                    "longer changes"
                ).format(status=decided[0].status),
                field="procedural",
            )
    if not changes:
        return item
    for name, (_old, new) in changes.items():
        setattr(item, name, new)
    await _touch(session, record)
    record_event(
        session,
        actor=viewer.username,
        kind="council.agenda_item_changed",
        subject=record.id,
        payload={"item": str(item.id), "changes": changes, "version": record.version},
        **markings_of(record),
    )
    return item


async def reorder_agenda(
    session: AsyncSession, viewer: Viewer, session_id: uuid.UUID, order: AgendaOrder
) -> list[CouncilAgendaItem]:
    """Put the agenda in the given order; every item of the session named exactly once."""
    record, items = await _editable(session, viewer, session_id, order.version)
    known = {item.id: item for item in items}
    for index, item_id in enumerate(order.items):
        if item_id not in known:
            raise InvalidInput(
                _("items.{index}: no agenda item {id} on this session").format(
                    index=index, id=item_id
                ),
                field=f"items.{index}",
            )
    if len(set(order.items)) != len(order.items) or len(order.items) != len(items):
        raise InvalidInput(
            _("items: name every item of the agenda exactly once ({count} items)").format(
                count=len(items)
            ),
            field="items",
        )
    if [item.id for item in items] == order.items:
        return items
    for position, item_id in enumerate(order.items, start=1):
        known[item_id].position = position
    await _touch(session, record)
    record_event(
        session,
        actor=viewer.username,
        kind="council.agenda_reordered",
        subject=record.id,
        payload={"items": [str(item_id) for item_id in order.items], "version": record.version},
        **markings_of(record),
    )
    return [known[item_id] for item_id in order.items]


async def move_agenda_item(
    session: AsyncSession,
    viewer: Viewer,
    session_id: uuid.UUID,
    item_id: uuid.UUID,
    step: int,
    version: int,
) -> list[CouncilAgendaItem]:
    """Move one item up (``step`` -1) or down (+1) the agenda; at either end nothing moves."""
    record = await get_council_session(session, viewer, session_id)
    items = await repository.agenda(session, record.id)
    ids = [item.id for item in items]
    index = ids.index(_item(items, item_id).id)
    target = index + step
    if 0 <= target < len(ids):
        ids[index], ids[target] = ids[target], ids[index]
    order = AgendaOrder(version=version, items=ids)
    return await reorder_agenda(session, viewer, session_id, order)
