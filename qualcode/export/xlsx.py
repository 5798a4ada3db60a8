"""A quote collection as an Excel workbook: an index sheet, then one sheet per theme.

The index names each theme, counts its quotes and links to its sheet; a theme's sheet
has one row per quote with everything needed to find it again in the transcript.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from qualcode.domain.quotes import Collection, Theme
from qualcode.export.officetext import xml_text
from qualcode.export.wording import methods_note, said

INDEX = "Index"
INDEX_COLUMNS = (("key", 18), ("theme", 40), ("quotes", 8), ("sheet", 34), ("definition", 60))
LINK_COLUMN = 4  # "sheet", the name of the theme's sheet and a link to it
# "unedited quote" holds the transcript's words when the quote was edited in a saved
# collection (``Quote.source_text``), so the spreadsheet shows what was changed
QUOTE_COLUMNS = (("quote", 80), ("attribution", 26), ("transcript", 24), ("start", 9),
                 ("end", 9), ("timestamp", 11), ("codes", 24), ("verbatim", 9),
                 ("context before", 40), ("context after", 40), ("unedited quote", 60),
                 ("coded by", 20), ("memos", 60))  # fmt: skip
WRAPPED = frozenset(
    {"quote", "context before", "context after", "unedited quote", "definition", "memos"}
)
INDEX_HEADER_ROW = 4  # below the title and the methods note

SHEET_NAME_LIMIT = 31  # Excel's, counted in UTF-16 units
CELL_LIMIT = 32_767  # Excel reports a file with a longer cell as damaged
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


def render(collection: Collection) -> bytes:
    workbook = Workbook()
    workbook.properties.title = xml_text(collection.title)
    workbook.properties.subject = xml_text(collection.query)
    workbook.properties.creator = "qualcode"
    codings = f"{said(collection).codings_of} {collection.codings}"
    workbook.properties.description = xml_text(codings)
    workbook.properties.language = collection.language
    index = workbook.active
    assert index is not None  # a new workbook always has its first sheet
    index.title = INDEX
    names = sheet_names(collection.themes)

    index["A1"] = _text(collection.title)
    index["A1"].font = Font(bold=True, size=14)
    if collection.show_query:
        index["A2"] = _text(methods_note(collection))
    _header(index, INDEX_COLUMNS, INDEX_HEADER_ROW)
    first = INDEX_HEADER_ROW + 1
    for row, (theme, name) in enumerate(zip(collection.themes, names, strict=True), first):
        _row(index, row, INDEX_COLUMNS,
             (theme.key, theme.name, len(theme.quotes), name, theme.definition))  # fmt: skip
        link = index.cell(row, LINK_COLUMN)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"{_quoted(name)}!A1")
        link.style = "Hyperlink"

    for theme, name in zip(collection.themes, names, strict=True):
        sheet = workbook.create_sheet(name)
        _header(sheet, QUOTE_COLUMNS, 1)
        for row, q in enumerate(theme.quotes, 2):
            timestamp = (
                timedelta(milliseconds=q.timestamp_ms) if q.timestamp_ms is not None else None
            )
            verbatim = "yes" if q.verbatim else "no"
            _row(sheet, row, QUOTE_COLUMNS,
                 (q.text, q.attribution, q.transcript, q.start, q.end, timestamp,
                  " ".join(q.codes), verbatim, q.before, q.after, q.source_text,
                  ", ".join(q.coders), "\n".join(q.memos)))  # fmt: skip
        if theme.quotes:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(QUOTE_COLUMNS))}{sheet.max_row}"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_names(themes: tuple[Theme, ...]) -> list[str]:
    """A name per theme that Excel accepts: at most 31 units, none of ``[]:*?/\\``, not
    starting or ending with an apostrophe, and unique ignoring case (as Excel compares)."""
    taken = {INDEX.casefold(), "history"}  # Excel reserves "History" for change tracking
    names = []
    for theme in themes:
        base = _NOT_IN_SHEET_NAMES.sub("-", xml_text(theme.name)).strip(" '") or "Theme"
        name, count = _fit(base, SHEET_NAME_LIMIT), 1
        while name.casefold() in taken:
            count += 1
            suffix = f" ({count})"
            name = _fit(base, SHEET_NAME_LIMIT - len(suffix)) + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


def _fit(name: str, limit: int) -> str:
    name = name[:limit]
    while len(name.encode("utf-16-le")) > 2 * limit:  # a character outside the BMP counts two
        name = name[:-1]
    return name.rstrip(" '")


def _quoted(name: str) -> str:
    """A sheet name as a formula or link reference spells it."""
    return "'" + name.replace("'", "''") + "'"


def _header(sheet: Worksheet, columns: tuple[tuple[str, int], ...], row: int) -> None:
    for column, (title, width) in enumerate(columns, 1):
        sheet.cell(row, column, title).font = BOLD
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row + 1, 1)


def _row(
    sheet: Worksheet,
    row: int,
    columns: tuple[tuple[str, int], ...],
    values: tuple[str | int | timedelta | None, ...],
) -> None:
    for column, ((title, _), value) in enumerate(zip(columns, values, strict=True), 1):
        if isinstance(value, str):
            cell = sheet.cell(row, column, _text(value))
            # openpyxl stores a string starting with "=" as a formula; a quote is never one
            cell.data_type = "s"
        else:
            cell = sheet.cell(row, column, value)
        cell.alignment = WRAP if title in WRAPPED else TOP


def _text(value: str) -> str:
    value = xml_text(value)
    return value if len(value) <= CELL_LIMIT else value[: CELL_LIMIT - 1] + "…"
