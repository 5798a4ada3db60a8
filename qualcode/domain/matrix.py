"""Counting for code matrices and co-occurrence tables, vectorised with numpy.

Every span is a pair of *global* positions: the analysis service lays the transcripts
end to end, each at an offset one past the previous one's end, so one sorted array
holds the whole corpus and spans of different transcripts never touch or merge.

A *piece* is (part of) one coding that lies in one cell: the coding clipped to the
column's region (a speaker's turns, say) and to the ``--where`` passages. A cell's
*passages* are the connected stretches of the union of its pieces, exactly as the
retrieval evaluator merges coded spans (overlapping spans join, touching ones stay
apart), so a cell's passage count is the number of passages its drill-down query
returns. See docs/decisions.md, "Analysis".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypeAlias, get_args

import numpy as np
import numpy.typing as npt

Ints: TypeAlias = npt.NDArray[np.int64]

Measure = Literal["codings", "passages", "transcripts", "cases", "characters", "words", "share"]
MEASURES: tuple[str, ...] = get_args(Measure)
Cooccurrence = Literal["overlap", "sentence", "turn", "near"]
COOCCURRENCE_MODES: tuple[str, ...] = get_args(Cooccurrence)


def ints(values: object) -> Ints:
    return np.asarray(values, dtype=np.int64).reshape(-1)


@dataclass(frozen=True)
class Pieces:
    """Columnar pieces: the coding each came from, its transcript, its global span and
    the row and column of the cell it counts in."""

    coding: Ints
    doc: Ints
    start: Ints
    end: Ints
    row: Ints
    col: Ints

    def __len__(self) -> int:
        return len(self.start)

    def take(self, index: Ints | npt.NDArray[np.bool_]) -> Pieces:
        return Pieces(
            self.coding[index],
            self.doc[index],
            self.start[index],
            self.end[index],
            self.row[index],
            self.col[index],
        )

    def with_cells(self, row: Ints, col: Ints) -> Pieces:
        return Pieces(self.coding, self.doc, self.start, self.end, row, col)


@dataclass(frozen=True)
class Regions:
    """Sorted, disjoint global intervals, each with a key (a column value, a turn…)."""

    start: Ints
    end: Ints
    key: Ints

    @staticmethod
    def of(start: object, end: object, key: object) -> Regions:
        s, e, k = ints(start), ints(end), ints(key)
        order = np.argsort(s, kind="stable")
        return Regions(s[order], e[order], k[order])


def clip(start: Ints, end: Ints, regions: Regions) -> tuple[Ints, Ints, Ints, Ints]:
    """Every non-empty intersection of the spans ``[start, end)`` with ``regions``:
    ``(span index, region index, start, end)`` of each piece, spans in order."""
    first = np.searchsorted(regions.end, start, side="right")  # first region ending after start
    stop = np.searchsorted(regions.start, end, side="left")  # regions starting before end
    counts = np.maximum(stop - first, 0)
    total = int(counts.sum())
    span = np.repeat(np.arange(len(start), dtype=np.int64), counts)
    within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    region = np.repeat(first, counts).astype(np.int64) + within
    piece_start = np.maximum(start[span], regions.start[region])
    piece_end = np.minimum(end[span], regions.end[region])
    keep = piece_end > piece_start
    return span[keep], region[keep], piece_start[keep], piece_end[keep]


@dataclass(frozen=True)
class Stretches:
    """Connected stretches of the union of spans, per group: ``of_span`` gives each
    input span's stretch."""

    group: Ints
    start: Ints
    end: Ints
    of_span: Ints


