"""Cohen's κ for two coders from a k × k contingency table of counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qualcode.domain.errors import InvalidInput

NO_OBSERVATIONS = "no observations: the table is empty"
ONE_CATEGORY = "no variation: both coders put everything in one and the same category"


@dataclass(frozen=True, slots=True)
class CohenKappa:
    """Cohen's κ with the table and proportions behind it.

    ``table[i][j]`` counts what coder A put in category ``i`` and coder B in ``j``.
    ``value`` is ``None`` exactly when ``reason`` says why κ is undefined; the
    proportions are ``None`` only when the table is empty.
    """

    value: float | None
    reason: str | None
    n: int
    table: tuple[tuple[int, ...], ...]
    observed_agreement: float | None
    expected_agreement: float | None
    maximum_kappa: float | None


def cohen_kappa(table: Sequence[Sequence[int]]) -> CohenKappa:
    """κ = (p_o − p_c) / (1 − p_c) for a square table of counts.

    Source: Cohen, J. (1960). "A coefficient of agreement for nominal scales."
    Educational and Psychological Measurement 20(1):37–46 — κ = (p_o − p_c)/(1 − p_c)
    where p_o is the proportion of agreement (the diagonal) and p_c = Σ_i p_i· p_·i,
    the sum over categories of the product of the two coders' marginal proportions;
    and κ_M, the largest κ the marginals allow, from p_oM = Σ_i min(p_i·, p_·i).

    Undefined (``value=None``): an empty table, and p_c = 1 (both coders used one and
    the same category for every observation), where κ is 0/0.
    """
    rows = tuple(tuple(row) for row in table)
    size = len(rows)
    if any(len(row) != size for row in rows):
        raise InvalidInput("a contingency table must be square (as many columns as rows)")
    if any(count < 0 for row in rows for count in row):
        raise InvalidInput("a contingency table holds counts, which cannot be negative")
    n = sum(map(sum, rows))
    if n == 0:
        return CohenKappa(None, NO_OBSERVATIONS, 0, rows, None, None, None)
    row_totals = [sum(row) for row in rows]
    column_totals = [sum(row[j] for row in rows) for j in range(size)]
    observed = sum(rows[i][i] for i in range(size)) / n
    # Compare in integers: p_c is exactly 1 when Σ r·c equals n², and floats could blur it.
    chance_pairs = sum(r * c for r, c in zip(row_totals, column_totals, strict=True))
    expected = chance_pairs / n**2
    if chance_pairs == n**2:
        return CohenKappa(None, ONE_CATEGORY, n, rows, observed, expected, None)
    best_observed = sum(min(r, c) for r, c in zip(row_totals, column_totals, strict=True)) / n
    return CohenKappa(
        value=(observed - expected) / (1 - expected),
        reason=None,
        n=n,
        table=rows,
        observed_agreement=observed,
        expected_agreement=expected,
        maximum_kappa=(best_observed - expected) / (1 - expected),
    )
