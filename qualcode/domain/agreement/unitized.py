"""Krippendorff's unitizing α, |_u α|: agreement on where one code's units begin and end.

Each coder cuts the continuum (the transcripts laid end to end) into *units* (spans
coded with the code) and *gaps* (everything else). Coders disagree by how far their
units' boundaries lie apart, and by units one coder placed where another saw only a
gap. This is the binary form, one code at a time: coded versus not coded.

Conventions: a coder's overlapping spans are merged into one unit, but two abutting
spans stay two units, because the boundary between them is something coders can
disagree about. Sections never cross a transcript boundary: a gap ends where its
transcript ends.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import accumulate, combinations
from typing import Generic, NamedTuple, TypeVar

import numpy as np
import numpy.typing as npt

from qualcode.domain.agreement.intervals import Interval, normalise_spans
from qualcode.domain.agreement.spantable import (
    IntArray,
    Merged,
    SpanTable,
    by_coder,
    expand_ranges,
    overlapping_units,
    sum_by,
)
from qualcode.domain.errors import InvalidInput

T = TypeVar("T", bound=Hashable)  # a transcript key
C = TypeVar("C", bound=Hashable)  # a coder key

VARIANT = "Krippendorff 1995/2004 |u-alpha| (binary: coded vs not coded)"
TOO_FEW_CODERS = "fewer than two coders"
NO_TEXT = "no text: the transcripts have no characters"
NO_UNITS = "no units: no coder applied the code"
NO_VARIATION = "no variation: the expected disagreement is zero"


class Section(NamedTuple):
    """A stretch of one coder's continuum: a unit (coded) or a gap (not coded)."""

    start: int
    end: int
    is_unit: bool

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class UnitizedAlpha(Generic[C]):
    """|_u α| with the counts behind it.

    ``continuum_length`` is L, ``n_units`` is N (units of all coders together) and
    ``units_per_coder`` follows ``coders``. ``value`` is ``None`` exactly when
    ``reason`` says why.
    """

    value: float | None
    reason: str | None
    variant: str
    coders: tuple[C, ...]
    continuum_length: int
    n_units: int
    units_per_coder: tuple[int, ...]
    observed_disagreement: float | None
    expected_disagreement: float | None


def unitized_alpha(
    text_lengths: Mapping[T, int],
    coder_spans: Mapping[C, Mapping[T, Iterable[tuple[int, int]]]],
) -> UnitizedAlpha[C]:
    """|_u α| = 1 − _u D_o / _u D_e for one code over the transcripts in ``text_lengths``.

    Sources: Krippendorff, K. (1995). "On the reliability of unitizing continuous
    data." Sociological Methodology 25:47–76; Krippendorff, K. (2004). *Content
    Analysis: An Introduction to Its Methodology*, 2nd ed., Sage — the section on
    unitizing reliability (worked example p. 254), whose formulas are used here.
    With m coders, continuum length L, section g of coder i beginning at b_ig, of
    length l_ig, w_ig = 1 for a unit and 0 for a gap:

    _u D_o = Σ_i Σ_{j≠i} Σ_g Σ_h δ²_{ig,jh} / (m (m − 1) L²), where δ²_{ig,jh} is
      (b_ig − b_jh)² + (b_ig + l_ig − b_jh − l_jh)² for two overlapping units;
      l_ig² for unit ig lying inside gap jh; l_jh² for unit jh inside gap ig;
      0 otherwise.

    _u D_e = (2/L) Σ_i Σ_g w_ig [ (N − 1)(2l³ − 3l² + l)/3
                                   + l² Σ_j Σ_h (1 − w_jh)(l_jh − l + 1)·[l_jh ≥ l] ]
             / ( mL (mL − 1) − Σ_i Σ_g w_ig l_ig (l_ig − 1) ),  l = l_ig,
    N being the number of units of all coders: the disagreement expected if each
    unit were placed at random into the coders' continua.

    Krippendorff, Mathet, Bouvry & Widlöcher (2016, Quality & Quantity 50:2347–2364)
    report that this definition misbehaves with more than two coders; it is computed
    for any m ≥ 2 as defined, and the result names the variant.

    Undefined (``value=None``): fewer than two coders; no text; no units (_u D_e = 0).
    """
    coders = tuple(coder_spans)
    length = sum(text_lengths.values())
    sections = {coder: _sections(text_lengths, coder_spans[coder]) for coder in coders}
    units_per_coder = tuple(
        sum(s.is_unit for per_text in sections[c].values() for s in per_text) for c in coders
    )
    n_units = sum(units_per_coder)
    m = len(coders)
    value: float | None = None
    observed: Fraction | None = None
    expected: Fraction | None = None
    if m < 2:
        reason: str | None = TOO_FEW_CODERS
    elif length == 0:
        reason = NO_TEXT
    elif n_units == 0:
        reason = NO_UNITS
    else:
        # Integers throughout: every term is whole, so α is exact until the last step.
        pair_sum = sum(
            _pair_disagreement(sections[a].get(t, ()), sections[b].get(t, ()))
            for a, b in combinations(coders, 2)
            for t in text_lengths
        )
        # δ² is symmetric in the two coders: ordered pairs are twice the unordered ones.
        observed = Fraction(2 * pair_sum, m * (m - 1) * length**2)
        expected = _expected_disagreement(
            [s for c in coders for per_text in sections[c].values() for s in per_text], m, length
        )
        reason = NO_VARIATION if expected == 0 else None
        value = None if expected == 0 else float(1 - observed / expected)
    return UnitizedAlpha(
        value=value,
        reason=reason,
        variant=VARIANT,
        coders=coders,
        continuum_length=length,
        n_units=n_units,
        units_per_coder=units_per_coder,
        observed_disagreement=None if observed is None else float(observed),
        expected_disagreement=None if expected is None else float(expected),
    )


