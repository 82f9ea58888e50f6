"""A situation report as PDF, made in process with fpdf2 and the DejaVu fonts matplotlib ships.

Every page carries the classification banner at its top and its bottom (the page header and
footer), so a printed page taken out of the report still says how it is marked.
"""

from __future__ import annotations

import asyncio
import io
from typing import Any

from fpdf import FPDF
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import EVERYONE, SECRETARIAT, Classification
from accord.crises import sitrep_charts, sitrep_text
from accord.i18n import _
from accord.members import repository as members
from accord.models.sitrep import Sitrep
from accord.pdf_fonts import add_fonts

BANNER_COLOURS = {
    Classification.PUBLIC: (47, 133, 90),
    Classification.RESTRICTED: (30, 100, 200),
    Classification.CONFIDENTIAL: (200, 30, 30),
    Classification.SECRET: (200, 30, 30),
}


def banner_text(sitrep: Sitrep) -> str:
    level = Classification.parse(sitrep.classification)
    released = sitrep.releasable_to
    if level == Classification.PUBLIC or EVERYONE in released:
        return level.name
    return f"{level.name} // REL TO {', '.join([sitrep.owner, *released])}"


class ReportPDF(FPDF):
    """A page with the classification banner at its top and bottom."""

    def __init__(self, banner: str, level: Classification, page_label: str) -> None:
        super().__init__(format="A4")
        self.banner = banner
        self.banner_colour = BANNER_COLOURS[level]
        self.page_label = page_label
        add_fonts(self)
        self.set_auto_page_break(True, margin=22)
        self.set_margins(18, 20, 18)

    def _banner(self) -> None:
        self.set_font("DejaVu", "B", 10)
        self.set_fill_color(*self.banner_colour)
        self.set_text_color(255, 255, 255)
        self.cell(0, 6, self.banner, align="C", fill=True, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    def header(self) -> None:
        self.set_y(8)
        self._banner()
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-17)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(
            0,
            4,
            self.page_label.format(page=self.page_no(), pages="{nb}"),
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        self._banner()


def pdf_filename(sitrep: Sitrep, lang: str | None) -> str:
    return f"sitrep-{sitrep.number}-{str(sitrep.crisis_id)[:8]}-{lang or sitrep.language}.pdf"


def _heading(pdf: ReportPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)


def _facts(pdf: ReportPDF, rows: list[tuple[str, str]]) -> None:
    for label, value in rows:
        pdf.set_font("DejaVu", "B", 9)
        pdf.cell(45, 5, label)
        pdf.set_font("DejaVu", "", 9)
        pdf.multi_cell(0, 5, value, new_x="LMARGIN", new_y="NEXT")


def _needs_table(pdf: ReportPDF, needs: list[dict[str, Any]], names: sitrep_text.Names) -> None:
    columns = [
        (_("Capability"), 62),
        (_("requested"), 22),
        (_("offered"), 22),
        (_("accepted"), 22),
        (_("deployed"), 22),
        (_("gap"), 22),
    ]
    pdf.set_font("DejaVu", "B", 8)
    for label, width in columns:
        pdf.cell(width, 6, label, border=1)
    pdf.ln()
    pdf.set_font("DejaVu", "", 8)
    for row in needs:
        pdf.cell(62, 6, names.capability(row["capability"])[:40], border=1)
        for key in ("requested", "offered", "accepted", "deployed", "gap"):
            if key == "gap" and row["gap"]:
                pdf.set_text_color(200, 30, 30)
            pdf.cell(22, 6, str(row[key]), border=1, align="R")
            pdf.set_text_color(0, 0, 0)
        pdf.ln()


def _image(pdf: ReportPDF, png: bytes) -> None:
    pdf.ln(3)
    pdf.image(io.BytesIO(png), w=pdf.epw)


def _meta(sitrep: Sitrep, names: sitrep_text.Names) -> list[tuple[str, str]]:
    crisis = sitrep.snapshot.get("crisis", {})
    level = crisis.get("level", "")
    rows = [
        (_("Crisis"), crisis.get("title", "")),
        (_("Level"), sitrep_text.level_names().get(level, level)),
        (
            _("Affected states"),
            ", ".join(names.state(code) for code in crisis.get("affected_states", [])) or "—",
        ),
        (_("Report number"), str(sitrep.number)),
        (_("Data as of"), sitrep_text.moment(sitrep.snapshot.get("generated_at"))),
        (_("Drafted by"), f"{sitrep.created_by} ({names.state(sitrep.owner)})"),
    ]
    if sitrep.status == "issued" and sitrep.issued_at is not None:
        rows.append(
            (_("Issued"), f"{sitrep.issued_by}, {sitrep_text.moment(sitrep.issued_at.isoformat())}")
        )
    else:
        rows.append((_("Status"), _("DRAFT — not issued")))
    if crisis.get("mode", "actual") != "actual":
        rows.insert(0, (_("Mode"), _("EXERCISE — not a real event.")))
    return rows


async def render_pdf(session: AsyncSession, sitrep: Sitrep, lang: str) -> bytes:
    """The report as PDF bytes, its headings and labels in ``lang``."""
    states = await members.list_states(session)
    codes = tuple(sorted(state.code for state in states if state.code != SECRETARIAT))
    with sitrep_text.language(lang):
        names = await sitrep_text.names_for(session)
        # Drawing and laying out take a while: off the event loop (the language goes along).
        return await asyncio.to_thread(_build, sitrep, names, codes)


def _build(sitrep: Sitrep, names: sitrep_text.Names, codes: tuple[str, ...]) -> bytes:
    pdf = ReportPDF(
        banner_text(sitrep),
        Classification.parse(sitrep.classification),
        _("Page {page} of {pages}"),
    )
    pdf.set_title(sitrep.title)
    pdf.set_creator("Accord")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 8, sitrep.title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _facts(pdf, _meta(sitrep, names))
    sections = sitrep_text.section_names()
    for key in ("conditions", "actions", "needs"):
        _heading(pdf, sections[key])
        pdf.multi_cell(0, 5, getattr(sitrep, key) or "—", new_x="LMARGIN", new_y="NEXT")
    snapshot = sitrep.snapshot or {}
    needs = snapshot.get("needs", [])
    if needs:
        _heading(pdf, _("Need fulfilment"))
        _needs_table(pdf, needs, names)
        _image(pdf, sitrep_charts.fulfilment_chart(needs, names.capabilities))
    if snapshot.get("crisis"):
        _heading(pdf, _("Map"))
        _image(pdf, sitrep_charts.map_image(snapshot, codes))
    return bytes(pdf.output())
