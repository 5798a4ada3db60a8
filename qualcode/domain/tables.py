"""A table of results as one frozen record every front end and file writer shares.

Case tables, rates and code matrices all end up as the same thing: a title, a few
lines saying what was counted (whose data, which filter), one or more row-header
columns, value columns and cells. Writers in ``qualcode.export.tables`` turn it into
csv/xlsx/md/html/docx, the CLI prints it, the TUI shows it, and ``as_json`` gives the
stable ``{"rows", "columns", "cells"}`` shape the CLI documents.

A cell is a number, a text or ``None``; ``None`` means *missing* (no value was given),
which is never the same as zero and is shown as :data:`MISSING` in text formats and as
an empty cell in spreadsheets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from qualcode.domain.pseudonyms import pseudonymise

Cell = int | float | str | None
MISSING = "–"  # how text formats show a missing value (an en dash, never "0")


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of labelled values.

    ``row_headers`` names the header columns (e.g. ``("county",)`` or
    ``("county", "answered")``); each entry of ``row_labels`` has one label per header
    column. ``cells[r][c]`` is the value of row ``r`` in column ``columns[c]``.
    ``total_row``/``total_column`` say that the last row/column holds totals (writers
    set it in bold). ``queries``, when given, has the same shape as ``cells``: a query
    string that lists what a cell counted (for drill-down), or ``None``. ``decimals``,
    when given, says per column how many decimals a float is shown with.
    """

    title: str
    row_headers: tuple[str, ...]
    columns: tuple[str, ...]
    row_labels: tuple[tuple[str, ...], ...]
    cells: tuple[tuple[Cell, ...], ...]
    about: tuple[str, ...] = ()
    total_row: bool = False
    total_column: bool = False
    queries: tuple[tuple[str | None, ...], ...] | None = None
    decimals: tuple[int | None, ...] | None = None
    # True when ``decimals`` is given per row rather than per column (a turned table)
    decimals_by_row: bool = False
    # every number is a fraction shown as a percentage (0.25 as "25.0%"; a spreadsheet
    # keeps 0.25 with a percent format, so it still computes)
    percent: bool = False

    def __post_init__(self) -> None:
        if not self.row_headers:
            raise ValueError("a table needs at least one row-header column")
        if len(self.row_labels) != len(self.cells):
            raise ValueError(f"{len(self.row_labels)} row labels for {len(self.cells)} rows")
        for n, (labels, row) in enumerate(zip(self.row_labels, self.cells, strict=True)):
            if len(labels) != len(self.row_headers):
                raise ValueError(f"row {n} has {len(labels)} labels, not {len(self.row_headers)}")
            if len(row) != len(self.columns):
                raise ValueError(f"row {n} has {len(row)} cells, not {len(self.columns)}")
        if self.queries is not None and [len(r) for r in self.queries] != [
            len(r) for r in self.cells
        ]:
            raise ValueError("queries must have the same shape as cells")
        wanted = len(self.cells) if self.decimals_by_row else len(self.columns)
        if self.decimals is not None and len(self.decimals) != wanted:
            raise ValueError(
                f"decimals needs one entry per {'row' if self.decimals_by_row else 'column'}"
            )

    @property
    def header(self) -> tuple[str, ...]:
        """Every column label, the row-header columns first."""
        return self.row_headers + self.columns

    def body(self) -> list[tuple[Cell, ...]]:
        """Each row as its labels followed by its cells (values, not text)."""
        return [labels + row for labels, row in zip(self.row_labels, self.cells, strict=True)]

    def text_body(self, missing: str = MISSING) -> list[tuple[str, ...]]:
        """Each row as display text: labels, then every cell formatted."""
        return [
            labels + tuple(self.format(value, r, c, missing) for c, value in enumerate(row))
            for r, (labels, row) in enumerate(zip(self.row_labels, self.cells, strict=True))
        ]

    def decimals_at(self, row: int, column: int) -> int | None:
        """How many decimals a float in this cell is shown with (None: as it comes)."""
        if self.decimals is None:
            return None
        return self.decimals[row if self.decimals_by_row else column]

    def format(self, value: Cell, row: int, column: int, missing: str = MISSING) -> str:
        """One cell as text, with its column's (or row's) decimals for floats."""
        if self.percent and isinstance(value, int | float) and not isinstance(value, bool):
            places = self.decimals_at(row, column)
            return f"{100 * value:.{1 if places is None else places}f}%"
        return format_cell(value, self.decimals_at(row, column), missing)