def stretches(group: Ints, start: Ints, end: Ints) -> Stretches:
    """The union of the spans of each group as connected stretches (overlapping spans
    join, touching ones stay apart, as ``domain.spans.merge``)."""
    if len(start) == 0:
        empty = ints([])
        return Stretches(empty, empty, empty, empty)
    order = np.lexsort((start, group))
    g, s, e = group[order], start[order], end[order]
    # the running furthest end within each group: offsetting each group by more than
    # any position lets one cumulative maximum serve every group at once
    span = int(e.max()) + 1
    reach = np.maximum.accumulate(g * span + e) - g * span
    new = np.ones(len(s), dtype=bool)
    new[1:] = (g[1:] != g[:-1]) | (s[1:] >= reach[:-1])
    heads = np.flatnonzero(new)
    of_sorted = np.cumsum(new) - 1
    of_span = np.empty_like(of_sorted)
    of_span[order] = of_sorted
    return Stretches(g[heads], s[heads], np.maximum.reduceat(e, heads), of_span)


def words_between(start: Ints, end: Ints, word_starts: Ints) -> Ints:
    """Words whose first character lies in ``[start, end)`` (``word_starts`` sorted)."""
    return ints(
        np.searchsorted(word_starts, end, side="left")
        - np.searchsorted(word_starts, start, side="left")
    )


def keep_containing(pieces: Pieces, occurrences: Regions) -> Pieces:
    """The pieces whose cell passage contains an occurrence (of a ``text:`` or
    ``lemma:`` term), whole — the retrieval evaluator's rule for such a term in AND."""
    if len(pieces) == 0:
        return pieces
    ncols = int(pieces.col.max()) + 1
    found = stretches(pieces.row * ncols + pieces.col, pieces.start, pieces.end)
    # occurrences are disjoint and sorted, so their ends are sorted too
    inside = np.searchsorted(occurrences.end, found.end, side="right") - np.searchsorted(
        occurrences.start, found.start, side="left"
    )
    return pieces.take(inside[found.of_span] > 0)


def intersect(pieces: Pieces, regions: Regions) -> Pieces:
    """The parts of the pieces inside ``regions``."""
    index, _, start, end = clip(pieces.start, pieces.end, regions)
    taken = pieces.take(index)
    return Pieces(taken.coding, taken.doc, start, end, taken.row, taken.col)


def cell_counts(
    pieces: Pieces,
    shape: tuple[int, int],
    measure: Measure,
    *,
    word_starts: Ints | None = None,
    cases: tuple[Ints, Ints] | None = None,
    denominator: npt.NDArray[np.float64] | None = None,
) -> npt.NDArray[np.float64]:
    """The measure per cell of a ``shape`` matrix.

    ``word_starts`` (global, sorted) is needed for words and share; ``cases`` pairs
    each piece index with a case number for "cases with at least one"; ``denominator``
    is the words of each cell's region for the share.
    """
    nrows, ncols = shape
    cell = pieces.row * ncols + pieces.col
    size = nrows * ncols
    result: npt.NDArray[Any]
    if measure == "codings":
        result = _distinct(cell, pieces.coding, size)
    elif measure == "transcripts":
        result = _distinct(cell, pieces.doc, size)
    elif measure == "cases":
        if cases is None:
            raise ValueError("counting cases needs each piece's cases")
        piece, case = cases
        result = _distinct(cell[piece], case, size)
    else:
        found = stretches(cell, pieces.start, pieces.end)
        if measure == "passages":
            result = np.bincount(found.group, minlength=size).astype(np.float64)
        elif measure == "characters":
            result = np.bincount(found.group, weights=found.end - found.start, minlength=size)
        else:
            if word_starts is None:
                raise ValueError("counting words needs the word positions")
            words = words_between(found.start, found.end, word_starts)
            result = np.bincount(found.group, weights=words, minlength=size)
    result = result.astype(np.float64).reshape(nrows, ncols)
    if measure == "share":
        if denominator is None:
            raise ValueError("a share needs the words of each cell's region")
        with np.errstate(divide="ignore", invalid="ignore"):
            result = np.where(denominator > 0, result / denominator, np.nan)
    return result


