"""Fleiss' κ against Fleiss (1971) and the widely used 10 × 14 × 5 example."""

from __future__ import annotations

import pytest

from qualcode.domain.agreement.fleiss import (
    NO_FULL_UNITS,
    NO_VARIATION,
    TOO_FEW_RATERS,
    fleiss_kappa,
    fleiss_kappa_from_counts,
)
from qualcode.domain.errors import InvalidInput

N = None

# Fleiss, J. L. (1971), "Measuring nominal scale agreement among many raters",
# Psychological Bulletin 76(5):378–382: 30 patients, each diagnosed by 6 of the
# psychiatrists, into 5 categories (1 depression, 2 personality disorder,
# 3 schizophrenia, 4 neurosis, 5 other). The table is the paper's (p. 379), as
# transcribed in DKPro Statistics' Fleiss1971Test; each row lists the 6 diagnoses.
# Published: P̄ = .556, P̄_e = .220, κ = .430.
FLEISS_1971 = [
    (4, 4, 4, 4, 4, 4), (2, 2, 2, 5, 5, 5), (2, 3, 3, 3, 3, 5), (5, 5, 5, 5, 5, 5),
    (2, 2, 2, 4, 4, 4), (1, 1, 3, 3, 3, 3), (3, 3, 3, 3, 5, 5), (1, 1, 3, 3, 3, 4),
    (1, 1, 4, 4, 4, 4), (5, 5, 5, 5, 5, 5), (1, 4, 4, 4, 4, 4), (1, 2, 4, 4, 4, 4),
    (2, 2, 2, 3, 3, 3), (1, 4, 4, 4, 4, 4), (2, 2, 4, 4, 4, 5), (3, 3, 3, 3, 3, 5),
    (1, 1, 1, 4, 5, 5), (1, 1, 1, 1, 1, 2), (2, 2, 4, 4, 4, 4), (1, 3, 3, 5, 5, 5),
    (5, 5, 5, 5, 5, 5), (2, 4, 4, 4, 4, 4), (2, 2, 4, 5, 5, 5), (1, 1, 4, 4, 4, 4),
    (1, 4, 4, 4, 4, 5), (2, 2, 2, 2, 2, 4), (1, 1, 1, 1, 5, 5), (2, 2, 4, 4, 4, 4),
    (1, 3, 3, 3, 3, 3), (5, 5, 5, 5, 5, 5),
]  # fmt: skip

# The 10 subjects × 14 raters × 5 categories table of counts used as the worked
# example in the Wikipedia article "Fleiss' kappa" (not from Fleiss 1971 itself):
# P̄ = 0.378, P̄_e = 0.213, κ = 0.210.
WIKIPEDIA = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]  # fmt: skip


def test_fleiss_1971_worked_example() -> None:
    result = fleiss_kappa(FLEISS_1971)
    assert result.value == pytest.approx(0.430, abs=5e-4)
    assert result.mean_agreement == pytest.approx(0.556, abs=5e-4)
    assert result.expected_agreement == pytest.approx(0.220, abs=5e-4)
    assert (result.n_units, result.raters_per_unit, result.n_units_excluded) == (30, 6, 0)
    assert result.categories == (1, 2, 3, 4, 5)


def test_fleiss_1971_per_category_kappas() -> None:
    # κ_j by the paper's formula on this table: .2448, .2448, .5200, .4711, .5661.
    # DKPro Statistics checks its own κ_j against .248, .248, .517, .470, .565 only to
    # ±.005; the paper's printed κ_j could not be checked here, so the second line
    # holds them to that tolerance and no closer.
    kappas = fleiss_kappa(FLEISS_1971).category_kappas
    assert kappas == pytest.approx([0.245, 0.245, 0.520, 0.471, 0.566], abs=5e-4)
    assert kappas == pytest.approx([0.248, 0.248, 0.517, 0.470, 0.565], abs=5e-3)


def test_wikipedia_fourteen_raters() -> None:
    result = fleiss_kappa_from_counts(WIKIPEDIA)
    assert result.value == pytest.approx(0.210, abs=5e-4)
    assert result.mean_agreement == pytest.approx(0.378, abs=5e-4)
    assert result.expected_agreement == pytest.approx(0.213, abs=5e-4)
    assert result.raters_per_unit == 14


def test_units_with_fewer_ratings_are_excluded_and_counted() -> None:
    data = [*FLEISS_1971, (1, 2, N, 4, 5, 5), (N, N, N, N, N, N)]
    result = fleiss_kappa(data)
    assert result.value == fleiss_kappa(FLEISS_1971).value
    assert (result.n_units, result.n_units_excluded) == (30, 2)


def test_identical_ratings_with_variation_are_one() -> None:
    assert fleiss_kappa([("a", "a", "a"), ("b", "b", "b"), ("a", "a", "a")]).value == 1.0


def test_zero_variance_is_undefined() -> None:
    result = fleiss_kappa([("a", "a", "a"), ("a", "a", "a")])
    assert (result.value, result.reason) == (None, NO_VARIATION)


def test_no_units_and_one_coder() -> None:
    assert fleiss_kappa([]).reason == NO_FULL_UNITS
    assert fleiss_kappa([(1, N, 2)]).reason == NO_FULL_UNITS
    assert fleiss_kappa([(1,), (2,)]).reason == TOO_FEW_RATERS


def test_rows_with_too_many_ratings_are_refused() -> None:
    with pytest.raises(InvalidInput, match="more than 3 ratings"):
        fleiss_kappa_from_counts([[1, 2], [4, 0]], raters_per_unit=3)
