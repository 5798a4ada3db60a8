"""Segment view: which of two coders' segments of one code are "the same segment".

Two segments (in the same transcript) match when their intersection over union is at
least a threshold, 0.9 by default. Matching is one-to-one and greedy: the pair with
the highest IoU is matched first, then the best pair among the segments left, and so
on. A coder's own overlapping spans are merged into one segment first; abutting
spans stay separate segments.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np

from qualcode.domain.agreement.intervals import Interval, normalise_spans
from qualcode.domain.agreement.spantable import (
    SpanTable,
    by_coder,
    expand_ranges,
    overlapping_units,
)
from qualcode.domain.errors import InvalidInput

T = TypeVar("T", bound=Hashable)  # a transcript key

NO_SEGMENTS = "no segments: neither coder applied the code"


@dataclass(frozen=True, slots=True)
class SegmentMatch(Generic[T]):
    """A segment of coder A matched with one of coder B, and their IoU."""

    transcript: T
    segment_a: Interval
    segment_b: Interval
    iou: float


@dataclass(frozen=True, slots=True)
class SegmentMatching(Generic[T]):
    """Matched pairs and the segments left unmatched on each side.

    ``percent_matched`` is 100 · 2·matched / (n_a + n_b): the share of all segments,
    of both coders, that found a partner. ``None`` exactly when ``reason`` says why.
    """

    min_iou: float
    matches: tuple[SegmentMatch[T], ...]
    unmatched_a: tuple[tuple[T, Interval], ...]
    unmatched_b: tuple[tuple[T, Interval], ...]
    n_a: int
    n_b: int
    percent_matched: float | None
    reason: str | None


def intersection_over_union(a: Interval, b: Interval) -> float:
    """|a ∩ b| / |a ∪ b| for two non-empty intervals (0 when they do not overlap).

    Source: Jaccard, P. (1912). "The distribution of the flora in the alpine zone."
    New Phytologist 11(2):37–50 — the coefficient of community |A ∩ B| / |A ∪ B|,
    here on the sets of characters two segments cover.
    """
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return inter / ((a[1] - a[0]) + (b[1] - b[0]) - inter)


def match_segments(
    text_lengths: Mapping[T, int],
    spans_a: Mapping[T, Iterable[tuple[int, int]]],
    spans_b: Mapping[T, Iterable[tuple[int, int]]],
    *,
    min_iou: float = 0.9,
) -> SegmentMatching[T]:
    """Match A's and B's segments one-to-one, greedily by highest IoU ≥ ``min_iou``.

    Ties in IoU are broken by position (transcript order, then A's and B's starts) so
    the result does not depend on input order. Undefined ``percent_matched``: no
    segments on either side.
    """
    if not 0 < min_iou <= 1:
        raise InvalidInput(f"min_iou must be above 0 and at most 1 (got {min_iou})")
    unknown = (set(spans_a) | set(spans_b)) - set(text_lengths)
    if unknown:
        raise InvalidInput(
            f"spans given for transcripts without a text length: {sorted(map(str, unknown))}"
        )
    order = {t: i for i, t in enumerate(text_lengths)}
    segments_a = _segments(text_lengths, spans_a)
    segments_b = _segments(text_lengths, spans_b)
    candidates = sorted(
        (
            (-iou, order[t], a, b, t)
            for t in text_lengths
            for a in segments_a.get(t, ())
            for b in segments_b.get(t, ())
            if (iou := intersection_over_union(a, b)) >= min_iou
        ),
        key=lambda c: c[:4],
    )
    taken_a: set[tuple[T, Interval]] = set()
    taken_b: set[tuple[T, Interval]] = set()
    matches = []
    for negative_iou, _, a, b, t in candidates:
        if (t, a) in taken_a or (t, b) in taken_b:
            continue
        taken_a.add((t, a))
        taken_b.add((t, b))
        matches.append(SegmentMatch(t, a, b, -negative_iou))
    all_a = [(t, s) for t in text_lengths for s in segments_a.get(t, ())]
    all_b = [(t, s) for t in text_lengths for s in segments_b.get(t, ())]
    total = len(all_a) + len(all_b)
    return SegmentMatching(
        min_iou=min_iou,
        matches=tuple(matches),
        unmatched_a=tuple(x for x in all_a if x not in taken_a),
        unmatched_b=tuple(x for x in all_b if x not in taken_b),
        n_a=len(all_a),
        n_b=len(all_b),
        percent_matched=100 * 2 * len(matches) / total if total else None,
        reason=None if total else NO_SEGMENTS,
    )


def _segments(
    text_lengths: Mapping[T, int], spans: Mapping[T, Iterable[tuple[int, int]]]
) -> dict[T, tuple[Interval, ...]]:
    return {
        t: normalise_spans(found, text_lengths[t], f"transcript {t}", merge_touching=False)
        for t, found in spans.items()
    }


def match_segments_per_code(
    table: SpanTable, *, min_iou: float = 0.9
) -> list[SegmentMatching[Hashable]]:
    """``match_segments`` for every code of a two-coder ``table`` at once: the
    candidate pairs are the overlapping segments, found by binary search; the greedy
    choice runs over them alone, in the same order."""
    if not 0 < min_iou <= 1:
        raise InvalidInput(f"min_iou must be above 0 and at most 1 (got {min_iou})")
    if table.n_coders != 2:
        raise InvalidInput("segments are matched between exactly two coders")
    segments = by_coder(table, merge_touching=False)
    code_of, coder_of = segments.group // 2, segments.group % 2
    mine = np.flatnonzero(coder_of == 0)
    low, high = overlapping_units(table, segments, mine, 1, coder_of)
    owner, b = expand_ranges(low, high)
    a = mine[owner]
    inter = np.minimum(segments.end[a], segments.end[b]) - np.maximum(
        segments.start[a], segments.start[b]
    )
    iou = inter / (segments.length[a] + segments.length[b] - inter)
    good = iou >= min_iou
    a, b, iou = a[good], b[good], iou[good]
    # the reference's order: best IoU first, then transcript, A's and B's segment
    order = np.lexsort(
        (
            segments.end[b],
            segments.start[b],
            segments.end[a],
            segments.start[a],
            segments.transcript[a],
            -iou,
            code_of[a],
        )
    )
    keys = table.keys
    transcripts = segments.transcript.tolist()
    spans = list(zip(segments.start.tolist(), segments.end.tolist(), strict=True))
    taken: set[int] = set()
    matches: list[list[SegmentMatch[Hashable]]] = [[] for _ in range(table.n_codes)]
    for i, j, value, code in zip(
        a[order].tolist(),
        b[order].tolist(),
        iou[order].tolist(),
        code_of[a][order].tolist(),
        strict=True,
    ):
        if i in taken or j in taken:
            continue
        taken.add(i)
        taken.add(j)
        matches[code].append(SegmentMatch(keys[transcripts[i]], spans[i], spans[j], value))
    unmatched: list[tuple[list[tuple[Hashable, Interval]], ...]] = [
        ([], []) for _ in range(table.n_codes)
    ]
    n_side = np.zeros((table.n_codes, 2), dtype=np.int64)
    np.add.at(n_side, (code_of, coder_of), 1)
    for i, (code, coder) in enumerate(zip(code_of.tolist(), coder_of.tolist(), strict=True)):
        if i not in taken:
            unmatched[code][coder].append((keys[transcripts[i]], spans[i]))
    found = []
    for code in range(table.n_codes):
        n_a, n_b = (int(n) for n in n_side[code])
        total = n_a + n_b
        found.append(
            SegmentMatching(
                min_iou=min_iou,
                matches=tuple(matches[code]),
                unmatched_a=tuple(unmatched[code][0]),
                unmatched_b=tuple(unmatched[code][1]),
                n_a=n_a,
                n_b=n_b,
                percent_matched=100 * 2 * len(matches[code]) / total if total else None,
                reason=None if total else NO_SEGMENTS,
            )
        )
    return found
