"""Turning coded spans into one value per unit (sentence, turn…) per coder.

α and Fleiss' κ need units × coders matrices; coders code spans. A coder *marks* a
unit with a code when their spans of that code cover it: any overlap by default, or at
least ``min_share`` of the unit's characters. Which coders take part is the caller's
choice: every coder passed in gives a value (or ``None``) for every unit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt

from qualcode.domain.agreement.categories import ordered_categories
from qualcode.domain.agreement.fleiss import FleissKappa, fleiss_kappa_of_kinds
from qualcode.domain.agreement.intervals import Interval, covered_within, normalise_spans
from qualcode.domain.agreement.krippendorff import CountedKinds, PairableValues, counted_kinds
from qualcode.domain.agreement.spantable import IntArray, Merged, SpanTable, by_coder, expand_ranges
from qualcode.domain.errors import InvalidInput
from qualcode.domain.spans import validate_span

T = TypeVar("T", bound=Hashable)  # a transcript key
C = TypeVar("C", bound=Hashable)  # a coder key
G = TypeVar("G", bound=Hashable)  # a code key
V = TypeVar("V", bound=Hashable)  # a unit value


@dataclass(frozen=True, slots=True)
class Unit(Generic[T]):
    """One unit: ``[start, end)`` in a transcript."""

    transcript: T
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class GroupConflict(Generic[C, G]):
    """A coder applied two or more codes of an exclusive group to one unit.

    ``codes`` are the codes that marked the unit, in the group's order; ``chosen`` is
    the one kept (most characters of the unit, the earlier code on a tie).
    """

    unit_index: int
    coder: C
    codes: tuple[G, ...]
    chosen: G


@dataclass(frozen=True, slots=True)
class UnitValues(Generic[T, C, V]):
    """``values[u][i]`` is what ``coders[i]`` gave ``units[u]``; ``None`` is missing.

    ``values`` can be passed straight to ``krippendorff_alpha`` or ``fleiss_kappa``.
    """

    coders: tuple[C, ...]
    units: tuple[Unit[T], ...]
    values: tuple[tuple[V | None, ...], ...]
    conflicts: tuple[GroupConflict[C, V], ...]


@dataclass(frozen=True, slots=True)
class ConfusionMatrix(Generic[V]):
    """Units cross-tabulated by two coders' values.

    ``counts[i][j]`` counts units coder A gave ``categories[i]`` and coder B
    ``categories[j]``; it feeds ``cohen_kappa``. Units where a coder gave no value are
    not in the table but counted beside it.
    """

    categories: tuple[V, ...]
    counts: tuple[tuple[int, ...], ...]
    missing_a_only: int
    missing_b_only: int
    missing_both: int


def presence_values(
    text_lengths: Mapping[T, int],
    unit_spans: Mapping[T, Sequence[tuple[int, int]]],
    coder_spans: Mapping[C, Mapping[T, Iterable[tuple[int, int]]]],
    *,
    min_share: float = 0.0,
) -> UnitValues[T, C, bool]:
    """``True`` where a coder's spans of one code mark the unit, else ``False``.

    A coder who coded nothing in a transcript still says "absent" for its units:
    the value is never missing. ``min_share`` 0 means any overlap marks the unit.
    """
    _check_share(min_share)
    units = _units(text_lengths, unit_spans)
    coders = tuple(coder_spans)
    columns = []
    for coder in coders:
        by_transcript = _normalised(text_lengths, coder_spans[coder])
        columns.append(
            [
                _marks(by_transcript.get(unit.transcript, ()), unit, min_share) is not None
                for unit in units
            ]
        )
    return UnitValues(coders, units, _rows(columns, len(units)), ())


@dataclass(frozen=True)
class UnitTable(Generic[T]):
    """Units checked once and kept as arrays per transcript, for ``presence_counts``."""

    text_lengths: Mapping[T, int]
    arrays: Mapping[T, tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]

    @property
    def n_units(self) -> int:
        return sum(len(starts) for starts, _ in self.arrays.values())


def unit_table(
    text_lengths: Mapping[T, int], unit_spans: Mapping[T, Sequence[tuple[int, int]]]
) -> UnitTable[T]:
    """Check the units against the texts once, in the order ``presence_values`` uses."""
    arrays = {}
    for transcript, spans in unit_spans.items():
        if transcript not in text_lengths:
            raise InvalidInput(f"units given for transcript {transcript} without a text length")
        ordered = sorted(spans)
        for start, end in ordered:
            validate_span(start, end, text_lengths[transcript], f"transcript {transcript}")
        arrays[transcript] = (
            np.array([s for s, _ in ordered], dtype=np.int64),
            np.array([e for _, e in ordered], dtype=np.int64),
        )
    return UnitTable(text_lengths, arrays)


def presence_counts(
    units: UnitTable[T],
    coder_spans: Mapping[C, Mapping[T, Iterable[tuple[int, int]]]],
    *,
    min_share: float = 0.0,
) -> PairableValues:
    """The same presence values as ``presence_values``, already counted per unit for α
    (categories ``False``/``True``), computed with arrays.

    Agreement over a whole project judges every code on every sentence for each coder
    (millions of unit × coder cells); counting covered characters with prefix sums over
    each coder's merged spans keeps that to a few array operations per transcript.
    """
    _check_share(min_share)
    coders = tuple(coder_spans)
    # The transcripts laid end to end (one character apart, so no span reaches the
    # next): one array operation per coder instead of one per transcript and coder,
    # and only the transcripts a coder coded are visited (most have none of a code).
    offsets: dict[T, int] = {}
    position = 0
    for transcript in units.arrays:
        offsets[transcript] = position
        position += units.text_lengths[transcript] + 1
    starts = np.concatenate(
        [units.arrays[t][0] + offsets[t] for t in offsets] or [np.zeros(0, np.int64)]
    )
    ends = np.concatenate(
        [units.arrays[t][1] + offsets[t] for t in offsets] or [np.zeros(0, np.int64)]
    )
    needed = np.maximum(min_share * (ends - starts), 1e-12)
    marked_all = np.zeros(len(starts), dtype=np.int64)
    for coder in coders:
        intervals: list[Interval] = []
        by_transcript = coder_spans[coder]
        for transcript in sorted(
            (t for t in by_transcript if t in offsets), key=offsets.__getitem__
        ):
            offset = offsets[transcript]
            intervals.extend(
                (start + offset, end + offset)
                for start, end in normalise_spans(
                    by_transcript[transcript],
                    units.text_lengths[transcript],
                    f"transcript {transcript}",
                    merge_touching=True,
                )
            )
        covered = _covered(intervals, ends) - _covered(intervals, starts)
        marked_all += (covered >= needed).astype(np.int64)
    counts = np.stack([len(coders) - marked_all, marked_all], axis=1)
    if len(coders) < 2:
        counts = counts[:0]
    used = [c for c, column in zip((False, True), counts.T, strict=True) if column.any()]
    columns = [i for i, column in enumerate(counts.T) if column.any()]
    return PairableValues(len(marked_all), tuple(used), counts[:, columns])


def _covered(
    intervals: Sequence[Interval], offsets: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Characters of the sorted, disjoint ``intervals`` that lie before each offset."""
    if not intervals:
        return np.zeros(len(offsets), dtype=np.int64)
    starts = np.array([s for s, _ in intervals], dtype=np.int64)
    lengths = np.array([e - s for s, e in intervals], dtype=np.int64)
    before = np.concatenate([[0], np.cumsum(lengths)])
    index = np.searchsorted(starts, offsets, side="right") - 1
    inside = np.clip(offsets - starts[np.maximum(index, 0)], 0, lengths[np.maximum(index, 0)])
    return np.where(index >= 0, before[np.maximum(index, 0)] + inside, 0)


