"""The font every PDF uses: DejaVu Sans as matplotlib ships it, so Cyrillic needs no system font.

Imported only where a PDF is made, since matplotlib is large.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
from fpdf import FPDF

FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FAMILY = "DejaVu"


def add_fonts(pdf: FPDF) -> None:
    """Register DejaVu Sans, regular and bold, as the family ``FAMILY`` of ``pdf``."""
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
