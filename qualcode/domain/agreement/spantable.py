"""Every code's spans at once, as arrays on one continuum.

Agreement over a whole project judges every code in every transcript: 40 codes over
1,000 transcripts is 40,000 (code, transcript) pairs, most of them with no span at all.
The per-code functions (``character_agreement``, ``presence_counts``,
``unitized_alpha``, ``match_segments``) walk those pairs one by one and stay the plain
reference; the ``*_per_code`` functions beside them compute the same figures for all
codes in a few array passes over a ``SpanTable``.

Layout: the transcripts are laid end to end, one character apart so that no span can
touch a span of the next transcript; each (code, coder) *group* gets its own copy of
that continuum, ``stride`` positions after the previous group's. A span's *key* is its
position on the copy of its group, so sorting keys sorts by group, then transcript,
then position, and sets of intervals of different groups never meet.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from qualcode.domain.errors import InvalidInput
from qualcode.domain.spans import validate_span

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class SpanTable:
    """Coded spans of ``n_codes`` codes by ``n_coders`` coders over some transcripts.

    Row ``i`` is a span ``[start[i], end[i])`` of code ``code[i]`` by coder
    ``coder[i]`` in transcript ``transcript[i]`` (indices into ``keys``/``lengths``,
    codes and coders numbered by the caller). Build it with ``span_table``, which
    checks every span against its text.
    """

    keys: tuple[Hashable, ...]  # the transcripts' own keys, for messages and results
    lengths: IntArray
    offsets: IntArray  # where each transcript begins on the continuum
    stride: int  # distance between two groups' copies of the continuum
    n_codes: int
    n_coders: int
    code: IntArray
    coder: IntArray
    transcript: IntArray
    start: IntArray
    end: IntArray

    @property
    def total_length(self) -> int:
        return int(self.lengths.sum())

    @property
    def n_groups(self) -> int:
        return self.n_codes * self.n_coders


def span_table(
    keys: Sequence[Hashable],
    lengths: Sequence[int] | IntArray,
    *,
    n_codes: int,
    n_coders: int,
    code: Sequence[int] | IntArray,
    coder: Sequence[int] | IntArray,
    transcript: Sequence[int] | IntArray,
    start: Sequence[int] | IntArray,
    end: Sequence[int] | IntArray,
) -> SpanTable:
    """Check the spans (``validate_span``'s rules and message) and lay them out."""
    text_lengths = np.asarray(lengths, dtype=np.int64).reshape(-1)
    if len(keys) != len(text_lengths) or (text_lengths < 0).any():
        raise InvalidInput("every transcript needs one text length, not negative")
    columns = [np.asarray(c, dtype=np.int64).reshape(-1) for c in (code, coder, transcript)]
    starts, ends = (np.asarray(c, dtype=np.int64).reshape(-1) for c in (start, end))
    codes, coders, transcripts = columns
    if len({len(c) for c in (*columns, starts, ends)}) != 1:
        raise InvalidInput("every span needs a code, a coder, a transcript, a start and an end")
    for name, values, bound in (
        ("code", codes, n_codes),
        ("coder", coders, n_coders),
        ("transcript", transcripts, len(text_lengths)),
    ):
        if ((values < 0) | (values >= bound)).any():
            raise InvalidInput(f"a span names a {name} outside 0..{bound - 1}")
    bad = np.flatnonzero((starts < 0) | (ends <= starts) | (ends > text_lengths[transcripts]))
    if bad.size:
        i = int(bad[0])
        t = int(transcripts[i])
        validate_span(int(starts[i]), int(ends[i]), int(text_lengths[t]), f"transcript {keys[t]}")
    offsets = np.concatenate(([0], np.cumsum(text_lengths + 1)[:-1])).astype(np.int64)
    continuum = int(offsets[-1] + text_lengths[-1]) if len(text_lengths) else 0
    return SpanTable(
        keys=tuple(keys),
        lengths=text_lengths,
        offsets=offsets,
        # more than the continuum's length, so a group's last end stays short of the
        # next group's first start even for spans that merge when they touch
        stride=continuum + 2,
        n_codes=n_codes,
        n_coders=n_coders,
        code=codes,
        coder=coders,
        transcript=transcripts,
        start=starts,
        end=ends,
    )


@dataclass(frozen=True)
class Merged:
    """Sorted, disjoint intervals per group, as keys (see the module docstring)."""

    group: IntArray
    transcript: IntArray
    start: IntArray  # within the transcript
    end: IntArray
    key_start: IntArray  # on the group's copy of the continuum; sorted
    key_end: IntArray  # sorted as well: intervals of one group do not overlap

    @property
    def length(self) -> IntArray:
        return self.end - self.start


def merged(table: SpanTable, group: IntArray, *, merge_touching: bool) -> Merged:
    """Each group's spans with overlaps merged, as ``normalise_spans`` merges them
    (``merge_touching`` also joins spans that abut); ``group`` numbers each span's
    group (any numbering: a code, or a code and a coder)."""
    base = group * table.stride + table.offsets[table.transcript]
    starts, ends = base + table.start, base + table.end
    order = np.lexsort((ends, starts))
    starts, ends = starts[order], ends[order]
    # the furthest end so far: a span joins the interval being built when it starts
    # before it (or at it, when touching spans merge)
    reach = np.maximum.accumulate(ends) if len(ends) else ends
    opens = np.ones(len(starts), dtype=np.bool_)
    if merge_touching:
        opens[1:] = starts[1:] > reach[:-1]
    else:
        opens[1:] = starts[1:] >= reach[:-1]
    first = np.flatnonzero(opens)
    last = np.append(first[1:] - 1, len(starts) - 1) if len(first) else first
    key_start, key_end = starts[first], reach[last]
    groups = key_start // table.stride
    position = key_start - groups * table.stride
    transcript = np.searchsorted(table.offsets, position, side="right") - 1
    offset = table.offsets[transcript] + groups * table.stride
    return Merged(
        group=groups,
        transcript=transcript,
        start=key_start - offset,
        end=key_end - offset,
        key_start=key_start,
        key_end=key_end,
    )


def by_coder(table: SpanTable, *, merge_touching: bool) -> Merged:
    """Each (code, coder)'s spans merged; group ``code * n_coders + coder``."""
    return merged(table, table.code * table.n_coders + table.coder, merge_touching=merge_touching)


def count_by(groups: IntArray, values: IntArray, n: int) -> IntArray:
    """Integer sums of ``values`` per group ``0..n-1`` for sums that stay far below
    2**53 (characters, counts): ``bincount`` adds them exactly as floats."""
    return np.bincount(groups, weights=values, minlength=n).astype(np.int64)


def sum_by(groups: IntArray, values: IntArray, n: int) -> list[int]:
    """Exact integer sums of ``values`` per group ``0..n-1`` (Python ints: a sum of
    squared lengths over a long corpus can pass what int64 holds)."""
    totals = [0] * n
    if len(values) == 0:
        return totals
    order = np.argsort(groups, kind="stable")
    sorted_groups = groups[order]
    bounds = np.searchsorted(sorted_groups, np.arange(n + 1))
    as_int = values[order].astype(object)
    for g in np.flatnonzero(np.diff(bounds)).tolist():
        totals[g] = int(as_int[bounds[g] : bounds[g + 1]].sum())
    return totals


def expand_ranges(low: IntArray, high: IntArray) -> tuple[IntArray, IntArray]:
    """For each ``i`` every index in ``[low[i], high[i])``: returns (i, index) pairs."""
    sizes = np.maximum(high - low, 0)
    owner = np.repeat(np.arange(len(low)), sizes)
    firsts = np.cumsum(sizes) - sizes
    return owner, low[owner] + np.arange(int(sizes.sum())) - firsts[owner]


def overlapping_units(
    table: SpanTable, units: Merged, first: IntArray, other: int, coder_of: IntArray
) -> tuple[IntArray, IntArray]:
    """For the units ``first`` (indices into ``units``): the first and one past the
    last unit of coder ``other`` (same code) sharing characters with each."""
    shift = (other - coder_of[first]) * table.stride
    low = np.searchsorted(units.key_end, units.key_start[first] + shift, side="right")
    high = np.searchsorted(units.key_start, units.key_end[first] + shift, side="left")
    return low, np.maximum(high, low)