@dataclass(frozen=True)
class UnitArrays:
    """Units on a ``SpanTable``'s continuum, sorted by start then end (as
    ``unit_table`` orders them within a transcript); ``reach[i]`` is the furthest
    end among units ``0..i``."""

    start: IntArray
    end: IntArray
    reach: IntArray

    def __len__(self) -> int:
        return len(self.start)


def unit_arrays(
    table: SpanTable,
    transcript: Sequence[int] | IntArray,
    start: Sequence[int] | IntArray,
    end: Sequence[int] | IntArray,
) -> UnitArrays:
    """Units ``[start, end)`` of the table's transcripts (indices into ``table.keys``),
    checked against their texts as ``unit_table`` checks them."""
    transcripts, starts, ends = (
        np.asarray(c, dtype=np.int64).reshape(-1) for c in (transcript, start, end)
    )
    if ((transcripts < 0) | (transcripts >= len(table.lengths))).any():
        raise InvalidInput("units given for a transcript without a text length")
    bad = np.flatnonzero((starts < 0) | (ends <= starts) | (ends > table.lengths[transcripts]))
    if bad.size:
        i = int(bad[0])
        t = int(transcripts[i])
        validate_span(
            int(starts[i]), int(ends[i]), int(table.lengths[t]), f"transcript {table.keys[t]}"
        )
    starts = starts + table.offsets[transcripts]
    ends = ends + table.offsets[transcripts]
    order = np.lexsort((ends, starts))
    starts, ends = starts[order], ends[order]
    reach = np.maximum.accumulate(ends) if len(ends) else ends
    return UnitArrays(starts, ends, reach)


