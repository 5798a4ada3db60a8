"""A bootstrap percentile confidence interval for Krippendorff's α.

Method: the pairable units (the only units α rests on) are resampled with
replacement, as many as there are, ``draws`` times with a seeded numpy Generator;
α is recomputed on each resample and the interval is read off the percentiles of
those α values. A resample whose values all fall in one category has no α (D_e = 0);
it is left out and the number of draws that did have one is reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from qualcode.domain.agreement.krippendorff import (
    CountedKinds,
    KrippendorffAlpha,
    Metric,
    PairableValues,
    ReliabilityData,
    alpha_from_kinds,
    alpha_from_values,
    krippendorff_alpha,
    pairable_values,
    squared_differences,
    unit_coincidences,
)
from qualcode.domain.errors import InvalidInput

METHOD = (
    "nonparametric bootstrap over pairable units (resampled with replacement), "
    "percentile interval (Efron & Tibshirani 1993, ch. 13)"
)
NO_DEFINED_DRAWS = "no resample had variation: every draw had all values in one category"
# Resamples are drawn in blocks so that memory stays at block × units, not draws × units.
_BLOCK = 250


@dataclass(frozen=True, slots=True)
class AlphaInterval:
    """α with its bootstrap percentile interval.

    ``draws`` resamples were made; ``defined_draws`` of them had an α and make up
    the interval. ``low``/``high`` are ``None`` exactly when ``reason`` says why.
    """

    estimate: KrippendorffAlpha
    low: float | None
    high: float | None
    confidence: float
    draws: int
    defined_draws: int
    seed: int
    method: str
    reason: str | None


def bootstrap_alpha(
    data: ReliabilityData,
    metric: Metric = "nominal",
    *,
    draws: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> AlphaInterval:
    """Percentile interval for α from ``draws`` resamples of the pairable units.

    Source: Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*.
    Chapman & Hall — ch. 13, the percentile interval: the (1 − confidence)/2 and
    (1 + confidence)/2 quantiles of the bootstrap replications (numpy's default
    linear interpolation between order statistics). α itself is computed as in
    ``krippendorff_alpha``. This differs from Hayes & Krippendorff (2007), whose
    macro resamples pairs of values rather than units; resampling whole units keeps
    each unit's values together, as they were coded.

    The same ``seed`` gives the same interval.
    """
    if draws < 1:
        raise InvalidInput("the number of bootstrap draws must be at least 1")
    if not 0 < confidence < 1:
        raise InvalidInput("the confidence level must lie between 0 and 1")
    return _interval(
        krippendorff_alpha(data, metric),
        pairable_values(data),
        metric,
        draws,
        confidence,
        seed,
        frequencies=None,
    )


def bootstrap_values(
    values: PairableValues,
    metric: Metric = "nominal",
    *,
    draws: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> AlphaInterval:
    """The same interval as ``bootstrap_alpha``, from values already counted per unit.

    Units with the same counts are interchangeable in α, so a resample is drawn as how
    often each distinct kind of unit was drawn (a multinomial over the kinds with
    their frequencies, the same distribution as drawing units one by one). For
    presence data there are only a handful of kinds, however many units there are.
    """
    if draws < 1:
        raise InvalidInput("the number of bootstrap draws must be at least 1")
    if not 0 < confidence < 1:
        raise InvalidInput("the confidence level must lie between 0 and 1")
    kinds, frequencies = (
        np.unique(values.counts, axis=0, return_counts=True)
        if values.counts.size
        else (values.counts, np.zeros(0, dtype=np.int64))
    )
    counted = PairableValues(values.n_units, values.categories, kinds)
    return _interval(
        alpha_from_values(values, metric),
        counted,
        metric,
        draws,
        confidence,
        seed,
        frequencies=frequencies,
    )


def bootstrap_kinds(
    counted: CountedKinds,
    metric: Metric = "nominal",
    *,
    draws: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
    estimate: KrippendorffAlpha | None = None,
) -> AlphaInterval:
    """``bootstrap_values`` from units already counted into kinds: the same draws
    from the same seed, so the same interval (``estimate``: α if already computed)."""
    if draws < 1:
        raise InvalidInput("the number of bootstrap draws must be at least 1")
    if not 0 < confidence < 1:
        raise InvalidInput("the confidence level must lie between 0 and 1")
    return _interval(
        estimate if estimate is not None else alpha_from_kinds(counted, metric),
        PairableValues(counted.n_units, counted.categories, counted.kinds),
        metric,
        draws,
        confidence,
        seed,
        frequencies=counted.frequencies,
    )


def _interval(
    estimate: KrippendorffAlpha,
    values: PairableValues,
    metric: Metric,
    draws: int,
    confidence: float,
    seed: int,
    *,
    frequencies: npt.NDArray[np.int64] | None,
) -> AlphaInterval:
    if estimate.value is None:
        return AlphaInterval(
            estimate, None, None, confidence, draws, 0, seed, METHOD, estimate.reason
        )
    alphas = _resampled_alphas(
        values.counts,
        squared_differences(values.categories, metric),
        draws,
        np.random.default_rng(seed),
        frequencies,
    )
    if alphas.size == 0:
        return AlphaInterval(
            estimate, None, None, confidence, draws, 0, seed, METHOD, NO_DEFINED_DRAWS
        )
    tail = (1 - confidence) / 2
    low, high = np.quantile(alphas, [tail, 1 - tail])
    return AlphaInterval(
        estimate, float(low), float(high), confidence, draws, int(alphas.size), seed, METHOD, None
    )


def _resampled_alphas(
    counts: npt.NDArray[np.int64],
    delta: npt.NDArray[np.float64],
    draws: int,
    rng: np.random.Generator,
    frequencies: npt.NDArray[np.int64] | None = None,
) -> npt.NDArray[np.float64]:
    """α for each resample that has one.

    A resample is a vector of how often each unit was drawn, so every sum over units
    becomes that vector times a per-unit quantity: its values m_u, its n_uc, and its
    observed disagreement Σ_ck o_uck δ²_ck.
    """
    # each row of ``counts`` is one unit, or one kind of unit seen ``frequencies`` times
    n_kinds = counts.shape[0]
    n_units = int(frequencies.sum()) if frequencies is not None else n_kinds
    chances = frequencies / n_units if frequencies is not None else np.full(n_kinds, 1 / n_kinds)
    unit_disagreement = (unit_coincidences(counts) * delta).sum(axis=(1, 2))
    unit_values = counts.sum(axis=1).astype(np.float64)
    per_unit_counts = counts.astype(np.float64)
    found: list[npt.NDArray[np.float64]] = []
    remaining = draws
    while remaining:
        block = min(remaining, _BLOCK)
        remaining -= block
        weights = rng.multinomial(n_units, chances, size=block).astype(np.float64)
        n = weights @ unit_values
        per_category = weights @ per_unit_counts
        observed = (weights @ unit_disagreement) / n
        expected = np.einsum("dc,ck,dk->d", per_category, delta, per_category) / (n * (n - 1))
        # D_e is 0 only when every drawn value is one category; those draws have no α.
        defined = expected > 0
        found.append(1.0 - observed[defined] / expected[defined])
    return np.concatenate(found)
