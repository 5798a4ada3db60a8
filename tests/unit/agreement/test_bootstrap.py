"""Bootstrap percentile interval for Krippendorff's α."""

from __future__ import annotations

import numpy as np
import pytest

from qualcode.domain.agreement.bootstrap import NO_DEFINED_DRAWS, bootstrap_alpha
from qualcode.domain.agreement.krippendorff import NO_PAIRABLE_UNITS, krippendorff_alpha
from qualcode.domain.errors import InvalidInput
from tests.unit.agreement.test_krippendorff import FOUR_CODERS


def test_the_same_seed_gives_the_same_interval() -> None:
    first = bootstrap_alpha(FOUR_CODERS, seed=7)
    assert first == bootstrap_alpha(FOUR_CODERS, seed=7)
    assert first.draws == 2000 and first.confidence == 0.95 and first.seed == 7
    assert first.estimate.value == pytest.approx(0.743, abs=5e-4)
    assert first.low is not None and first.high is not None and first.estimate.value is not None
    assert first.low <= first.estimate.value <= first.high <= 1.0


def test_each_draw_is_alpha_of_the_resampled_units() -> None:
    # Recompute every draw the slow way: the units the generator drew, fed to α.
    draws, seed = 60, 3
    pairable = [u for u in FOUR_CODERS if sum(v is not None for v in u) >= 2]
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(len(pairable), np.full(len(pairable), 1 / len(pairable)), size=draws)
    slow = []
    for counts in weights:
        resample = [unit for unit, k in zip(pairable, counts, strict=True) for _ in range(k)]
        value = krippendorff_alpha(resample).value
        if value is not None:
            slow.append(value)
    low, high = np.quantile(slow, [0.05, 0.95])
    result = bootstrap_alpha(FOUR_CODERS, draws=draws, confidence=0.9, seed=seed)
    assert result.defined_draws == len(slow)
    assert (result.low, result.high) == (pytest.approx(low), pytest.approx(high))


def test_identical_coding_gives_a_degenerate_interval_at_one() -> None:
    data = [["a", "a"], ["b", "b"], ["a", "a"], ["c", "c"]]
    result = bootstrap_alpha(data, draws=200)
    assert (result.low, result.high) == (1.0, 1.0)
    # Draws that picked one category only have no α and are left out, and counted.
    assert 0 < result.defined_draws <= 200


def test_undefined_alpha_has_no_interval() -> None:
    result = bootstrap_alpha([[1, None], [None, 2]])
    assert (result.low, result.high, result.reason) == (None, None, NO_PAIRABLE_UNITS)


def test_no_resample_with_variation() -> None:
    # Two units, one per category: a resample of two units has variation only when it
    # drew both. With seed 3 all three draws drew one unit twice (found by trying seeds).
    result = bootstrap_alpha([[0, 0], [1, 1]], draws=3, seed=3)
    assert result.estimate.value is not None
    assert (result.low, result.high, result.reason) == (None, None, NO_DEFINED_DRAWS)
    assert (result.draws, result.defined_draws) == (3, 0)


@pytest.mark.parametrize(("draws", "confidence"), [(0, 0.95), (10, 1.0), (10, 0.0)])
def test_bad_settings_are_refused(draws: int, confidence: float) -> None:
    with pytest.raises(InvalidInput):
        bootstrap_alpha(FOUR_CODERS, draws=draws, confidence=confidence)
