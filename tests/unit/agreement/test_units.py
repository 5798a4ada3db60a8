"""Coded spans turned into unit values, exclusive groups and confusion matrices."""

from __future__ import annotations

import pytest

from qualcode.domain.agreement.cohen import cohen_kappa
from qualcode.domain.agreement.krippendorff import krippendorff_alpha
from qualcode.domain.agreement.units import (
    GroupConflict,
    Unit,
    confusion_matrix,
    exclusive_group_values,
    presence_values,
)
from qualcode.domain.errors import InvalidInput, InvalidSpan

LENGTHS = {"t": 30}
SENTENCES = {"t": [(10, 20), (0, 10), (20, 30)]}  # given out of order on purpose


def test_any_overlap_marks_a_unit_and_an_idle_coder_says_absent() -> None:
    spans = {"A": {"t": [(2, 4)]}, "B": {"t": [(0, 10), (18, 22)]}, "C": {}}
    result = presence_values(LENGTHS, SENTENCES, spans)
    assert result.coders == ("A", "B", "C")
    assert result.units == (Unit("t", 0, 10), Unit("t", 10, 20), Unit("t", 20, 30))
    assert result.values == (
        (True, True, False),
        (False, True, False),
        (False, True, False),
    )


def test_a_minimum_share_of_the_unit_must_be_covered() -> None:
    # A covers 2 of unit 0's 10 characters; B's [18,22) covers 2 of units 1 and 2.
    spans = {"A": {"t": [(2, 4)]}, "B": {"t": [(0, 10), (18, 22)]}}
    result = presence_values(LENGTHS, SENTENCES, spans, min_share=0.5)
    assert result.values == ((False, True), (False, False), (False, False))
    exactly = presence_values(LENGTHS, SENTENCES, spans, min_share=0.2)
    assert exactly.values[0] == (True, True)


def test_a_coders_overlapping_spans_count_once_towards_the_share() -> None:
    # [0,3) and [1,4) cover 4 characters, not 6: short of half of unit 0.
    spans = {"A": {"t": [(0, 3), (1, 4)]}, "B": {}}
    assert presence_values(LENGTHS, SENTENCES, spans, min_share=0.5).values[0] == (False, False)


def test_presence_values_feed_alpha() -> None:
    spans = {"A": {"t": [(0, 10)]}, "B": {"t": [(0, 10)]}}
    assert krippendorff_alpha(presence_values(LENGTHS, SENTENCES, spans).values).value == 1.0


GROUP = ["x", "y", "z"]
CODINGS = {
    # A: unit 0 has x over 10 characters and y over 3 → x, a conflict; unit 1 y;
    # unit 2 nothing → missing.
    "A": {"t": [("x", 0, 10), ("y", 5, 8), ("y", 12, 20)]},
    # B: unit 0 has y and z over 5 characters each → y, the earlier code (a conflict);
    # unit 1 y; unit 2 z.
    "B": {"t": [("y", 0, 5), ("z", 5, 10), ("y", 10, 20), ("z", 20, 30)]},
}


def test_exclusive_group_values_missing_and_conflicts() -> None:
    result = exclusive_group_values(GROUP, LENGTHS, SENTENCES, CODINGS)
    assert result.values == (("x", "y"), ("y", "y"), (None, "z"))
    assert result.conflicts == (
        GroupConflict(0, "A", ("x", "y"), "x"),
        GroupConflict(0, "B", ("y", "z"), "y"),
    )


def test_confusion_matrix_between_two_coders() -> None:
    values = exclusive_group_values(GROUP, LENGTHS, SENTENCES, CODINGS)
    matrix = confusion_matrix(values, "A", "B", GROUP)
    assert matrix.categories == ("x", "y", "z")
    assert matrix.counts == ((0, 1, 0), (0, 1, 0), (0, 0, 0))
    assert (matrix.missing_a_only, matrix.missing_b_only, matrix.missing_both) == (1, 0, 0)
    assert cohen_kappa(matrix.counts).value == 0.0
    # Without categories the table shows the values the two coders gave, missing or not.
    assert confusion_matrix(values, "A", "B").categories == ("x", "y", "z")
    wider = exclusive_group_values(["w", *GROUP], LENGTHS, SENTENCES, CODINGS)
    assert confusion_matrix(wider, "A", "B", ["w", *GROUP]).counts[0] == (0, 0, 0, 0)


def test_codes_outside_the_group_are_refused() -> None:
    with pytest.raises(InvalidInput, match="not in the exclusive group"):
        exclusive_group_values(GROUP, LENGTHS, SENTENCES, {"A": {"t": [("w", 0, 5)]}})


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(InvalidInput, match="min_share"):
        presence_values(LENGTHS, SENTENCES, {}, min_share=1.5)
    with pytest.raises(InvalidSpan):
        presence_values(LENGTHS, {"t": [(25, 35)]}, {})
    with pytest.raises(InvalidInput, match="without a text length"):
        presence_values(LENGTHS, SENTENCES, {"A": {"u": [(0, 1)]}})
