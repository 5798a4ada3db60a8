"""A case table: one row per case, one typed attribute per other column.

``ingest.case_table`` reads a file into a :class:`RawTable` (cells as the file had
them); :func:`type_table` decides each column's type and turns every cell into a typed
value, or raises one :class:`InvalidInput` naming the row, column and value. Nothing
here touches a database: the service compares the result with what is stored.

A blank cell is *missing*, never zero, never "no".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from qualcode.domain.errors import InvalidInput

VALUE_TYPES = ("number", "text", "boolean", "date")
RawCell = str | int | float | bool | date | None
Value = float | str | bool  # numbers as float, dates as "YYYY-MM-DD", booleans as bool

TRUE_WORDS = frozenset({"ja", "yes", "true", "sant", "j", "y"})
FALSE_WORDS = frozenset({"nej", "no", "false", "falskt", "n"})
# "1 595", "1 595,5", "-3", "2,5", "2.5", "1,595.5" is not accepted (ambiguous)
_NUMBER = re.compile(r"[-+−]?(\d{1,3}([  \u202f]\d{3})+|\d+)([.,]\d+)?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class RawTable:
    """A table as read: the header and each data row with its number in the file."""

    source: str
    columns: tuple[str, ...]
    rows: tuple[tuple[int, tuple[RawCell, ...]], ...]
    row_word: str = "line"  # how messages name a row number: "line" (csv) or "row" (xlsx)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    value_type: str


@dataclass(frozen=True)
class TypedTable:
    """Every case's typed values; a missing value has no entry in its case's dict."""

    source: str
    key: str
    columns: tuple[Column, ...]
    cases: dict[str, dict[str, Value]] = field(default_factory=dict)
    order: tuple[str, ...] = ()  # case names in file order
    warnings: tuple[str, ...] = ()


def is_blank(cell: RawCell) -> bool:
    return cell is None or cell == "" or (isinstance(cell, str) and not cell.strip())


def parse_number(cell: RawCell) -> float | None:
    """A number from a cell, decimal comma and digit-group spaces allowed; else None."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        return float(cell)
    if not isinstance(cell, str):
        return None
    text = cell.strip()
    if text.isascii() and text.isdigit():  # the common case, without the pattern
        return float(text)
    if not _NUMBER.fullmatch(text):
        return None
    text = text.replace("−", "-").replace(" ", "").replace(" ", "").replace("\u202f", "")
    return float(text.replace(",", "."))


def parse_boolean(cell: RawCell, *, digits: bool) -> bool | None:
    """``ja``/``nej``, ``yes``/``no``, ``true``/``false`` (and 1/0 when ``digits``)."""
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, int | float):
        return {1: True, 0: False}.get(int(cell)) if digits and cell in (0, 1) else None
    if not isinstance(cell, str):
        return None
    word = cell.strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    if digits and word in ("1", "0"):
        return word == "1"
    return None


def parse_date(cell: RawCell) -> str | None:
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, str) and _ISO_DATE.fullmatch(cell.strip()):
        try:
            return date.fromisoformat(cell.strip()).isoformat()
        except ValueError:
            return None
    return None


def infer_type(cells: Sequence[RawCell]) -> str:
    """The type of a column from its non-blank cells (1/0 stays a number)."""
    values = [c for c in cells if not is_blank(c)]
    if not values:
        return "text"
    numbers = sum(parse_number(c) is not None for c in values)
    if numbers == len(values):
        return "number"
    if all(parse_boolean(c, digits=False) is not None for c in values):
        return "boolean"
    if all(parse_date(c) is not None for c in values):
        return "date"
    dates = sum(parse_date(c) is not None for c in values)
    # mostly numbers (or dates) with a stray word: a mistake to point at, not text
    if numbers * 2 > len(values):
        return "number"
    if dates * 2 > len(values):
        return "date"
    return "text"


def typed_value(cell: RawCell, value_type: str) -> Value | None:
    """``cell`` as ``value_type``; None when it is not one (the caller reports it)."""
    if value_type == "number":
        return parse_number(cell)
    if value_type == "boolean":
        return parse_boolean(cell, digits=True)
    if value_type == "date":
        return parse_date(cell)
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ")
    return str(cell).strip() or None  # only spaces: no value


_WHAT = {
    "number": "a number",
    "boolean": "ja/nej, yes/no, true/false or 1/0",
    "date": "a date YYYY-MM-DD",
}


def type_table(
    raw: RawTable,
    key: str,
    *,
    overrides: Mapping[str, str] | None = None,
    known: Mapping[str, str] | None = None,
) -> TypedTable:
    """Type every cell of ``raw``, the cases named by column ``key``.

    ``overrides`` (``--type``) and then ``known`` (the types of attributes the project
    already has) decide a column's type before inference does.
    """
    overrides = dict(overrides or {})
    known = known or {}
    if key not in raw.columns:
        raise InvalidInput(
            f"{raw.source} has no column {key!r} for the key; its columns are "
            + ", ".join(repr(c) for c in raw.columns)
        )
    for name, value_type in overrides.items():
        if value_type not in VALUE_TYPES:
            raise InvalidInput(
                f"--type {name}={value_type}: the type must be one of {', '.join(VALUE_TYPES)}"
            )
        if name not in raw.columns:
            raise InvalidInput(f"--type names column {name!r}, which {raw.source} does not have")
        if name == key:
            raise InvalidInput(f"--type {name}: the key column names the cases; it has no type")
    index = raw.columns.index(key)
    where = raw.row_word
    seen: dict[str, int] = {}
    order: list[str] = []
    for number, cells in raw.rows:
        name = "" if is_blank(cells[index]) else str(typed_value(cells[index], "text"))
        if not name:
            raise InvalidInput(f"{raw.source} {where} {number}: the key column {key!r} is blank")
        if name in seen:
            raise InvalidInput(
                f"{raw.source} {where} {number}: key {name!r} in column {key!r} is a duplicate "
                f"of {where} {seen[name]}"
            )
        seen[name] = number
        order.append(name)
    columns = []
    cases: dict[str, dict[str, Value]] = {name: {} for name in order}
    for position, column in enumerate(raw.columns):
        if position == index:
            continue
        column_cells = [row[position] for _, row in raw.rows]
        value_type = overrides.get(column) or known.get(column) or infer_type(column_cells)
        columns.append(Column(column, value_type))
        for (number, _), name, cell in zip(raw.rows, order, column_cells, strict=True):
            if cell is None or cell == "":
                continue
            value = typed_value(cell, value_type)
            if value is None and is_blank(cell):
                continue  # only spaces: missing too
            if value is None:
                hint = (
                    f"; give --type {column}=text to keep it as text"
                    if value_type != "text" and column not in overrides
                    else ""
                )
                raise InvalidInput(
                    f"{raw.source} {where} {number}, column {column!r}: {_shown(cell)} is not "
                    f"{_WHAT[value_type]} (the column holds {value_type} values){hint}"
                )
            cases[name][column] = value
    return TypedTable(raw.source, key, tuple(columns), cases, tuple(order), raw.warnings)


def _shown(cell: RawCell) -> str:
    return repr(cell.strip()) if isinstance(cell, str) else repr(cell)


@dataclass(frozen=True)
class CaseSheet:
    """Cases as a table to write back: the key column's name, attribute columns with
    their types, and each case's values (None = missing) in column order.
    ``language`` is the project's: it picks the csv dialect (Swedish Excel's or not)."""

    key: str
    columns: tuple[str, ...]
    types: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Value | None, ...]], ...]
    language: str = "sv"