def _sections(
    text_lengths: Mapping[T, int], spans: Mapping[T, Iterable[tuple[int, int]]]
) -> dict[T, tuple[Section, ...]]:
    """Each transcript cut into one coder's units and the gaps between them."""
    unknown = [t for t in spans if t not in text_lengths]
    if unknown:
        raise InvalidInput(f"spans given for transcripts without a text length: {unknown}")
    result = {}
    for transcript, text_length in text_lengths.items():
        units = normalise_spans(
            spans.get(transcript, ()), text_length, f"transcript {transcript}", merge_touching=False
        )
        result[transcript] = _partition(units, text_length)
    return result


def _partition(units: Sequence[Interval], text_length: int) -> tuple[Section, ...]:
    """Sorted, disjoint units and the gaps that fill the rest of ``[0, text_length)``."""
    sections: list[Section] = []
    reach = 0
    for start, end in units:
        if start > reach:
            sections.append(Section(reach, start, False))
        sections.append(Section(start, end, True))
        reach = end
    if reach < text_length:
        sections.append(Section(reach, text_length, False))
    return tuple(sections)


def _pair_disagreement(first: Sequence[Section], second: Sequence[Section]) -> int:
    """Σ_g Σ_h δ²_{g,h} between two coders' sections of one transcript.

    Both lists partition the same text, so a sweep meets every overlapping pair once;
    pairs that do not overlap contribute nothing under any case of δ².
    """
    total, i, j = 0, 0, 0
    while i < len(first) and j < len(second):
        g, h = first[i], second[j]
        total += _squared_difference(g, h)
        if g.end <= h.end:
            i += 1
        if h.end <= g.end:
            j += 1
    return total


def _squared_difference(g: Section, h: Section) -> int:
    """δ²_{g,h} for two overlapping sections of different coders."""
    if g.is_unit and h.is_unit:
        return (g.start - h.start) ** 2 + (g.end - h.end) ** 2
    if g.is_unit and not h.is_unit and h.start <= g.start and g.end <= h.end:
        return g.length**2
    if h.is_unit and not g.is_unit and g.start <= h.start and h.end <= g.end:
        return h.length**2
    return 0


