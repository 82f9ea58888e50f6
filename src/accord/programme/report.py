"""The outgoing chair's report at handover: what was completed, what goes on, what carries over."""

from __future__ import annotations

import uuid

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer
from accord.i18n import _
from accord.models.programme_programme import Programme
from accord.programme import repository, service
from accord.programme.schemas import LinkRead, Progress

SECTIONS = ("completed", "in_progress", "long_term", "not_started", "carried_over")


class ReportItem(BaseModel):
    id: uuid.UUID
    titles: dict[str, str]
    priority: dict[str, str]
    owner_body: str
    status: str
    links: list[LinkRead]


class HandoverReport(BaseModel):
    programme_id: uuid.UUID
    year: int
    state: str
    motto: dict[str, str]
    progress: Progress
    next_year: int
    completed: list[ReportItem]
    in_progress: list[ReportItem]
    long_term: list[ReportItem]
    not_started: list[ReportItem]
    carried_over: list[ReportItem]


def section_titles() -> dict[str, str]:
    return {
        "completed": _("Completed"),
        "in_progress": _("In progress"),
        "long_term": _("Long-term"),
        "not_started": _("Not started"),
        "carried_over": _("Carried over to the next chairmanship"),
    }


async def handover_report(
    session: AsyncSession, viewer: Viewer | None, programme: Programme
) -> HandoverReport:
    """The report of ``programme`` as ``viewer`` (the public when None) may see it."""
    read = await service.programme_read(session, viewer, programme)
    following = await repository.get_by_year(
        session, viewer or service.PUBLIC_VIEWER, programme.year + 1
    )
    carried = await repository.carried_sources(session, following.id) if following else set()
    sections: dict[str, list[ReportItem]] = {name: [] for name in SECTIONS}
    by_status = {
        "done": "completed",
        "in_progress": "in_progress",
        "long_term": "long_term",
        "planned": "not_started",
    }
    for priority in read.priorities:
        for activity in priority.activities:
            item = ReportItem(
                id=activity.id,
                titles=activity.titles,
                priority=priority.titles,
                owner_body=activity.owner_body,
                status=activity.status,
                links=activity.links,
            )
            sections[by_status[activity.status]].append(item)
            if activity.id in carried:
                sections["carried_over"].append(item)
    return HandoverReport(
        programme_id=read.id,
        year=read.year,
        state=read.state,
        motto=read.motto,
        progress=read.progress,
        next_year=read.year + 1,
        **sections,
    )


def in_language(texts: dict[str, str], language: str) -> str:
    """The text in ``language``, or in another language when that one is missing."""
    return texts.get(language) or next(iter(texts.values()), "")
