"""The outgoing chair's report at handover: what was completed, what goes on, what carries over."""

from __future__ import annotations

import uuid
from pathlib import Path

import matplotlib
from fpdf import FPDF
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Viewer
from accord.i18n import _
from accord.members import service as members
from accord.models.programme_programme import Programme
from accord.programme import repository, service
from accord.programme.schemas import LinkRead, Progress

FONT = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
FONT_BOLD = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans-Bold.ttf"
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


class _ReportPdf(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.add_font("DejaVu", "", str(FONT))
        self.add_font("DejaVu", "B", str(FONT_BOLD) if FONT_BOLD.exists() else str(FONT))
        self.set_auto_page_break(auto=True, margin=18)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("DejaVu", "", 8)
        self.cell(0, 6, f"{self.footer_text} · {self.page_no()}", align="C")


def _line(pdf: FPDF, height: float, text: str) -> None:
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")


async def report_pdf(session: AsyncSession, report: HandoverReport, language: str) -> bytes:
    """The report as a PDF in ``language`` (the interface strings follow the current language)."""
    names = await members.state_names(session)
    heading = _("Report of the outgoing chair: {state}, {year}").format(
        state=names.get(report.state, report.state), year=report.year
    )
    pdf = _ReportPdf(_("Chairmanship programme {year}").format(year=report.year))
    pdf.set_title(heading)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 15)
    _line(pdf, 8, heading)
    motto = in_language(report.motto, language)
    if motto:
        pdf.set_font("DejaVu", "", 11)
        _line(pdf, 6, f"«{motto}»" if language == "ru" else f"“{motto}”")
    pdf.ln(2)
    pdf.set_font("DejaVu", "", 10)
    _line(
        pdf,
        6,
        _("{done} of {total} activities completed, {in_progress} in progress.").format(
            done=report.progress.done,
            total=report.progress.total,
            in_progress=report.progress.in_progress,
        )
        + f" {report.progress.percent} %",
    )
    for name, title in section_titles().items():
        items: list[ReportItem] = getattr(report, name)
        pdf.ln(3)
        pdf.set_font("DejaVu", "B", 12)
        _line(pdf, 7, f"{title} ({len(items)})")
        pdf.set_font("DejaVu", "", 10)
        if not items:
            _line(pdf, 6, _("None."))
        for item in items:
            line = (
                f"• {in_language(item.titles, language)} — {in_language(item.priority, language)}"
            )
            _line(pdf, 6, line)
    return bytes(pdf.output())
