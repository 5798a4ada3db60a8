"""A :class:`~qualcode.domain.tables.Table` as csv, xlsx, md, html or docx bytes.

Every writer keeps numbers as numbers where the format has them (xlsx cells, csv
fields Excel reads as numbers), shows a missing value as an empty cell in spreadsheets
and as an en dash in documents, sets a total row in bold, and carries the table's
"about" lines (what was counted, whose data, which filter) along: under the table in
documents, on a second sheet "About" in a workbook. The csv is the bare rectangle a
statistics package reads.

The writers are listed in ``qualcode.export.registry`` as the ``table`` kind; the
services reach them through it.
"""

from __future__ import annotations

import csv
import io
import re
from html import escape

from qualcode.domain.tables import MISSING, Cell, Table

# OWASP "CSV injection": a spreadsheet runs a cell starting with one of these as a
# formula. Such texts get a leading apostrophe; numbers are written as numbers.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 (xlsx, docx) has no place for most control characters nor lone surrogates
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def csv_safe(value: Cell) -> Cell:
    """``value`` as a csv field no spreadsheet will run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def render_csv(table: Table) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([csv_safe(label) for label in table.header])
    for row in table.body():
        writer.writerow(["" if value is None else csv_safe(value) for value in row])
    # the BOM makes Excel read the file as UTF-8 (Swedish letters intact)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def render_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    bold = Font(bold=True)
    workbook = Workbook()
    workbook.properties.title = _xml(table.title)
    workbook.properties.creator = "qualcode"
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = "Table"
    sheet.append([_xml(label) for label in table.header])
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table.body():
        sheet.append([_xml(v) if isinstance(v, str) else v for v in row])
    if table.total_row and table.cells:
        for cell in sheet[sheet.max_row]:
            cell.font = bold
    if table.total_column:
        for row_cells in sheet.iter_rows(min_col=sheet.max_column, max_col=sheet.max_column):
            row_cells[0].font = bold
    if table.percent:
        heads = len(table.row_headers)
        for r, row_cells in enumerate(sheet.iter_rows(min_row=2, min_col=heads + 1)):
            for c, cell in enumerate(row_cells):
                places = table.decimals_at(r, c)
                places = 1 if places is None else places
                if isinstance(cell.value, int | float):
                    cell.number_format = "0." + "0" * places + "%" if places else "0%"
    elif table.decimals is not None:
        heads = len(table.row_headers)
        for r, row_cells in enumerate(sheet.iter_rows(min_row=2, min_col=heads + 1)):
            for c, cell in enumerate(row_cells):
                places = table.decimals_at(r, c)
                if places is not None and isinstance(cell.value, float):
                    cell.number_format = "0." + "0" * places if places else "0"
    for index, label in enumerate(table.header, 1):
        width = max([len(label)] + [len(str(r[index - 1] or "")) for r in table.body()])
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(width + 2, 50)
    sheet.freeze_panes = sheet.cell(2, len(table.row_headers) + 1)
    about = workbook.create_sheet("About")
    about.append([_xml(table.title)])
    about["A1"].font = Font(bold=True, size=13)
    for line in table.about:
        about.append([_xml(line)])
    about.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render_md(table: Table) -> bytes:
    def cell(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    numeric = _numeric_columns(table)
    lines = [f"## {cell(table.title)}", ""]
    lines.append("| " + " | ".join(cell(h) for h in table.header) + " |")
    lines.append(
        "|"
        + "|".join(["---"] * len(table.row_headers) + ["--:" if n else "---" for n in numeric])
        + "|"
    )
    body = table.text_body()
    for number, row in enumerate(body):
        texts = [cell(t) for t in row]
        if table.total_row and number == len(body) - 1:
            texts = [f"**{t}**" if t else t for t in texts]
        lines.append("| " + " | ".join(texts) + " |")
    if table.about:
        lines.append("")
        lines.extend(f"- {cell(line)}" for line in table.about)
    return ("\n".join(lines) + "\n").encode("utf-8")


HTML_STYLE = """body{font-family:Georgia,serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #999;padding:.25em .6em}
th{background:#eee;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
tfoot td,tfoot th{font-weight:bold;border-top:2px solid #333}.about{color:#555;font-size:.9em}
@media print{body{margin:0}th{background:none}}"""


def render_html(table: Table) -> bytes:
    numeric = _numeric_columns(table)
    heads = len(table.row_headers)

    def row_html(texts: tuple[str, ...]) -> str:
        labels = "".join(f"<th>{escape(t)}</th>" for t in texts[:heads])
        values = "".join(
            f'<td class="n">{escape(t)}</td>' if numeric[i] else f"<td>{escape(t)}</td>"
            for i, t in enumerate(texts[heads:])
        )
        return f"<tr>{labels}{values}</tr>"

    body = table.text_body()
    total = body[-1:] if table.total_row else []
    rows = body[:-1] if table.total_row else body
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in table.header)
    foot = f"<tfoot>{row_html(total[0])}</tfoot>" if total else ""
    about = "".join(f"<li>{escape(line)}</li>" for line in table.about)
    page = (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{escape(table.title)}</title><style>{HTML_STYLE}</style></head><body>"
        f"<h1>{escape(table.title)}</h1><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(row_html(r) for r in rows)}</tbody>{foot}</table>"
        + (f'<ul class="about">{about}</ul>' if about else "")
        + "</body></html>\n"
    )
    return page.encode("utf-8")


def render_docx(table: Table) -> bytes:
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = docx.Document()
    document.core_properties.title = _xml(table.title)
    document.core_properties.author = "qualcode"
    section = document.sections[0]
    # A4, the paper nearly everywhere outside the US
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    document.add_heading(_xml(table.title), level=2)
    numeric = _numeric_columns(table)
    heads = len(table.row_headers)
    body = table.text_body()
    word = document.add_table(rows=1 + len(body), cols=len(table.header))
    word.style = document.styles["Table Grid"]
    word.alignment = WD_TABLE_ALIGNMENT.LEFT
    for number, texts in enumerate([table.header, *body]):
        bold = number == 0 or (table.total_row and number == len(body))
        for column, text in enumerate(texts):
            paragraph = word.cell(number, column).paragraphs[0]
            run = paragraph.add_run(_xml(text))
            run.bold = bold
            if column >= heads and numeric[column - heads] and number > 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for line in table.about:
        note = document.add_paragraph()
        note.add_run(_xml(line)).font.size = Pt(9)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _numeric_columns(table: Table) -> list[bool]:
    """Per value column: do its values read as numbers (so they align right)?"""
    return [
        all(
            row[c] is None or isinstance(row[c], int | float) or _looks_numeric(row[c])
            for row in table.cells
        )
        for c in range(len(table.columns))
    ]


def _looks_numeric(value: Cell) -> bool:
    # "39 (42)", answered of contacted, is a count too
    return isinstance(value, str) and bool(re.fullmatch(r"-?[\d\s.,]+(\s*\([\d\s.,]+\))?%?", value))


def _xml(value: str) -> str:
    return _NOT_XML.sub(lambda found: " " if found.group().isspace() else "", value)


__all__ = [
    "MISSING",
    "csv_safe",
    "render_csv",
    "render_docx",
    "render_html",
    "render_md",
    "render_xlsx",
]
