"""A case table written back in the shape it was imported: the key column, then one
column per attribute, one row per case; a missing value is an empty cell.

CSV follows the project's language: Swedish projects get what Swedish Excel writes and
reads (semicolons, decimal comma, ja/nej), others commas, decimal point and yes/no.
Either reads back with ``qualcode cases import``. Listed in ``qualcode.export.registry``
as the ``cases`` kind.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from qualcode.domain.case_data import CaseSheet, Value
from qualcode.export.tables import csv_safe


def render_csv(sheet: CaseSheet) -> bytes:
    swedish = sheet.language == "sv"
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";" if swedish else ",", lineterminator="\r\n")
    writer.writerow([csv_safe(name) for name in (sheet.key, *sheet.columns)])
    for name, values in sheet.rows:
        writer.writerow([csv_safe(name)] + [_csv_cell(value, swedish) for value in values])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(value: Value | None, swedish: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("ja" if value else "nej") if swedish else ("yes" if value else "no")
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
        return text.replace(".", ",") if swedish else text
    return str(csv_safe(value))


def render_xlsx(sheet: CaseSheet) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    page = book.active
    assert page is not None
    page.title = "Cases"
    page.append([sheet.key, *sheet.columns])
    for cell in page[1]:
        cell.font = Font(bold=True)
    for name, values in sheet.rows:
        page.append([name, *(_xlsx_cell(v, t) for v, t in zip(values, sheet.types, strict=True))])
    page.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value: Value | None, value_type: str) -> object:
    if value is None:
        return None
    if value_type == "date" and isinstance(value, str):
        return date.fromisoformat(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