def _distinct(cell: Ints, key: Ints, size: int) -> npt.NDArray[np.float64]:
    """Distinct keys per cell (sorting beats hashing here)."""
    if len(cell) == 0:
        return np.zeros(size)
    width = int(key.max()) + 1
    pairs = np.sort(cell * width + key)
    first = np.ones(len(pairs), dtype=bool)
    first[1:] = pairs[1:] != pairs[:-1]
    return np.bincount(pairs[first] // width, minlength=size).astype(np.float64)


def cooccurring_passages(
    code: Ints,
    doc: Ints,
    start: Ints,
    end: Ints,
    ncodes: int,
    *,
    sentence_starts: Ints | None = None,
    within: int = 0,
) -> npt.NDArray[np.float64]:
    """Codes × codes: off the diagonal, the passages where a stretch of one code and a
    stretch of the other overlap (or lie within ``within`` sentences when
    ``sentence_starts`` is given), each such pair joined and joined pairs merged — the
    passages ``A OVERLAPS B`` (``A NEAR/N B``) retrieves; on the diagonal each code's own
    passages. The input is each code's merged stretches (global positions)."""
    counts = np.zeros((ncodes, ncodes))
    np.add.at(counts, (code, code), 1)
    if len(start) < 2:
        return counts
    order = np.lexsort((end, start))
    code, doc, start, end = code[order], doc[order], start[order], end[order]
    if sentence_starts is None:
        # the stretches after i that start before i ends overlap it (starts are sorted)
        stop = np.searchsorted(start, end, side="left")
    else:
        first_sentence = _sentence_of(start, sentence_starts)
        last_sentence = _sentence_of(end - 1, sentence_starts)
        stop = np.searchsorted(first_sentence, last_sentence + within, side="right")
    counts_after = np.maximum(stop - np.arange(1, len(start) + 1), 0)
    total = int(counts_after.sum())
    i = np.repeat(np.arange(len(start), dtype=np.int64), counts_after)
    j = i + 1 + np.arange(total) - np.repeat(np.cumsum(counts_after) - counts_after, counts_after)
    keep = (code[i] != code[j]) & (doc[i] == doc[j])
    i, j = i[keep], j[keep]
    a, b = np.minimum(code[i], code[j]), np.maximum(code[i], code[j])
    joined = stretches(a * ncodes + b, start[i], np.maximum(end[i], end[j]))
    pair = np.bincount(joined.group, minlength=ncodes * ncodes).reshape(ncodes, ncodes)
    off = pair + pair.T
    return counts + off


def _sentence_of(position: Ints, sentence_starts: Ints) -> Ints:
    """The global number of the sentence holding each position (the one before when a
    position lies between sentences), as the retrieval evaluator's ``NEAR`` counts."""
    return ints(np.maximum(np.searchsorted(sentence_starts, position, side="right") - 1, 0))


def cooccurring_units(unit: Ints, code: Ints, ncodes: int) -> npt.NDArray[np.float64]:
    """Codes × codes: the units (turns) in which both codes occur; the diagonal is the
    units with the code."""
    if len(unit) == 0:
        return np.zeros((ncodes, ncodes))
    pairs = np.unique(unit * ncodes + code)
    units, codes = pairs // ncodes, pairs % ncodes
    _, dense = np.unique(units, return_inverse=True)
    incidence = np.zeros((int(dense.max()) + 1, ncodes), dtype=np.float32)
    incidence[dense, codes] = 1.0
    return (incidence.T @ incidence).astype(np.float64)


def jaccard(counts: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """``n(A with B) / (n(A) + n(B) - n(A with B))`` off the diagonal; the diagonal
    keeps each code's own count."""
    own = np.diag(counts)
    union = own[:, None] + own[None, :] - counts
    with np.errstate(divide="ignore", invalid="ignore"):
        result = np.where(union > 0, counts / union, 0.0)
    np.fill_diagonal(result, own)
    return result
