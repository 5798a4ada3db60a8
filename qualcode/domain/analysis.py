"""Analysis results as records: a matrix of numbers with its labels, totals, what was
counted, whose codings, and the query behind every cell (for drill-down).

Writers in ``qualcode.export`` take these records; ``to_table`` gives the plain
header-and-rows shape every tabular format shares.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from qualcode.domain import query as q
from qualcode.domain import table_words
from qualcode.domain.pseudonyms import pseudonymise
from qualcode.domain.tables import Table

TOTAL = table_words.WORDS["en"]["total"]
MEASURE_WORDING = table_words.MEASURES["en"]
# axes whose labels are the store's English identifiers, shown in the table's language
TRANSLATED_LABELS = ("modes", "roles", "cases")


@dataclass(frozen=True)
class Axis:
    """One side of a matrix: what it ranges over, its labels, and the query term that
    selects each label (None when a label needs no term, e.g. every code)."""

    dimension: str
    labels: tuple[str, ...]
    terms: tuple[q.Query | None, ...]


@dataclass(frozen=True)
class MatrixResult:
    """A table of counts: ``cells[i][j]`` for row ``i`` and column ``j``.

    ``row_totals``/``column_totals``/``total`` count each coding, passage, transcript
    or case once over the whole row or column (so they are not always sums: a passage
    coded with two codes of a group counts once in the group's total).
    ``None`` in a share cell means its region has no words.
    """

    title: str
    rows: Axis
    columns: Axis
    measure: str
    cells: tuple[tuple[float | None, ...], ...]
    row_totals: tuple[float | None, ...]
    column_totals: tuple[float | None, ...]
    total: float | None
    coders: tuple[str, ...]
    pooled: bool
    where: str | None
    base_terms: tuple[q.Query, ...] = ()  # what every cell's query adds (coders, filter)
    note: str = ""
    # queries that are not the AND of a row's and a column's terms (co-occurrence pairs);
    # None in a cell: no query says it (same turn), the cell lists its passages instead
    cell_queries: tuple[tuple[str | None, ...], ...] | None = None
    counted_text: str | None = None  # says what was counted when the measure is not a coding's
    language: str = "en"  # of the words around the figures (see domain.table_words)

    @property
    def said(self) -> dict[str, str]:
        return table_words.words(self.language)

    @property
    def total_label(self) -> str:
        return self.said["total"]

    @property
    def whose(self) -> str:
        names = ", ".join(self.coders) if self.coders else self.said["nobody"]
        if len(self.coders) > 1 and self.pooled:
            return self.said["whose_pooled"].format(names=names)
        return self.said["whose"].format(names=names)

    @property
    def counted(self) -> str:
        return self.counted_text or table_words.measure(self.measure, self.language)

    @property
    def header(self) -> str:
        """One line saying what the numbers are and whose codings they count."""
        where = f"; {self.said['matching'].format(where=self.where)}" if self.where else ""
        if self.coders:
            whose = f"; {self.whose}"
        else:  # words are nobody's codings; a matrix without coders has none yet
            whose = "" if self.counted_text else f"; {self.said['nobody_yet']}"
        return f"{self.title}: {self.counted}{whose}{where}"

    @property
    def empty(self) -> bool:
        return not any(v for row in self.cells for v in row)

    def cell_query(self, row: int, column: int) -> str | None:
        """The query whose passages are the ones behind cell ``(row, column)``."""
        if self.cell_queries is not None:
            return self.cell_queries[row][column]
        return _query_text([self.rows.terms[row], self.columns.terms[column], *self.base_terms])

    def row_query(self, row: int) -> str:
        return _query_text([self.rows.terms[row], *self.base_terms])

    def column_query(self, column: int) -> str:
        return _query_text([self.columns.terms[column], *self.base_terms])

    def find_cell(self, row: str, column: str) -> tuple[int, int]:
        """The indices of the cell labelled ``row``, ``column`` (KeyError naming the
        missing label and the choices)."""
        return _index(self.rows, row), _index(self.columns, column)

    def to_table(self) -> tuple[list[str], list[list[object]]]:
        """Header and rows (labels first, totals last) for tabular writers."""
        total = self.total_label
        header = [self.rows.dimension, *self.columns.labels, total]
        body: list[list[object]] = [
            [label, *self.cells[i], self.row_totals[i]] for i, label in enumerate(self.rows.labels)
        ]
        body.append([total, *self.column_totals, self.total])
        return header, body

    def as_table(self) -> Table:
        """The matrix as the shared :class:`Table` record the csv/xlsx/md/docx writers
        take: counts as ints, shares and means as floats, an undefined cell (a share
        of no words) as missing, the totals as the last row and column, and lines
        saying what was counted, whose codings and which filter (a workbook's "About"
        sheet). A share stays a fraction (0.25, shown as 25.0%), as in ``--json``."""
        total = self.total_label
        labels = [(label,) for label in self.rows.labels] + [(total,)]
        cells = [
            (*(number(v) for v in self.cells[i]), number(self.row_totals[i]))
            for i in range(len(self.rows.labels))
        ]
        cells.append((*(number(v) for v in self.column_totals), number(self.total)))
        width = len(self.columns.labels)
        queries = [
            (*(self.cell_query(i, j) for j in range(width)), None)
            for i in range(len(self.rows.labels))
        ]
        queries.append((None,) * (width + 1))
        about = [self.header + "."]
        if self.note:
            about.append(self.note)
        if self.measure == "share":
            about.append(self.said["share_note"])
        about.append(
            self.said["rows_columns"].format(
                rows=self.rows.dimension, columns=self.columns.dimension, total=total
            )
        )
        return Table(
            title=self.title,
            row_headers=(self.rows.dimension,),
            columns=(*self.columns.labels, total),
            row_labels=tuple(labels),
            cells=tuple(cells),
            about=tuple(about),
            total_row=True,
            total_column=True,
            queries=tuple(queries),
            percent=self.measure == "share",
        )

    def as_json(self) -> dict[str, object]:
        return {
            "title": self.title,
            "measure": self.measure,
            "counted": self.counted,
            "coders": list(self.coders),
            "pooled": self.pooled,
            "where": self.where,
            "row_dimension": self.rows.dimension,
            "column_dimension": self.columns.dimension,
            "rows": list(self.rows.labels),
            "columns": list(self.columns.labels),
            "cells": [list(row) for row in self.cells],
            "row_totals": list(self.row_totals),
            "column_totals": list(self.column_totals),
            "total": self.total,
            "queries": [
                [self.cell_query(i, j) for j in range(len(self.columns.labels))]
                for i in range(len(self.rows.labels))
            ],
        }


def axis_in(axis: Axis, language: str) -> Axis:
    """``axis`` with its dimension named in ``language`` and, where its labels are the
    store's identifiers (modes, roles, "(no case)"), those too; terms stay as they are,
    so every cell still finds its passages."""
    if language == "en":
        return axis
    labels, dimension = axis.labels, axis.dimension
    attribute = dimension.startswith("attribute:")
    if dimension in TRANSLATED_LABELS or attribute:
        labels = tuple(table_words.label(name, language) for name in labels)
    # an attribute is named as the project names it ("län"), without the English prefix
    dimension = dimension.partition(":")[2] if attribute else dimension
    return replace(axis, dimension=table_words.dimension(dimension, language), labels=labels)


def in_language(result: MatrixResult, language: str) -> MatrixResult:
    """``result`` with its axes, and the words its properties write, in ``language``."""
    if language == "en":
        return result
    return replace(
        result,
        rows=axis_in(result.rows, language),
        columns=axis_in(result.columns, language),
        language=language,
    )


def pseudonymised(result: MatrixResult, replacements: Mapping[str, str]) -> MatrixResult:
    """``result`` for a file that leaves the project: every listed name in its labels,
    title, notes and cell queries replaced by its pseudonym (the queries then name the
    pseudonyms, so they explain a cell rather than rerun it)."""
    if not replacements:
        return result

    def clean(text: str | None) -> str | None:
        return None if text is None else pseudonymise(text, replacements)

    def axis(found: Axis) -> Axis:
        return replace(
            found, labels=tuple(pseudonymise(label, replacements) for label in found.labels)
        )

    queries = tuple(
        tuple(clean(result.cell_query(i, j)) for j in range(len(result.columns.labels)))
        for i in range(len(result.rows.labels))
    )
    return replace(
        result,
        title=pseudonymise(result.title, replacements),
        rows=axis(result.rows),
        columns=axis(result.columns),
        where=clean(result.where),
        note=pseudonymise(result.note, replacements),
        cell_queries=queries,
    )


def _index(axis: Axis, label: str) -> int:
    try:
        return axis.labels.index(label)
    except ValueError:
        folded = [name.casefold() for name in axis.labels]
        if label.casefold() in folded:
            return folded.index(label.casefold())
        raise KeyError(
            f"{label!r} is not one of the {axis.dimension}: {', '.join(axis.labels)}"
        ) from None


def _query_text(terms: list[q.Query | None]) -> str:
    present = [term for term in terms if term is not None]
    if not present:
        return ""
    if len(present) == 1:
        return _whole_text(present[0])
    return " AND ".join(_operand_text(term) for term in present)


# a matrix asks for the same row, column and filter texts once per cell
@lru_cache(maxsize=4096)
def _operand_text(term: q.Query) -> str:
    return q.and_operand_text(term)


@lru_cache(maxsize=4096)
def _whole_text(term: q.Query) -> str:
    return q.to_text(term)


def number(value: float | None) -> float | int | None:
    """A count as an int, a share as a float, NaN as None (for JSON and spreadsheets)."""
    if value is None or math.isnan(value):
        return None
    return int(value) if float(value).is_integer() else float(value)


def format_number(value: float | None, measure: str) -> str:
    if value is None or math.isnan(value):
        return "–"
    if measure == "share" or (not float(value).is_integer()):
        return f"{value:.3f}" if measure != "share" else f"{100 * value:.1f}%"
    return str(int(value))


@dataclass(frozen=True)
class KwicLine:
    """One occurrence of a keyword with the text either side (line breaks as spaces)."""

    transcript_id: int
    transcript: str
    start: int
    end: int
    left: str
    keyword: str
    right: str

    def as_json(self) -> dict[str, object]:
        return {
            "transcript_id": self.transcript_id,
            "transcript": self.transcript,
            "start": self.start,
            "end": self.end,
            "left": self.left,
            "keyword": self.keyword,
            "right": self.right,
        }
