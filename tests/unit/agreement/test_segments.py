"""Segment view: one-to-one matching of two coders' segments by IoU."""

from __future__ import annotations

import pytest

from qualcode.domain.agreement.segments import (
    NO_SEGMENTS,
    SegmentMatch,
    intersection_over_union,
    match_segments,
)
from qualcode.domain.errors import InvalidInput


def test_intersection_over_union() -> None:
    assert intersection_over_union((0, 10), (0, 10)) == 1.0
    assert intersection_over_union((0, 10), (1, 10)) == 0.9
    assert intersection_over_union((0, 10), (5, 15)) == 5 / 15
    assert intersection_over_union((0, 10), (10, 20)) == 0.0


def test_matches_unmatched_and_percent() -> None:
    result = match_segments(
        {"t1": 100, "t2": 100},
        {"t1": [(0, 10), (20, 40), (60, 70)], "t2": [(0, 50)]},
        {"t1": [(1, 10), (20, 30), (80, 90)], "t2": [(0, 50)]},
    )
    assert result.matches == (
        SegmentMatch("t2", (0, 50), (0, 50), 1.0),
        SegmentMatch("t1", (0, 10), (1, 10), 0.9),
    )
    assert result.unmatched_a == (("t1", (20, 40)), ("t1", (60, 70)))
    assert result.unmatched_b == (("t1", (20, 30)), ("t1", (80, 90)))
    assert (result.n_a, result.n_b) == (4, 4)
    assert result.percent_matched == 50.0


def test_greedy_takes_the_best_pair_first_and_matches_one_to_one() -> None:
    # B's (0, 20) has IoU 0.6 with A's (0, 12) and 0.4 with A's abutting (12, 20):
    # both clear 0.3, the better pair wins and (12, 20) stays unmatched.
    result = match_segments({"t": 50}, {"t": [(12, 20), (0, 12)]}, {"t": [(0, 20)]}, min_iou=0.3)
    assert result.matches == (SegmentMatch("t", (0, 12), (0, 20), 0.6),)
    assert result.unmatched_a == (("t", (12, 20)),)
    assert result.percent_matched == pytest.approx(100 * 2 / 3)


def test_a_coders_overlapping_spans_are_one_segment() -> None:
    result = match_segments({"t": 50}, {"t": [(0, 18), (0, 20), (5, 9)]}, {"t": [(0, 20)]})
    assert result.n_a == 1 and result.matches == (SegmentMatch("t", (0, 20), (0, 20), 1.0),)


def test_a_lower_threshold_matches_more() -> None:
    spans_a, spans_b = {"t": [(0, 10)]}, {"t": [(5, 15)]}
    assert match_segments({"t": 20}, spans_a, spans_b).matches == ()
    assert len(match_segments({"t": 20}, spans_a, spans_b, min_iou=0.3).matches) == 1


def test_no_segments_is_undefined() -> None:
    result = match_segments({"t": 20}, {}, {})
    assert (result.percent_matched, result.reason) == (None, NO_SEGMENTS)


def test_bad_threshold_is_refused() -> None:
    with pytest.raises(InvalidInput, match="min_iou"):
        match_segments({"t": 20}, {}, {}, min_iou=0.0)
