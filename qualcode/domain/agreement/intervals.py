"""A coder's spans on one transcript as sorted, disjoint ``[start, end)`` intervals.

Every agreement statistic starts here: spans are checked against the text, sorted,
and a coder's own overlapping spans are merged so that no character is counted twice.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence

from qualcode.domain.spans import validate_span

Interval = tuple[int, int]


def normalise_spans(
    spans: Iterable[tuple[int, int]],
    text_length: int,
    where: str,
    *,
    merge_touching: bool,
) -> tuple[Interval, ...]:
    """Validate ``spans`` against a text of ``text_length`` and merge overlapping ones.

    ``merge_touching`` also joins spans that abut (``[0, 5)`` and ``[5, 9)``). Counting
    characters does not care, but unitizing does: two abutting units are two units with
    a boundary between them, so callers that measure boundaries pass ``False``.
    Raises ``InvalidSpan`` naming ``where`` for a span outside the text.
    """
    checked = sorted(
        (s.start, s.end) for s in (validate_span(a, b, text_length, where) for a, b in spans)
    )
    merged: list[Interval] = []
    for start, end in checked:
        if merged:
            last_start, last_end = merged[-1]
            joins = start <= last_end if merge_touching else start < last_end
            if joins:
                merged[-1] = (last_start, max(last_end, end))
                continue
        merged.append((start, end))
    return tuple(merged)


def total_length(intervals: Iterable[Interval]) -> int:
    """Characters covered by disjoint intervals."""
    return sum(end - start for start, end in intervals)


def covered_within(intervals: Sequence[Interval], start: int, end: int) -> int:
    """Characters of ``[start, end)`` covered by sorted, disjoint ``intervals``."""
    # Only intervals starting before ``end`` can reach into the range; walk back from
    # the last of them until the intervals end before ``start``.
    covered = 0
    index = bisect_right(intervals, (end, end)) - 1
    while index >= 0:
        a, b = intervals[index]
        if b <= start:
            break
        covered += max(0, min(b, end) - max(a, start))
        index -= 1
    return covered


def intersection_length(first: Sequence[Interval], second: Sequence[Interval]) -> int:
    """Characters covered by both sorted, disjoint interval lists."""
    both, i, j = 0, 0, 0
    while i < len(first) and j < len(second):
        (a_start, a_end), (b_start, b_end) = first[i], second[j]
        both += max(0, min(a_end, b_end) - max(a_start, b_start))
        # Advance whichever interval ends first: it cannot meet anything further on.
        if a_end <= b_end:
            i += 1
        else:
            j += 1
    return both
