"""Cohen's κ from a contingency table, against Cohen (1960)."""

from __future__ import annotations

import pytest

from qualcode.domain.agreement.cohen import NO_OBSERVATIONS, ONE_CATEGORY, cohen_kappa
from qualcode.domain.errors import InvalidInput

# Cohen, J. (1960), "A coefficient of agreement for nominal scales", Educational and
# Psychological Measurement 20(1):37–46: the worked example of 200 cases judged by two
# judges into three categories (the paper's Table 1, as transcribed in DKPro
# Statistics' Cohen1960Test). The paper gives p_o = .70, p_c = .41, κ = .492 and the
# largest κ the marginals allow, κ_M = .831.
COHEN_1960 = [
    [88, 14, 18],
    [10, 40, 10],
    [2, 6, 12],
]


def test_cohen_1960_worked_example() -> None:
    result = cohen_kappa(COHEN_1960)
    assert result.n == 200
    assert result.observed_agreement == pytest.approx(0.70, abs=5e-4)
    assert result.expected_agreement == pytest.approx(0.41, abs=5e-4)
    assert result.value == pytest.approx(0.492, abs=5e-4)
    assert result.maximum_kappa == pytest.approx(0.831, abs=5e-4)


def test_perfect_agreement_is_one() -> None:
    assert cohen_kappa([[5, 0], [0, 7]]).value == 1.0


def test_an_empty_table_is_undefined() -> None:
    result = cohen_kappa([[0, 0], [0, 0]])
    assert (result.value, result.reason, result.observed_agreement) == (None, NO_OBSERVATIONS, None)


def test_one_shared_category_is_undefined_but_agreement_is_reported() -> None:
    result = cohen_kappa([[9, 0], [0, 0]])
    assert (result.value, result.reason) == (None, ONE_CATEGORY)
    assert result.observed_agreement == 1.0


@pytest.mark.parametrize("table", [[[1, 2]], [[1, -1], [0, 2]]])
def test_malformed_tables_are_refused(table: list[list[int]]) -> None:
    with pytest.raises(InvalidInput):
        cohen_kappa(table)
