"""Krippendorff's α against Krippendorff (2011) and the ``krippendorff`` package."""

from __future__ import annotations

import warnings
from collections.abc import Hashable

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.domain.agreement.krippendorff import (
    NO_PAIRABLE_UNITS,
    NO_VARIATION,
    Metric,
    krippendorff_alpha,
    summed_coincidences,
    unit_coincidences,
)
from qualcode.domain.errors import InvalidInput

N = None


def units(*coders: list[Hashable]) -> list[list[Hashable]]:
    """Coders' rows (as the paper prints them) turned into our units × coders matrix."""
    return [list(unit) for unit in zip(*coders, strict=True)]


# Krippendorff, K. (2011), "Computing Krippendorff's Alpha-Reliability", Annenberg
# School for Communication, University of Pennsylvania — example A, binary data, two
# observers, no missing data. The paper's coincidences: o_00 = 10, o_01 = o_10 = 4,
# o_11 = 2; α = 0.095. Checked against krippendorff.alpha (0.0952…).
BINARY_A = units(
    [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
    [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
)

# Same paper, example C: nominal data, four observers, twelve units, missing data.
# Nominal α = 0.743, interval α = 0.849. The data are also the doctest of the
# ``krippendorff`` package (which cites the paper's page 8 and gives 0.743 nominal).
FOUR_CODERS = units(
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
)


def test_krippendorff_2011_binary_two_coders() -> None:
    result = krippendorff_alpha(BINARY_A)
    assert result.value == pytest.approx(0.095, abs=5e-4)
    assert result.coincidences == ((10.0, 4.0), (4.0, 2.0))
    assert (result.n_units, result.n_pairable_units, result.n_pairable_values) == (10, 10, 20)


def test_krippendorff_2011_four_coders_with_missing_data() -> None:
    result = krippendorff_alpha(FOUR_CODERS)
    assert result.value == pytest.approx(0.743, abs=5e-4)
    # Unit 12 has a single value: not pairable. n.. = 40 pairable values.
    assert (result.n_units, result.n_pairable_units, result.n_pairable_values) == (12, 11, 40)
    per_category = [round(sum(row), 9) for row in result.coincidences]
    assert per_category == [9, 13, 10, 5, 3]
    assert result.coincidences[0][1] == pytest.approx(4 / 3)


def test_krippendorff_2011_four_coders_interval() -> None:
    assert krippendorff_alpha(FOUR_CODERS, "interval").value == pytest.approx(0.849, abs=5e-4)


def test_identical_coding_with_variation_is_one() -> None:
    result = krippendorff_alpha(units(["a", "b", "a", "c"], ["a", "b", "a", "c"]))
    assert result.value == 1.0 and result.observed_disagreement == 0.0


def test_zero_variance_is_undefined_with_reason() -> None:
    result = krippendorff_alpha(units([1, 1, 1], [1, 1, 1]))
    assert (result.value, result.reason) == (None, NO_VARIATION)
    assert result.expected_disagreement == 0.0


def test_no_codings_are_undefined() -> None:
    for data in ([], [[N, N], [N, N]]):
        result = krippendorff_alpha(data)
        assert (result.value, result.reason) == (None, NO_PAIRABLE_UNITS)


def test_one_coder_only_is_undefined() -> None:
    result = krippendorff_alpha([[1], [2], [1]])
    assert (result.value, result.reason, result.n_units) == (None, NO_PAIRABLE_UNITS, 3)


def test_units_coded_by_one_coder_only_are_not_pairable() -> None:
    with_lonely_units: list[list[Hashable]] = [*BINARY_A, [1, N], [N, 0], [N, 1]]
    result = krippendorff_alpha(with_lonely_units)
    assert result.value == krippendorff_alpha(BINARY_A).value
    assert (result.n_units, result.n_pairable_units, result.n_pairable_values) == (13, 10, 20)


def test_categories_only_seen_in_unpairable_units_are_left_out() -> None:
    data: list[list[Hashable]] = [[0, 1], [1, 1], ["x", N]]
    result = krippendorff_alpha(data)
    assert result.categories == (0, 1)


def test_interval_metric_needs_numbers() -> None:
    with pytest.raises(InvalidInput, match="numbers"):
        krippendorff_alpha([["a", "b"]], "interval")


def reference_alpha(data: list[list[int | None]], level: Metric) -> float | None:
    """The ``krippendorff`` package's α, ``None`` where it refuses or gives NaN."""
    matrix = np.array([[np.nan if v is None else v for v in unit] for unit in data], dtype=float)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            value = krippendorff.alpha(matrix.T, level_of_measurement=level)
    except ValueError:
        return None
    return None if np.isnan(value) else float(value)


reliability_data = st.integers(2, 5).flatmap(
    lambda coders: st.lists(
        st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=coders, max_size=coders),
        min_size=1,
        max_size=15,
    )
)


@settings(max_examples=300)
@given(reliability_data, st.sampled_from(["nominal", "interval"]))
def test_agrees_with_the_krippendorff_package(data: list[list[int | None]], level: Metric) -> None:
    ours = krippendorff_alpha(data, level)
    expected = reference_alpha(data, level)
    if ours.value is None:
        assert expected is None
    else:
        assert expected is not None
        assert ours.value == pytest.approx(expected, abs=1e-9)


@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=4), min_size=3, max_size=3).filter(
            lambda row: sum(row) >= 2
        ),
        max_size=40,
    )
)
def test_summed_coincidences_equal_the_per_unit_sum(rows: list[list[int]]) -> None:
    counts = np.array(rows, dtype=np.int64).reshape(len(rows), 3)
    expected = unit_coincidences(counts).sum(axis=0) if rows else np.zeros((3, 3))
    assert np.allclose(summed_coincidences(counts), expected, rtol=1e-12, atol=1e-12)