def presence_kinds_per_code(
    table: SpanTable, units: UnitArrays, *, min_share: float = 0.0
) -> list[CountedKinds]:
    """``presence_counts`` for every code of ``table`` at once, as kinds of units.

    Only (coder, code, unit) triples where a merged span meets the unit are looked
    at (``covered_units``), and the same share decides whether they mark it. A
    code's kinds are "k of the m coders marked the unit", k = 0..m.
    """
    m, n_units = table.n_coders, len(units)
    code_units, coders_marking = _marking(table, units, min_share)
    histogram = np.zeros((table.n_codes, m + 1), dtype=np.int64)
    np.add.at(histogram, (code_units // max(n_units, 1), coders_marking), 1)
    histogram[:, 0] = n_units - histogram[:, 1:].sum(axis=1)
    if m < 2:
        # one coder's values are not pairable: α has no units at all
        empty = np.zeros((0, 0), dtype=np.int64)
        return [CountedKinds(n_units, (), empty, np.zeros(0, np.int64))] * table.n_codes
    marking = np.arange(m + 1)
    rows = np.stack([m - marking, marking], axis=1)
    found = []
    for frequencies in histogram:
        seen = frequencies > 0
        used = [c for c, column in zip((False, True), rows[seen].T, strict=True) if column.any()]
        columns = [i for i, column in enumerate(rows[seen].T) if column.any()]
        found.append(counted_kinds(n_units, used, rows[:, columns], frequencies))
    return found


def presence_marks_per_code(
    table: SpanTable, units: UnitArrays, *, min_share: float = 0.0
) -> npt.NDArray[np.int64]:
    """How many coders mark each unit with each code: shape (codes, units), units in
    ``units``' order (``presence_values``' unit order)."""
    code_units, coders_marking = _marking(table, units, min_share)
    marks = np.zeros(table.n_codes * len(units), dtype=np.int64)
    marks[code_units] = coders_marking
    return marks.reshape(table.n_codes, len(units))


def presence_fleiss(marks: npt.NDArray[np.int64], coders: int) -> FleissKappa:
    """``fleiss_kappa`` of one code's presence values, from how many of the ``coders``
    marked each unit (``presence_marks_per_code``): every unit has every coder's
    value, so it is a unit of ``coders`` ratings, ``False`` or ``True``."""
    n = coders if len(marks) else 0
    histogram = np.bincount(marks, minlength=n + 1)
    categories = tuple(
        c for c, seen in ((False, histogram[:n].any()), (True, histogram[1:].any())) if seen
    )
    rows = [
        tuple(count for c, count in ((False, n - k), (True, k)) if c in categories)
        for k in range(n + 1)
    ]
    seen = np.flatnonzero(histogram).tolist()
    return fleiss_kappa_of_kinds(
        [rows[k] for k in seen],
        [int(histogram[k]) for k in seen],
        tuple(map(rows.__getitem__, marks.tolist())),
        categories,
        raters_per_unit=n,
    )


def _marking(table: SpanTable, units: UnitArrays, min_share: float) -> tuple[IntArray, IntArray]:
    """The (code × units + unit) cells some coder marks, and how many coders mark each."""
    _check_share(min_share)
    group, unit, covered = covered_units(table, units)
    marked = covered >= marking_share(units, min_share)[unit]
    cells, coders = np.unique(
        (group[marked] // max(table.n_coders, 1)) * len(units) + unit[marked], return_counts=True
    )
    return cells, coders


def covered_units(table: SpanTable, units: UnitArrays) -> tuple[IntArray, IntArray, IntArray]:
    """Every (group, unit) where a merged span of the group meets the unit, with the
    characters of the unit the group's spans cover (group = code × coders + coder).

    A span ``[s, e)`` can meet the units from the first whose furthest end so far
    passes ``s`` to the last that starts before ``e``; a unit's covered characters are
    a difference of prefix sums over the merged spans, as in ``presence_counts``.
    """
    n_units = len(units)
    spans = by_coder(table, merge_touching=True)
    on_continuum = spans.group * table.stride
    low = np.searchsorted(units.reach, spans.key_start - on_continuum, side="right")
    high = np.searchsorted(units.start, spans.key_end - on_continuum, side="left")
    owner, unit = expand_ranges(low, high)
    # two spans of one coder can meet one unit: each (group, unit) once
    pairs = np.unique(spans.group[owner] * n_units + unit)
    group, unit = pairs // max(n_units, 1), pairs % max(n_units, 1)
    base = group * table.stride
    covered = _covered_keys(spans, base + units.end[unit]) - _covered_keys(
        spans, base + units.start[unit]
    )
    return group, unit, covered


def marking_share(units: UnitArrays, min_share: float) -> npt.NDArray[np.float64]:
    """The characters each unit needs covered to be marked (``presence_counts``'s rule:
    any overlap, or at least ``min_share`` of the unit)."""
    return np.maximum(min_share * (units.end - units.start), 1e-12)


def _covered_keys(spans: Merged, keys: IntArray) -> IntArray:
    """Characters of the merged spans that lie before each key (see ``_covered``)."""
    if not len(spans.key_start):
        return np.zeros(len(keys), dtype=np.int64)
    lengths = spans.key_end - spans.key_start
    before = np.concatenate(([0], np.cumsum(lengths)))
    index = np.searchsorted(spans.key_start, keys, side="right") - 1
    safe = np.maximum(index, 0)
    inside = np.clip(keys - spans.key_start[safe], 0, lengths[safe])
    return np.where(index >= 0, before[safe] + inside, 0)


def exclusive_group_values(
    group: Sequence[G],
    text_lengths: Mapping[T, int],
    unit_spans: Mapping[T, Sequence[tuple[int, int]]],
    coder_codings: Mapping[C, Mapping[T, Iterable[tuple[G, int, int]]]],
    *,
    min_share: float = 0.0,
) -> UnitValues[T, C, G]:
    """The code of a mutually exclusive ``group`` each coder applied to each unit.

    ``coder_codings`` gives each coder's ``(code, start, end)`` codings per transcript.
    A unit a coder marked with no code of the group is *missing* (``None``) for that
    coder: "not coded" is not a category of the variable. When a coder marked a unit
    with two or more codes of the group, the code covering more of the unit's
    characters is kept (the earlier code in ``group`` on a tie) and the case is
    listed in ``conflicts``.
    """
    _check_share(min_share)
    order = {code: i for i, code in enumerate(group)}
    if len(order) != len(group):
        raise InvalidInput("a code is listed twice in the exclusive group")
    units = _units(text_lengths, unit_spans)
    coders = tuple(coder_codings)
    columns = []
    conflicts: list[GroupConflict[C, G]] = []
    for coder in coders:
        per_code = _spans_per_code(coder_codings[coder], order)
        spans = {code: _normalised(text_lengths, per_code[code]) for code in group}
        column: list[G | None] = []
        for index, unit in enumerate(units):
            marked = []
            for code in group:
                covered = _marks(spans[code].get(unit.transcript, ()), unit, min_share)
                if covered is not None:
                    marked.append((covered, code))
            if not marked:
                column.append(None)
                continue
            # max() keeps the first of equal maxima, i.e. the earlier code of the group.
            chosen = max(marked, key=lambda pair: pair[0])[1]
            if len(marked) > 1:
                conflicts.append(GroupConflict(index, coder, tuple(c for _, c in marked), chosen))
            column.append(chosen)
        columns.append(column)
    return UnitValues(coders, units, _rows(columns, len(units)), tuple(conflicts))


def confusion_matrix(
    values: UnitValues[T, C, V],
    coder_a: C,
    coder_b: C,
    categories: Sequence[V] | None = None,
) -> ConfusionMatrix[V]:
    """Cross-tabulate two coders' unit values (rows ``coder_a``, columns ``coder_b``).

    ``categories`` fixes the rows and columns (pass the group to show codes nobody
    used); by default they are the values the two coders gave.
    """
    a, b = values.coders.index(coder_a), values.coders.index(coder_b)
    pairs = [(row[a], row[b]) for row in values.values]
    if categories is None:
        labels = ordered_categories(v for pair in pairs for v in pair if v is not None)
    else:
        labels = tuple(categories)
    index = {category: i for i, category in enumerate(labels)}
    counts = [[0] * len(labels) for _ in labels]
    missing_a = missing_b = missing_both = 0
    for value_a, value_b in pairs:
        if value_a is None and value_b is None:
            missing_both += 1
        elif value_a is None:
            missing_a += 1
        elif value_b is None:
            missing_b += 1
        else:
            if value_a not in index or value_b not in index:
                raise InvalidInput(f"{value_a!r} or {value_b!r} is not among the categories")
            counts[index[value_a]][index[value_b]] += 1
    return ConfusionMatrix(labels, tuple(map(tuple, counts)), missing_a, missing_b, missing_both)


def _check_share(min_share: float) -> None:
    if not 0 <= min_share <= 1:
        raise InvalidInput(f"min_share must lie between 0 and 1 (got {min_share})")


def _units(
    text_lengths: Mapping[T, int], unit_spans: Mapping[T, Sequence[tuple[int, int]]]
) -> tuple[Unit[T], ...]:
    """Every unit in transcript order, then by position; checked against the text."""
    units = []
    for transcript, spans in unit_spans.items():
        if transcript not in text_lengths:
            raise InvalidInput(f"units given for transcript {transcript} without a text length")
        # Units are validated but not merged: two overlapping units stay two units.
        for start, end in sorted(spans):
            validate_span(start, end, text_lengths[transcript], f"transcript {transcript}")
            units.append(Unit(transcript, start, end))
    return tuple(units)


def _normalised(
    text_lengths: Mapping[T, int], spans: Mapping[T, Iterable[tuple[int, int]]]
) -> dict[T, tuple[Interval, ...]]:
    """One coder's spans per transcript, validated and with overlaps merged."""
    unknown = [t for t in spans if t not in text_lengths]
    if unknown:
        raise InvalidInput(f"spans given for transcripts without a text length: {unknown}")
    return {
        t: normalise_spans(s, text_lengths[t], f"transcript {t}", merge_touching=True)
        for t, s in spans.items()
    }


def _spans_per_code(
    codings: Mapping[T, Iterable[tuple[G, int, int]]], order: Mapping[G, int]
) -> dict[G, dict[T, list[tuple[int, int]]]]:
    """Regroup ``(code, start, end)`` codings by code, refusing codes outside the group."""
    per_code: dict[G, dict[T, list[tuple[int, int]]]] = {code: defaultdict(list) for code in order}
    for transcript, found in codings.items():
        for code, start, end in found:
            if code not in order:
                raise InvalidInput(f"code {code!r} is not in the exclusive group")
            per_code[code][transcript].append((start, end))
    return per_code


def _marks(intervals: Sequence[Interval], unit: Unit[T], min_share: float) -> int | None:
    """Characters of ``unit`` the intervals cover, or ``None`` if they do not mark it."""
    covered = covered_within(intervals, unit.start, unit.end)
    if covered == 0 or covered < min_share * (unit.end - unit.start):
        return None
    return covered


def _rows(columns: Sequence[Sequence[V | None]], n_units: int) -> tuple[tuple[V | None, ...], ...]:
    """Coder columns turned into unit rows."""
    return tuple(tuple(column[u] for column in columns) for u in range(n_units))