def _expected_disagreement(sections: Sequence[Section], m: int, length: int) -> Fraction:
    """_u D_e from every coder's sections (see ``unitized_alpha``)."""
    unit_lengths = [s.length for s in sections if s.is_unit]
    gaps = sorted(s.length for s in sections if not s.is_unit)
    # Suffix sums of the sorted gaps give Σ over gaps at least l long in O(log n).
    after = [0, *accumulate(reversed(gaps))][::-1]
    n_units = len(unit_lengths)
    numerator = 0
    for size in unit_lengths:
        # l(l − 1)(2l − 1) = 2l³ − 3l² + l is six times a sum of squares, so /3 is exact.
        placements = (n_units - 1) * size * (size - 1) * (2 * size - 1) // 3
        first_long_gap = bisect_left(gaps, size)
        long_gaps = len(gaps) - first_long_gap
        room = after[first_long_gap] - (size - 1) * long_gaps
        numerator += placements + size * size * room
    denominator = m * length * (m * length - 1) - sum(size * (size - 1) for size in unit_lengths)
    return Fraction(2 * numerator, length * denominator)


def unitized_alpha_per_code(table: SpanTable, coders: Sequence[C]) -> list[UnitizedAlpha[C]]:
    """``unitized_alpha`` for every code of ``table`` at once (``coders`` names the
    table's coders in order), with the same exact integers and so the same figures.

    Observed: two coders' sections partition each transcript, so the pairs the sweep
    of ``_pair_disagreement`` meets are exactly the pairs that share characters. For
    coders a and b that is: every unit of a overlapping a unit of b, with
    (b_g − b_h)² + (e_g − e_h)²; every unit of one coder overlapping no unit of the
    other, which then lies inside one of the other's gaps, with its length²; pairs of
    gaps and a unit partly in a gap add nothing.

    Expected: a coder's gaps in a transcript where they placed no unit of the code are
    the whole transcript, so the gaps at least l long are m times the transcripts at
    least l long, plus the gaps between units of the transcripts a coder did code,
    minus those transcripts' whole lengths.
    """
    m, length = table.n_coders, table.total_length
    if len(coders) != m:
        raise InvalidInput("name every coder of the table")
    units = by_coder(table, merge_touching=False)
    code_of = units.group // max(m, 1)
    per_coder = np.bincount(units.group, minlength=table.n_groups).reshape(table.n_codes, m)
    pair_sums = [0] * table.n_codes
    numerators = [0] * table.n_codes
    unit_squares = [0] * table.n_codes
    if m >= 2 and length and len(units.group):
        for a, b in combinations(range(m), 2):
            for code, total in enumerate(_pair_sums(table, units, code_of, a, b)):
                pair_sums[code] += total
        numerators, unit_squares = _expected_parts(table, units, code_of, per_coder.sum(axis=1))
    found = []
    for code in range(table.n_codes):
        counts = tuple(int(n) for n in per_coder[code])
        n_units = sum(counts)
        value: float | None = None
        observed: Fraction | None = None
        expected: Fraction | None = None
        if m < 2:
            reason: str | None = TOO_FEW_CODERS
        elif length == 0:
            reason = NO_TEXT
        elif n_units == 0:
            reason = NO_UNITS
        else:
            observed = Fraction(2 * pair_sums[code], m * (m - 1) * length**2)
            denominator = m * length * (m * length - 1) - unit_squares[code]
            expected = Fraction(2 * numerators[code], length * denominator)
            reason = NO_VARIATION if expected == 0 else None
            value = None if expected == 0 else float(1 - observed / expected)
        found.append(
            UnitizedAlpha(
                value=value,
                reason=reason,
                variant=VARIANT,
                coders=tuple(coders),
                continuum_length=length,
                n_units=n_units,
                units_per_coder=counts,
                observed_disagreement=None if observed is None else float(observed),
                expected_disagreement=None if expected is None else float(expected),
            )
        )
    return found


