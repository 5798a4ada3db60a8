"""Krippendorff's α for any number of coders with missing values (nominal or interval).

Reliability data are a units × coders matrix: ``data[u][i]`` is the value coder ``i``
gave unit ``u``, or ``None`` when that coder gave none. Only *pairable* values count:
those in units with two or more values. α compares the disagreement observed within
units to the disagreement expected from the same values paired at random.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Literal

import numpy as np
import numpy.typing as npt

from qualcode.domain.agreement.categories import ordered_categories
from qualcode.domain.errors import InvalidInput

Metric = Literal["nominal", "interval"]
Category = Hashable
ReliabilityData = Sequence[Sequence[Category | None]]

NO_PAIRABLE_UNITS = "no units coded by two or more coders"
NO_VARIATION = "no variation: all values are the same category"


@dataclass(frozen=True, slots=True)
class KrippendorffAlpha:
    """α with the counts behind it.

    ``coincidences[c][k]`` is o_ck, the coincidence matrix over ``categories`` (the
    values that occur in pairable units). ``n_pairable_values`` is n.., its total.
    ``value`` is ``None`` exactly when ``reason`` says why α is undefined.
    """

    value: float | None
    reason: str | None
    metric: Metric
    n_units: int
    n_pairable_units: int
    n_pairable_values: int
    categories: tuple[Category, ...]
    coincidences: tuple[tuple[float, ...], ...]
    observed_disagreement: float | None
    expected_disagreement: float | None


@dataclass(frozen=True, slots=True)
class PairableValues:
    """Values of the pairable units, counted per unit and category.

    ``counts[u, c]`` is how many coders gave pairable unit ``u`` the category
    ``categories[c]`` (Krippendorff's n_uc).
    """

    n_units: int
    categories: tuple[Category, ...]
    counts: npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class CountedKinds:
    """``PairableValues`` with alike units counted once.

    Units with the same counts per category are interchangeable in α and in its
    bootstrap, and presence data have only a handful of kinds however many units
    there are. ``kinds`` are the distinct rows of the per-unit counts, sorted as
    ``np.unique(counts, axis=0)`` sorts them (the bootstrap draws follow this order);
    ``frequencies[i]`` is how many pairable units are of kind ``i``.
    """

    n_units: int
    categories: tuple[Category, ...]
    kinds: npt.NDArray[np.int64]
    frequencies: npt.NDArray[np.int64]


def counted_kinds(
    n_units: int,
    categories: Sequence[Category],
    rows: npt.NDArray[np.int64],
    frequencies: npt.NDArray[np.int64],
) -> CountedKinds:
    """Rows of counts seen ``frequencies`` times, merged and sorted into kinds (rows
    seen no times are dropped; every category must be among ``rows``' values)."""
    frequencies = np.asarray(frequencies, dtype=np.int64).reshape(-1)
    rows = np.asarray(rows, dtype=np.int64).reshape(len(frequencies), len(categories))
    seen = frequencies > 0
    rows, frequencies = rows[seen], frequencies[seen]
    if not len(rows):
        return CountedKinds(n_units, tuple(categories), rows, frequencies)
    kinds, inverse = np.unique(rows, axis=0, return_inverse=True)
    totals = np.zeros(len(kinds), dtype=np.int64)
    np.add.at(totals, inverse.reshape(-1), frequencies)
    return CountedKinds(n_units, tuple(categories), kinds, totals)


def kinds_of(values: PairableValues) -> CountedKinds:
    """The kinds of units in ``values`` and how often each occurs."""
    return counted_kinds(
        values.n_units,
        values.categories,
        values.counts,
        np.ones(values.counts.shape[0], dtype=np.int64),
    )


def stack_kinds(parts: Sequence[CountedKinds]) -> CountedKinds:
    """``stack_values`` for counted kinds: every part's units as one set."""
    categories = ordered_categories(c for part in parts for c in part.categories)
    index = {category: i for i, category in enumerate(categories)}
    blocks = []
    for part in parts:
        block = np.zeros((part.kinds.shape[0], len(categories)), dtype=np.int64)
        for j, category in enumerate(part.categories):
            block[:, index[category]] = part.kinds[:, j]
        blocks.append(block)
    rows = np.concatenate(blocks) if blocks else np.zeros((0, len(categories)), dtype=np.int64)
    frequencies = (
        np.concatenate([part.frequencies for part in parts])
        if parts
        else np.zeros(0, dtype=np.int64)
    )
    return counted_kinds(sum(part.n_units for part in parts), categories, rows, frequencies)


def pairable_values(data: ReliabilityData) -> PairableValues:
    """Drop units with fewer than two values and count the rest per category."""
    pairable = [[v for v in row if v is not None] for row in data]
    pairable = [values for values in pairable if len(values) >= 2]
    categories = ordered_categories(v for values in pairable for v in values)
    index = {category: i for i, category in enumerate(categories)}
    counts = np.zeros((len(pairable), len(categories)), dtype=np.int64)
    for u, values in enumerate(pairable):
        for v in values:
            counts[u, index[v]] += 1
    return PairableValues(len(data), categories, counts)


def stack_values(parts: Sequence[PairableValues]) -> PairableValues:
    """Several sets of counted values as one (e.g. every code's units, for a pooled α)."""
    categories = ordered_categories(c for part in parts for c in part.categories)
    index = {category: i for i, category in enumerate(categories)}
    blocks = []
    for part in parts:
        block = np.zeros((part.counts.shape[0], len(categories)), dtype=np.int64)
        for j, category in enumerate(part.categories):
            block[:, index[category]] = part.counts[:, j]
        blocks.append(block)
    counts = np.concatenate(blocks) if blocks else np.zeros((0, 0), dtype=np.int64)
    return PairableValues(sum(part.n_units for part in parts), categories, counts)


def squared_differences(categories: Sequence[Category], metric: Metric) -> npt.NDArray[np.float64]:
    """The metric's δ²_ck for every pair of categories.

    Source: Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": nominal
    δ²_ck = 0 if c = k else 1; interval δ²_ck = (c − k)².
    """
    if metric == "nominal":
        return 1.0 - np.eye(len(categories))
    if metric == "interval":
        if not all(isinstance(c, Real) and not isinstance(c, bool) for c in categories):
            raise InvalidInput("the interval metric needs numbers as values")
        numbers = np.array(categories, dtype=np.float64)
        return np.subtract.outer(numbers, numbers) ** 2
    raise InvalidInput(f"unknown metric {metric!r}: use 'nominal' or 'interval'")


def unit_coincidences(counts: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """Each pairable unit's contribution to the coincidence matrix, shape (units, V, V).

    Within unit u every ordered pair of values from different coders is one pair, and
    each pair is weighted 1/(m_u − 1) so that a unit contributes its m_u values in all.
    """
    m = counts.sum(axis=1).astype(np.float64)
    pairs = counts[:, :, None] * counts[:, None, :]
    # A value cannot be paired with itself: n_uc·n_uc counts c–c pairs n_uc times too often.
    diagonal = np.arange(counts.shape[1])
    pairs[:, diagonal, diagonal] -= counts
    return pairs / (m - 1)[:, None, None]


def summed_coincidences(counts: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """``unit_coincidences(counts).sum(axis=0)`` without the (units, V, V) array: with
    w_u = 1/(m_u − 1), o_ck = Σ_u w_u n_uc n_uk − [c = k] Σ_u w_u n_uc (a product of
    two (units, V) matrices; the per-unit array costs seconds on 100,000 units)."""
    if counts.shape[0] == 0:
        return np.zeros((counts.shape[1], counts.shape[1]))
    weights = 1.0 / (counts.sum(axis=1).astype(np.float64) - 1.0)
    weighted = counts * weights[:, None]
    return counts.T.astype(np.float64) @ weighted - np.diag(weighted.sum(axis=0))


def krippendorff_alpha(data: ReliabilityData, metric: Metric = "nominal") -> KrippendorffAlpha:
    """α = 1 − D_o / D_e from the coincidence matrix of the pairable values.

    Source: Krippendorff, K. (2011). "Computing Krippendorff's Alpha-Reliability."
    Annenberg School for Communication, University of Pennsylvania (Departmental
    Papers, ASC) — section C (nominal data, any number of observers, missing data)
    and the general form for other metrics: o_ck = Σ_u (number of c–k pairs in u) /
    (m_u − 1); n_c = Σ_k o_ck; D_o = (1/n..) Σ_c Σ_k o_ck δ²_ck;
    D_e = 1/(n..(n.. − 1)) Σ_c Σ_k n_c n_k δ²_ck.

    Undefined (``value=None``): no unit has two or more values; every pairable value
    is the same category, so D_e = 0. Identical coding with variation gives α = 1.
    """
    return alpha_from_values(pairable_values(data), metric)


def alpha_from_values(values: PairableValues, metric: Metric = "nominal") -> KrippendorffAlpha:
    """α from values already counted per unit and category (see ``krippendorff_alpha``);
    a category no coder used must not be among ``values.categories``."""
    counts = values.counts
    return _alpha(
        values.n_units,
        values.categories,
        counts.shape[0],
        int(counts.sum()),
        summed_coincidences(counts),
        counts.sum(axis=0),
        metric,
    )


def alpha_from_kinds(counted: CountedKinds, metric: Metric = "nominal") -> KrippendorffAlpha:
    """``alpha_from_values`` from the kinds of units: every sum over units is a sum
    over kinds weighted by their frequencies."""
    kinds, frequencies = counted.kinds, counted.frequencies
    n_categories = len(counted.categories)
    if kinds.shape[0]:
        weights = frequencies / (kinds.sum(axis=1).astype(np.float64) - 1.0)
        weighted = kinds * weights[:, None]
        coincidences = kinds.T.astype(np.float64) @ weighted - np.diag(weighted.sum(axis=0))
    else:
        coincidences = np.zeros((n_categories, n_categories))
    return _alpha(
        counted.n_units,
        counted.categories,
        int(frequencies.sum()),
        int(kinds.sum(axis=1) @ frequencies) if kinds.shape[0] else 0,
        coincidences,
        frequencies @ kinds if kinds.shape[0] else np.zeros(n_categories, dtype=np.int64),
        metric,
    )


def _alpha(
    n_units: int,
    categories: tuple[Category, ...],
    n_pairable_units: int,
    n_pairable: int,
    coincidences: npt.NDArray[np.float64],
    per_category_counts: npt.NDArray[np.int64],
    metric: Metric,
) -> KrippendorffAlpha:
    n_categories = len(categories)
    delta = squared_differences(categories, metric)
    value: float | None = None
    reason: str | None = None
    observed: float | None = None
    expected: float | None = None
    if n_pairable_units == 0:
        reason = NO_PAIRABLE_UNITS
    elif n_categories < 2:
        reason = NO_VARIATION
        observed = expected = 0.0
    else:
        per_category = per_category_counts.astype(np.float64)
        observed = float((coincidences * delta).sum()) / n_pairable
        expected = float(per_category @ delta @ per_category) / (n_pairable * (n_pairable - 1))
        value = 1.0 - observed / expected
    return KrippendorffAlpha(
        value=value,
        reason=reason,
        metric=metric,
        n_units=n_units,
        n_pairable_units=n_pairable_units,
        n_pairable_values=n_pairable,
        categories=categories,
        coincidences=tuple(tuple(float(x) for x in row) for row in coincidences),
        observed_disagreement=observed,
        expected_disagreement=expected,
    )
