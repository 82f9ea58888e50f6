"""The outgoing chair's report as a PDF (fpdf2).

Kept apart from the report's data so that fpdf2 and matplotlib load only when a PDF is made.
"""

from __future__ import annotations

from fpdf import FPDF
from sqlalchemy.ext.asyncio import AsyncSession

from accord.i18n import _
from accord.members import service as members
from accord.pdf_fonts import add_fonts
from accord.programme.report import HandoverReport, ReportItem, in_language, section_titles


class _ReportPdf(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text
        add_fonts(self)
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