def _pair_sums(table: SpanTable, units: Merged, code_of: IntArray, a: int, b: int) -> list[int]:
    """Σ δ² between coders a and b, per code (see ``unitized_alpha_per_code``)."""
    coder_of = units.group - code_of * table.n_coders
    terms: list[IntArray] = []
    codes: list[IntArray] = []
    for mine, other in ((a, b), (b, a)):
        own = np.flatnonzero(coder_of == mine)
        low, high = overlapping_units(table, units, own, other, coder_of)
        alone = own[low == high]
        terms.append(units.length[alone] ** 2)
        codes.append(code_of[alone])
        if mine == a:
            owner, partner = expand_ranges(low, high)
            g, h = own[owner], partner
            terms.append(
                (units.start[g] - units.start[h]) ** 2 + (units.end[g] - units.end[h]) ** 2
            )
            codes.append(code_of[g])
    return sum_by(np.concatenate(codes), np.concatenate(terms), table.n_codes)


def _expected_parts(
    table: SpanTable, units: Merged, code_of: IntArray, n_units: IntArray
) -> tuple[list[int], list[int]]:
    """Per code: the numerator of _u D_e before the factor 2, and Σ l(l − 1) over units."""
    gaps, gap_codes, frames, frame_codes = _gaps(table, units, code_of)
    whole = np.sort(table.lengths[table.lengths > 0])
    whole_after = np.concatenate((np.cumsum(whole[::-1])[::-1], [0]))
    lengths = units.length
    first = np.searchsorted(whole, lengths, side="left")
    # gaps at least l long: m × whole transcripts + gaps within coded ones − their frames
    long_sum = table.n_coders * whole_after[first]
    long_count = table.n_coders * (len(whole) - first)
    for values, codes, sign in ((gaps, gap_codes, 1), (frames, frame_codes, -1)):
        s, c = _at_least(values, codes, code_of, lengths, table.n_codes)
        long_sum = long_sum + sign * s
        long_count = long_count + sign * c
    room = (long_sum - (lengths - 1) * long_count).astype(object)
    size = lengths.astype(object)
    others = (n_units[code_of] - 1).astype(object)
    # l(l − 1)(2l − 1) = 2l³ − 3l² + l is six times a sum of squares, so /3 is exact
    numerator = others * size * (size - 1) * (2 * size - 1) // 3 + size * size * room
    return (
        _object_sums(code_of, numerator, table.n_codes),
        sum_by(code_of, lengths * (lengths - 1), table.n_codes),
    )


def _gaps(
    table: SpanTable, units: Merged, code_of: IntArray
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """The gaps of each (code, coder) inside the transcripts where it placed units, and
    the lengths of those transcripts (frames), each with its code."""
    n = len(units.group)
    frame = units.group * len(table.lengths) + units.transcript
    opens = np.ones(n, dtype=np.bool_)
    opens[1:] = frame[1:] != frame[:-1]
    closes = np.append(opens[1:], True)
    before = np.where(opens, units.start, units.start - np.roll(units.end, 1))
    after = table.lengths[units.transcript] - units.end
    gaps = np.concatenate((before, after[closes]))
    codes = np.concatenate((code_of, code_of[closes]))
    keep = gaps > 0
    frames = table.lengths[units.transcript[opens]]
    return gaps[keep], codes[keep], frames, code_of[opens]


def _at_least(
    values: IntArray, codes: IntArray, query_codes: IntArray, query: IntArray, n_codes: int
) -> tuple[IntArray, IntArray]:
    """Per query: the sum and the number of ``values`` of its code that are ≥ it."""
    big = int(max(values.max(initial=0), query.max(initial=0))) + 2
    keys = codes * big + values
    order = np.argsort(keys, kind="stable")
    keys, ordered = keys[order], values[order]
    cumulative = np.concatenate(([0], np.cumsum(ordered)))
    code_ends = np.searchsorted(keys, (np.arange(n_codes) + 1) * big, side="left")
    first = np.searchsorted(keys, query_codes * big + query, side="left")
    last = code_ends[query_codes]
    return cumulative[last] - cumulative[first], last - first


def _object_sums(groups: IntArray, values: npt.NDArray[np.object_], n: int) -> list[int]:
    totals = [0] * n
    for group, value in zip(groups.tolist(), values.tolist(), strict=True):
        totals[group] += value
    return totals