def format_cell(value: Cell, decimals: int | None = None, missing: str = MISSING) -> str:
    if value is None:
        return missing
    if isinstance(value, bool):  # a bool is an int in Python; say what it means
        return "yes" if value else "no"
    if isinstance(value, float):
        if decimals is not None:
            return f"{value:.{decimals}f}"
        return f"{value:g}" if value == int(value) else f"{value:.4g}"
    return str(value)


def make_table(
    title: str,
    row_headers: Sequence[str],
    columns: Sequence[str],
    rows: Sequence[tuple[Sequence[str], Sequence[Cell]]],
    **options: Any,
) -> Table:
    """A table from plain sequences: ``rows`` is ``[(labels, cells), ...]``."""
    return Table(
        title=title,
        row_headers=tuple(row_headers),
        columns=tuple(columns),
        row_labels=tuple(tuple(labels) for labels, _ in rows),
        cells=tuple(tuple(cells) for _, cells in rows),
        **options,
    )


def as_json(table: Table) -> dict[str, Any]:
    """The stable JSON shape: a DataFrame in one line for a pandas user.

    ``rows`` holds the row labels (one list per row, one label per header column),
    ``cells`` the values with ``null`` for missing.
    """
    data: dict[str, Any] = {
        "title": table.title,
        "about": list(table.about),
        "row_headers": list(table.row_headers),
        "rows": [list(labels) for labels in table.row_labels],
        "columns": list(table.columns),
        "cells": [list(row) for row in table.cells],
        "total_row": table.total_row,
        "total_column": table.total_column,
    }
    if table.queries is not None:
        data["queries"] = [list(row) for row in table.queries]
    return data


def text_width(table: Table, missing: str = MISSING) -> int:
    """How wide ``to_text`` draws the table itself (the about lines may wrap)."""
    body = table.text_body(missing)
    return (
        sum(
            max([len(table.header[c])] + [len(r[c]) for r in body]) + 2
            for c in range(len(table.header))
        )
        - 2
    )


def to_text(table: Table, missing: str = MISSING) -> str:
    """The table as aligned plain text for a terminal: title, header, rule, rows, about.

    Labels align left and values right, so digits line up; the total row sits under a
    second rule. Pure string work, so the CLI, the TUI and tests share it.
    """
    header = table.header
    body = table.text_body(missing)
    widths = [max([len(header[c])] + [len(r[c]) for r in body]) for c in range(len(header))]
    heads = len(table.row_headers)

    def line(texts: tuple[str, ...]) -> str:
        return "  ".join(
            t.ljust(widths[c]) if c < heads else t.rjust(widths[c]) for c, t in enumerate(texts)
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    lines = [table.title, line(header), rule]
    for number, texts in enumerate(body):
        if table.total_row and number == len(body) - 1:
            lines.append(rule)
        lines.append(line(texts))
    lines.extend(table.about)
    return "\n".join(lines)


def transpose(table: Table) -> Table:
    """Rows become columns: the groups across the top, the measures down the side (the
    layout of a printed report's table, and narrow enough for a terminal). Several row
    labels join with " / " into one column label."""
    header = " / ".join(table.row_headers)
    return Table(
        title=table.title,
        row_headers=(header,),
        columns=tuple(
            " / ".join(label for label in labels if label) for labels in table.row_labels
        ),
        row_labels=tuple((column,) for column in table.columns),
        cells=tuple(zip(*table.cells, strict=True)) if table.cells else (),
        about=table.about,
        total_row=table.total_column,
        total_column=table.total_row,
        queries=tuple(zip(*table.queries, strict=True)) if table.queries else None,
        decimals=table.decimals,
        decimals_by_row=not table.decimals_by_row,
        percent=table.percent,
    )


def pseudonymised(table: Table, replacements: Mapping[str, str]) -> Table:
    """``table`` for a file that leaves the project: every listed name in its title,
    labels, about lines, text cells and queries replaced by its pseudonym (a case
    table grouped by municipality names the municipalities). Numbers stay as they are."""
    if not replacements:
        return table

    def clean(text: str) -> str:
        return pseudonymise(text, replacements)

    def cell(value: Cell) -> Cell:
        return clean(value) if isinstance(value, str) else value

    return replace(
        table,
        title=clean(table.title),
        row_headers=tuple(clean(h) for h in table.row_headers),
        columns=tuple(clean(c) for c in table.columns),
        row_labels=tuple(tuple(clean(label) for label in labels) for labels in table.row_labels),
        cells=tuple(tuple(cell(v) for v in row) for row in table.cells),
        about=tuple(clean(line) for line in table.about),
        queries=None
        if table.queries is None
        else tuple(tuple(None if q is None else clean(q) for q in row) for row in table.queries),
    )
