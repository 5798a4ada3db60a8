"""Fleiss' κ: agreement among a fixed number of coders per unit, nominal categories.

Each unit must be rated by the same number of coders n (not necessarily the same
people). Units with fewer ratings are left out and counted, never padded or guessed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from qualcode.domain.agreement.categories import ordered_categories
from qualcode.domain.errors import InvalidInput

Category = Hashable

NO_FULL_UNITS = "no units rated by the full number of coders"
TOO_FEW_RATERS = "fewer than two ratings per unit"
NO_VARIATION = "no variation: all ratings are the same category"


@dataclass(frozen=True, slots=True)
class FleissKappa:
    """Fleiss' κ with the counts behind it.

    ``counts[i][j]`` is n_ij, how many coders put unit ``i`` (of the units used) in
    ``categories[j]``. ``category_proportions`` are p_j; ``mean_agreement`` is P̄ and
    ``expected_agreement`` P̄_e. ``category_kappas`` are κ_j, ``None`` for a category
    nobody or everybody used. ``value`` is ``None`` exactly when ``reason`` says why.
    """

    value: float | None
    reason: str | None
    raters_per_unit: int
    n_units: int
    n_units_excluded: int
    categories: tuple[Category, ...]
    counts: tuple[tuple[int, ...], ...]
    category_proportions: tuple[float, ...]
    mean_agreement: float | None
    expected_agreement: float | None
    category_kappas: tuple[float | None, ...]


def fleiss_kappa(data: Sequence[Sequence[Category | None]]) -> FleissKappa:
    """Fleiss' κ from a units × coders matrix (``None`` = no rating).

    n is the number of coders (columns); a unit counts only when all of them rated
    it, the rest are reported in ``n_units_excluded``. The method is
    ``fleiss_kappa_from_counts``'s.
    """
    n = max((len(row) for row in data), default=0)
    ratings = [[v for v in row if v is not None] for row in data]
    # Categories come from the units that will be used, so an excluded unit cannot add
    # a column nobody in the analysis chose.
    categories = ordered_categories(v for row in ratings if len(row) == n for v in row)
    counts = [[row.count(category) for category in categories] for row in ratings]
    return fleiss_kappa_from_counts(counts, categories, raters_per_unit=n)


def fleiss_kappa_from_counts(
    counts: Sequence[Sequence[int]],
    categories: Sequence[Category] | None = None,
    *,
    raters_per_unit: int | None = None,
) -> FleissKappa:
    """Fleiss' κ from a units × categories table of how many coders chose each category.

    Source: Fleiss, J. L. (1971). "Measuring nominal scale agreement among many
    raters." Psychological Bulletin 76(5):378–382 — with N units, n ratings per unit
    and n_ij the ratings of unit i in category j: p_j = Σ_i n_ij / (N n);
    P_i = Σ_j n_ij (n_ij − 1) / (n (n − 1)); P̄ = Σ_i P_i / N; P̄_e = Σ_j p_j²;
    κ = (P̄ − P̄_e) / (1 − P̄_e); and per category
    κ_j = 1 − Σ_i n_ij (n − n_ij) / (N n (n − 1) p_j q_j) with q_j = 1 − p_j.

    ``categories`` names the columns (default 0, 1, …). ``raters_per_unit`` (n)
    defaults to the largest row total; rows with fewer ratings are excluded and
    counted. Undefined (``value=None``): no rows with n ratings; n < 2; every rating
    in one category (P̄_e = 1).
    """
    rows = [tuple(row) for row in counts]
    labels = (
        tuple(categories)
        if categories is not None
        else tuple(range(max(map(len, rows), default=0)))
    )
    if any(len(row) != len(labels) for row in rows):
        raise InvalidInput("every unit needs one count per category")
    if any(c < 0 for row in rows for c in row):
        raise InvalidInput("counts of ratings cannot be negative")
    n = raters_per_unit if raters_per_unit is not None else max(map(sum, rows), default=0)
    if any(sum(row) > n for row in rows):
        raise InvalidInput(f"a unit has more than {n} ratings")
    used = tuple(row for row in rows if sum(row) == n)
    tally = Counter(used)
    return fleiss_kappa_of_kinds(
        tuple(tally),
        tuple(tally.values()),
        used,
        labels,
        raters_per_unit=n,
        n_units_excluded=len(rows) - len(used),
    )


def fleiss_kappa_of_kinds(
    kinds: Sequence[tuple[int, ...]],
    frequencies: Sequence[int],
    counts: tuple[tuple[int, ...], ...],
    categories: tuple[Category, ...],
    *,
    raters_per_unit: int,
    n_units_excluded: int = 0,
) -> FleissKappa:
    """``fleiss_kappa_from_counts`` from the distinct rows of the units used (each
    with ``raters_per_unit`` ratings) and how many units have each: every sum over
    units is a whole number, so the figures are the same. ``counts`` are the rows
    the result carries, one per unit used, in unit order."""
    labels, n = categories, raters_per_unit
    n_used = sum(frequencies)
    totals = [
        sum(f * row[j] for row, f in zip(kinds, frequencies, strict=True))
        for j in range(len(labels))
    ]
    ratings = n_used * n
    proportions = tuple(t / ratings if ratings else 0.0 for t in totals)

    value: float | None = None
    reason: str | None = None
    mean: float | None = None
    expected: float | None = None
    kappas: tuple[float | None, ...] = (None,) * len(labels)
    if not n_used:
        reason = NO_FULL_UNITS
    elif n < 2:
        reason = TOO_FEW_RATERS
    else:
        agreeing_pairs = sum(
            f * sum(c * (c - 1) for c in row) for row, f in zip(kinds, frequencies, strict=True)
        )
        mean = agreeing_pairs / (n_used * n * (n - 1))
        expected = sum(p * p for p in proportions)
        kappas = tuple(
            _category_kappa(kinds, frequencies, j, n, p) for j, p in enumerate(proportions)
        )
        # P̄_e = 1 exactly when one category holds every rating; test counts, not floats.
        if sum(1 for t in totals if t) < 2:
            reason = NO_VARIATION
        else:
            value = (mean - expected) / (1 - expected)
    return FleissKappa(
        value=value,
        reason=reason,
        raters_per_unit=n,
        n_units=n_used,
        n_units_excluded=n_units_excluded,
        categories=labels,
        counts=counts,
        category_proportions=proportions,
        mean_agreement=mean,
        expected_agreement=expected,
        category_kappas=kappas,
    )


def _category_kappa(
    kinds: Sequence[tuple[int, ...]], frequencies: Sequence[int], j: int, n: int, p: float
) -> float | None:
    """κ_j for category j; undefined when p_j is 0 or 1 (nobody or everybody chose it)."""
    if p in (0.0, 1.0):
        return None
    disagreeing = sum(f * row[j] * (n - row[j]) for row, f in zip(kinds, frequencies, strict=True))
    return 1 - disagreeing / (sum(frequencies) * n * (n - 1) * p * (1 - p))
