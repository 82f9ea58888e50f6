"""The budget summary as CSV and XLSX, marked with its classification at the top and bottom."""

from __future__ import annotations

import csv
import io

from accord.access import Classification
from accord.budget.schemas import SummaryRow

COLUMNS = ("year", "state", "currency", "bound", "share", "assessed", "paid", "arrears", "credit")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cells(row: SummaryRow) -> list[str]:
    values = row.model_dump()
    values["bound"] = "yes" if row.bound else "no"
    return [str(values[name]) for name in COLUMNS]


def summary_csv(rows: list[SummaryRow], marking: Classification) -> str:
    """First row the marking (``Classification: LEVEL``), then the column names, then the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([f"Classification: {marking.name}"])
    writer.writerow(COLUMNS)
    writer.writerows(_cells(row) for row in rows)
    return buffer.getvalue()


def summary_xlsx(rows: list[SummaryRow], marking: Classification) -> bytes:
    """One sheet: the marking above and below the table, and in the printed header and footer."""
    from openpyxl import Workbook  # loaded on the first workbook, not by every process

    book = Workbook()
    sheet = book.active
    sheet.title = "Summary"
    sheet.append([f"Classification: {marking.name}"])
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(
            [
                row.year,
                row.state,
                row.currency,
                "yes" if row.bound else "no",
                float(row.share),
                float(row.assessed),
                float(row.paid),
                float(row.arrears),
                float(row.credit),
            ]
        )
    sheet.append([f"Classification: {marking.name}"])
    sheet.oddHeader.center.text = marking.name
    sheet.oddFooter.center.text = marking.name
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
