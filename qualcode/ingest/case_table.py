"""Reading a case table (.csv, .tsv or .xlsx) into a :class:`RawTable`.

CSV as spreadsheets save it: comma, semicolon (Swedish Excel) or tab, found from the
header line; UTF-8 with or without a byte-order mark, else cp1252 with a warning;
CRLF or LF. Workbooks through openpyxl in read-only mode, after the zip checks every
Office file gets (``zipsafe``). The header must name every column once.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from qualcode.domain.case_data import RawCell, RawTable, is_blank
from qualcode.domain.errors import InvalidInput
from qualcode.domain.text import DecodeError, decode_bytes
from qualcode.ingest.source import read_source
from qualcode.ingest.zipsafe import open_archive

SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
_DELIMITERS = (";", ",", "\t")


def read_case_table(path: Path, *, sheet: str | None = None) -> RawTable:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidInput(f"{path.name} is not a table qualcode reads: save it as .csv or .xlsx")
    data = read_source(path)
    if suffix == ".xlsx":
        return parse_xlsx(data, path.name, sheet=sheet)
    if sheet is not None:
        raise InvalidInput(f"--sheet is for .xlsx workbooks; {path.name} is a text file")
    return parse_csv(data, path.name)


def parse_csv(data: bytes, source: str) -> RawTable:
    try:
        decoded = decode_bytes(data, source)
    except DecodeError as exc:
        raise InvalidInput(f"{exc}; it is not a table qualcode reads") from exc
    text = decoded.text
    first_line = text.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in _DELIMITERS}
    delimiter = max(_DELIMITERS, key=lambda d: counts[d])
    if counts[delimiter] == 0:
        delimiter = ","  # one column only; csv handles quoting either way
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise InvalidInput(
            f"{source} line {reader.line_num}: it is not a well-formed table ({exc})"
        ) from exc
    # csv.reader counts lines read; a row's number is where it started
    numbered: list[tuple[int, list[RawCell]]] = []
    previous_end = 0
    for end, row in rows:
        numbered.append((previous_end + 1, list(row)))
        previous_end = end
    warnings = (decoded.warning,) if decoded.warning else ()
    return _table(source, numbered, "line", warnings)


def parse_xlsx(data: bytes, source: str, *, sheet: str | None = None) -> RawTable:
    from openpyxl import load_workbook

    archive = open_archive(data, source, "an Excel workbook")
    archive.close()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise InvalidInput(f"{source} is not an Excel workbook qualcode can read ({exc})") from exc
    try:
        if sheet is None:
            chosen = book.worksheets[0]
        elif sheet in book.sheetnames:
            chosen = book[sheet]
        else:
            raise InvalidInput(
                f"{source} has no sheet {sheet!r}; its sheets are "
                + ", ".join(repr(n) for n in book.sheetnames)
            )
        rows: list[tuple[int, list[RawCell]]] = []
        for number, values in enumerate(chosen.iter_rows(values_only=True), 1):
            rows.append((number, [_cell(v) for v in values]))
    finally:
        book.close()
    return _table(source, rows, "row", ())


def _cell(value: object) -> RawCell:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    from datetime import date

    if isinstance(value, date):
        return value
    return str(value)


def _table(
    source: str, rows: list[tuple[int, list[RawCell]]], word: str, warnings: tuple[str, ...]
) -> RawTable:
    # rows with nothing in them (trailing blank lines, formatting-only rows) are skipped
    rows = [(n, cells) for n, cells in rows if not all(is_blank(c) for c in cells)]
    if not rows:
        raise InvalidInput(f"{source} is empty: it has no header row")
    header_number, header_cells = rows[0]
    # spreadsheets often pad rows with empty trailing cells
    while header_cells and is_blank(header_cells[-1]):
        header_cells = header_cells[:-1]
    header = [str(c).strip() if c is not None else "" for c in header_cells]
    for position, name in enumerate(header, 1):
        if not name:
            raise InvalidInput(
                f"{source} {word} {header_number}: column {position} of the header has no name"
            )
    seen: dict[str, int] = {}
    for position, name in enumerate(header, 1):
        if name in seen:
            raise InvalidInput(
                f"{source} {word} {header_number}: the header names column {name!r} twice "
                f"(columns {seen[name]} and {position})"
            )
        seen[name] = position
    width = len(header)
    body = []
    for number, cells in rows[1:]:
        extra = cells[width:]
        if any(not is_blank(c) for c in extra):
            raise InvalidInput(
                f"{source} {word} {number}: {len(cells)} cells but the header has {width} columns"
            )
        cells = list(cells[:width]) + [None] * (width - len(cells))
        body.append((number, tuple(cells)))
    if width < 2 and not body:
        raise InvalidInput(f"{source} is not a table: one line and no columns to read")
    return RawTable(source, tuple(header), tuple(body), word, warnings)
