"""Coded spans: half-open ``[start, end)`` ranges of code points in the canonical text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from qualcode.domain.errors import InvalidSpan


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A validated ``[start, end)`` range; ``end > start``."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, offset: int) -> bool:
        return self.start <= offset < self.end


def validate_span(start: int, end: int, text_length: int, where: str) -> Span:
    """Check ``0 <= start < end <= text_length`` and say exactly which rule broke.

    ``where`` names the transcript in the message.
    """
    if start < 0 or end < 0:
        raise InvalidSpan(f"offsets must not be negative (got {start}..{end})")
    if end <= start:
        raise InvalidSpan(f"end must be greater than start (got start {start}, end {end})")
    if end > text_length:
        raise InvalidSpan(
            f"span {start}..{end} runs past the end of {where}, which has {text_length} characters"
        )
    return Span(start, end)


def covered_length(spans: Iterable[tuple[int, int]]) -> int:
    """Characters covered by at least one span; overlapping spans count once."""
    total, reach = 0, 0
    for start, end in sorted(spans):
        if end <= reach:
            continue
        total += end - max(start, reach)
        reach = end
    return total


# Interval sets: sorted, disjoint, non-empty ``(start, end)`` pairs. Retrieval combines
# them (AND = intersection, OR = union, NOT = complement within a transcript).
Intervals = tuple[tuple[int, int], ...]


def merge(spans: Iterable[tuple[int, int]]) -> Intervals:
    """The union of ``spans`` as an interval set (overlapping spans joined, touching
    ones kept apart so two adjacent coded passages stay two passages)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def intersect(a: Intervals, b: Intervals) -> Intervals:
    """Characters in both interval sets."""
    out: list[tuple[int, int]] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return tuple(out)


def complement(a: Intervals, length: int) -> Intervals:
    """Characters of ``[0, length)`` not in ``a``."""
    out: list[tuple[int, int]] = []
    reach = 0
    for start, end in a:
        if start > reach:
            out.append((reach, start))
        reach = max(reach, end)
    if reach < length:
        out.append((reach, length))
    return tuple(out)


def subtract(a: Intervals, b: Intervals) -> Intervals:
    """Characters in ``a`` and not in ``b``."""
    length = max((end for _, end in a + b), default=0)
    return intersect(a, complement(b, length))
