"""Span validation and overlap arithmetic."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.domain.errors import InvalidSpan
from qualcode.domain.spans import Span, covered_length, validate_span


def test_a_valid_span() -> None:
    assert validate_span(0, 10, 10, "t") == Span(0, 10)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (-1, 3, "negative"),
        (3, 3, "greater than start"),
        (4, 2, "greater than start"),
        (0, 11, "past the end of t, which has 10 characters"),
    ],
)
def test_invalid_spans_name_the_broken_rule(start: int, end: int, message: str) -> None:
    with pytest.raises(InvalidSpan, match=message):
        validate_span(start, end, 10, "t")


def test_overlap_and_containment() -> None:
    assert Span(0, 5).overlaps(Span(4, 9))
    assert not Span(0, 5).overlaps(Span(5, 9))  # half-open: touching is not overlapping
    assert Span(2, 4).contains(2) and not Span(2, 4).contains(4)


spans = st.lists(
    st.tuples(st.integers(0, 200), st.integers(1, 50)).map(lambda t: (t[0], t[0] + t[1]))
)


@given(spans)
def test_covered_length_counts_each_character_once(found: list[tuple[int, int]]) -> None:
    brute = len({i for start, end in found for i in range(start, end)})
    assert covered_length(found) == brute


intervals = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 15)).map(lambda t: (t[0], t[0] + t[1])), max_size=8
)


def chars(spans: object) -> set[int]:
    return {i for start, end in spans for i in range(start, end)}  # type: ignore[attr-defined]


@given(intervals, intervals)
def test_interval_set_operations_match_sets_of_characters(
    a: list[tuple[int, int]], b: list[tuple[int, int]]
) -> None:
    from qualcode.domain.spans import complement, intersect, merge, subtract

    ma, mb = merge(a), merge(b)
    assert chars(ma) == chars(a)
    assert all(s < e for s, e in ma) and all(ma[k][1] <= ma[k + 1][0] for k in range(len(ma) - 1))
    assert chars(intersect(ma, mb)) == chars(a) & chars(b)
    assert chars(subtract(ma, mb)) == chars(a) - chars(b)
    assert chars(complement(ma, 80)) == set(range(80)) - chars(a)
    assert chars(merge(list(ma) + list(mb))) == chars(a) | chars(b)
