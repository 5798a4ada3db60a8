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
