"""Codings as CSV or Excel, in the shape ``qualcode import-codings`` reads back.

Offsets stay numbers. In CSV every text cell is neutralised against formula injection
(``qualcode.domain.coding_table.neutralised``: the OWASP apostrophe, taken off again
on import), so the file both opens safely in a spreadsheet and round-trips; in Excel
text cells are stored as text, which no spreadsheet evaluates, so they stay as they are.
"""

from __future__ import annotations

import csv
import io

from qualcode.domain.coding_table import COLUMNS, CodingRow, CodingTable, neutralised


def _cells(row: CodingRow) -> list[str | int]:
    return [row.transcript, row.coder, row.code, row.start, row.end, row.memo, row.quote]


def render_csv(table: CodingTable) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads å, ä, ö), comma-separated."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(
        [value if isinstance(value, int) else neutralised(value) for value in _cells(row)]
        for row in table.rows
    )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def render_xlsx(table: CodingTable) -> bytes:
    from openpyxl import Workbook

    from qualcode.export.officetext import xml_text

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "codings"
    sheet.append(list(COLUMNS))
    for number, row in enumerate(table.rows, 2):
        for column, value in enumerate(_cells(row), 1):
            if isinstance(value, str):
                cell = sheet.cell(number, column, xml_text(value))
                cell.data_type = "s"  # openpyxl would store "=…" as a formula
            else:
                sheet.cell(number, column, value)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
