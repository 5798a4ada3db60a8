"""Span sets: validation, merging a coder's own spans, overlap arithmetic."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.domain.agreement.intervals import (
    covered_within,
    intersection_length,
    normalise_spans,
    total_length,
)
from qualcode.domain.errors import InvalidSpan

spans = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 20)).map(lambda t: (t[0], t[0] + t[1])),
    max_size=8,
)


def test_overlapping_spans_merge_and_touching_ones_merge_only_when_asked() -> None:
    found = [(5, 9), (0, 3), (2, 4), (9, 12)]
    assert normalise_spans(found, 20, "t", merge_touching=True) == ((0, 4), (5, 12))
    assert normalise_spans(found, 20, "t", merge_touching=False) == ((0, 4), (5, 9), (9, 12))


def test_a_span_past_the_text_names_the_transcript() -> None:
    with pytest.raises(InvalidSpan, match="past the end of transcript 7"):
        normalise_spans([(0, 11)], 10, "transcript 7", merge_touching=True)


@given(spans, st.booleans())
def test_merged_spans_cover_the_same_characters(
    found: list[tuple[int, int]], touching: bool
) -> None:
    merged = normalise_spans(found, 80, "t", merge_touching=touching)
    assert {i for a, b in merged for i in range(a, b)} == {i for a, b in found for i in range(a, b)}
    assert total_length(merged) == len({i for a, b in found for i in range(a, b)})


@given(spans, st.integers(0, 80), st.integers(0, 80))
def test_covered_within_counts_characters_of_the_range(
    found: list[tuple[int, int]], x: int, y: int
) -> None:
    start, end = min(x, y), max(x, y)
    merged = normalise_spans(found, 80, "t", merge_touching=False)
    expected = len({i for a, b in found for i in range(a, b)} & set(range(start, end)))
    assert covered_within(merged, start, end) == expected


@given(spans, spans)
def test_intersection_length_counts_characters_in_both(
    first: list[tuple[int, int]], second: list[tuple[int, int]]
) -> None:
    a = normalise_spans(first, 80, "t", merge_touching=True)
    b = normalise_spans(second, 80, "t", merge_touching=True)
    chars_a = {i for s, e in first for i in range(s, e)}
    chars_b = {i for s, e in second for i in range(s, e)}
    assert intersection_length(a, b) == len(chars_a & chars_b)
