"""Krippendorff's unitizing α |_u α| against Krippendorff (2004) and (1995)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.domain.agreement.unitized import (
    NO_TEXT,
    NO_UNITS,
    NO_VARIATION,
    TOO_FEW_CODERS,
    VARIANT,
    unitized_alpha,
)


def shifted(spans: list[tuple[int, int]], origin: int) -> list[tuple[int, int]]:
    """(begin, length) pairs as printed in the book, as [start, end) from ``origin``."""
    return [(b - origin, b - origin + length) for b, length in spans]


# Krippendorff, K. (2004), Content Analysis, 2nd ed., p. 254: two observers unitize
# the continuum 150–450 (L = 300). Category c: observer i has units (begin, length)
# (225, 70), (370, 30); observer j (220, 80), (355, 20), (400, 20). Category k: both
# (180, 60), (300, 50). Data and figures as transcribed in DKPro Statistics'
# Krippendorff2004Test (the book itself was not at hand): for c D_o = .0144,
# D_e = .0532, α = .7286; for k D_o = 0, D_e = .0490, α = 1. By hand for c:
# δ² = 5² + 5² = 50 for the overlapping first units, 15² + 25² = 850 for (370, 30)
# against (355, 20), 20² = 400 for j's (400, 20) inside i's gap 400–450:
# D_o = 2·1300 / (2·1·300²) = .01444.
def book_2004(category: str) -> dict[str, dict[str, list[tuple[int, int]]]]:
    units = {
        "c": ([(225, 70), (370, 30)], [(220, 80), (355, 20), (400, 20)]),
        "k": ([(180, 60), (300, 50)], [(180, 60), (300, 50)]),
    }[category]
    return {"i": {"text": shifted(units[0], 150)}, "j": {"text": shifted(units[1], 150)}}


def test_krippendorff_2004_category_c() -> None:
    result = unitized_alpha({"text": 300}, book_2004("c"))
    assert result.observed_disagreement == pytest.approx(0.0144, abs=5e-5)
    assert result.expected_disagreement == pytest.approx(0.0532, abs=5e-5)
    assert result.value == pytest.approx(0.7286, abs=5e-5)
    assert (result.continuum_length, result.n_units, result.units_per_coder) == (300, 5, (2, 3))
    assert result.variant == VARIANT


def test_krippendorff_2004_category_k_identical_units() -> None:
    result = unitized_alpha({"text": 300}, book_2004("k"))
    assert result.observed_disagreement == 0.0
    assert result.expected_disagreement == pytest.approx(0.0490, abs=5e-5)
    assert result.value == 1.0


# Krippendorff, K. (1995), "On the reliability of unitizing continuous data",
# Sociological Methodology 25:47–76, p. 57: four pairs of coders on a continuum of 24.
# Transcribed in DKPro Statistics' Krippendorff1995Test as
#   A Bertha: 0 0|1 1 1 1 1 1 1 1|0 0 0 0|1 1 1 1 1 1|0 0 0 0
#     Bill:   0 0 0 0|1 1 1 1|0 0 0 0 0 0 0|1 1|0 0 0 0 0 0 0
# and so on; there D_o = .03125, 2.26736, .02777, .38715 and α = .553, −.926, .679,
# .066 (A–D), the α values checked only to ±.02 on a continuum stretched 50,000-fold.
EXAMPLES_1995 = {
    "A": ([(2, 10), (14, 20)], [(4, 8), (15, 17)]),
    "B": ([(0, 18)], [(0, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 9), (9, 10)]),
    "C": ([(2, 8), (10, 12), (14, 18), (20, 22)], [(0, 2), (4, 8), (10, 14), (16, 18), (20, 22)]),
    "D": (
        [(0, 2), (2, 10), (10, 14), (14, 20), (20, 24)],
        [(0, 4), (4, 8), (8, 15), (15, 17), (17, 24)],
    ),
}
PUBLISHED_1995_D_O = {"A": 0.03125, "B": 2.26736, "C": 0.02777, "D": 0.38715}
PUBLISHED_1995_ALPHA = {"A": 0.553, "B": -0.926, "C": 0.679, "D": 0.066}


def example_1995(pair: str, stretch: int = 1) -> dict[str, dict[str, list[tuple[int, int]]]]:
    first, second = EXAMPLES_1995[pair]
    return {
        "one": {"t": [(a * stretch, b * stretch) for a, b in first]},
        "two": {"t": [(a * stretch, b * stretch) for a, b in second]},
    }


@pytest.mark.parametrize("pair", "ABCD")
def test_krippendorff_1995_observed_disagreement(pair: str) -> None:
    result = unitized_alpha({"t": 24}, example_1995(pair))
    assert result.observed_disagreement == pytest.approx(PUBLISHED_1995_D_O[pair], abs=1e-5)


@pytest.mark.xfail(
    strict=True,
    reason=(
        "Not reproduced: on the 1995 example (L = 24) the 2004 formulas give "
        "α = .515, −1.081, .603, −.207 for A–D; DKPro's transcription of the paper gives "
        ".553, −.926, .679, .066. D_o agrees, D_e does not: the paper's expected "
        "disagreement is not the 2004 formula (DKPro suspects an error in it), and the "
        "paper could not be consulted here. Refining the continuum tends to .553, "
        "−.928, .693, .066: A and D then agree, B and C still do not."
    ),
)
@pytest.mark.parametrize("pair", "ABCD")
def test_krippendorff_1995_published_alpha(pair: str) -> None:
    result = unitized_alpha({"t": 24}, example_1995(pair))
    assert result.value == pytest.approx(PUBLISHED_1995_ALPHA[pair], abs=5e-4)


def test_unreached_edge_cases_have_reasons() -> None:
    one = unitized_alpha({"t": 10}, {"a": {"t": [(0, 5)]}})
    assert (one.value, one.reason) == (None, TOO_FEW_CODERS)
    none = unitized_alpha({"t": 10}, {"a": {}, "b": {}})
    assert (none.value, none.reason, none.n_units) == (None, NO_UNITS, 0)
    empty = unitized_alpha({}, {"a": {}, "b": {}})
    assert (empty.value, empty.reason) == (None, NO_TEXT)


def test_every_character_its_own_unit_has_no_expected_disagreement() -> None:
    every = [(i, i + 1) for i in range(4)]
    result = unitized_alpha({"t": 4}, {"a": {"t": every}, "b": {"t": every}})
    assert (result.value, result.reason) == (None, NO_VARIATION)


def test_a_code_used_by_one_coder_only_is_defined_and_low() -> None:
    result = unitized_alpha({"t": 100}, {"a": {"t": [(10, 30), (50, 60)]}, "b": {}})
    assert result.value is not None and result.value < 0.5
    assert result.units_per_coder == (2, 0)


def test_overlapping_spans_merge_but_abutting_ones_stay_two_units() -> None:
    merged = unitized_alpha({"t": 50}, {"a": {"t": [(0, 10), (5, 20)]}, "b": {"t": [(0, 20)]}})
    assert merged.value == 1.0 and merged.units_per_coder == (1, 1)
    abutting = unitized_alpha({"t": 50}, {"a": {"t": [(0, 10), (10, 20)]}, "b": {"t": [(0, 20)]}})
    assert abutting.units_per_coder == (2, 1)
    assert abutting.value is not None and abutting.value < 1.0


def test_transcripts_are_laid_end_to_end() -> None:
    spans = {"t1": [(0, 5)], "t2": [(3, 9)]}
    result = unitized_alpha({"t1": 10, "t2": 20}, {"a": spans, "b": spans, "c": spans})
    assert (result.value, result.continuum_length, result.n_units) == (1.0, 30, 6)


def literal_alpha(length: int, coders: list[list[tuple[int, int]]]) -> float | None:
    """The 2004 definitions transcribed term by term: every pair of sections, no sweep."""
    sections = []
    for units in coders:
        merged: list[list[int]] = []
        for start, end in sorted(units):
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        cuts, reach = [], 0
        for start, end in merged:
            if start > reach:
                cuts.append((reach, start - reach, 0))
            cuts.append((start, end - start, 1))
            reach = end
        if reach < length:
            cuts.append((reach, length - reach, 0))
        sections.append(cuts)
    m = len(coders)
    total = 0
    for i in range(m):
        for j in range(m):
            if i == j:
                continue
            for b_g, l_g, w_g in sections[i]:
                for b_h, l_h, w_h in sections[j]:
                    if w_g == w_h == 1 and -l_g < b_g - b_h < l_h:
                        total += (b_g - b_h) ** 2 + (b_g + l_g - b_h - l_h) ** 2
                    elif w_g == 1 and w_h == 0 and l_h - l_g >= b_g - b_h >= 0:
                        total += l_g**2
                    elif w_g == 0 and w_h == 1 and l_g - l_h >= b_h - b_g >= 0:
                        total += l_h**2
    d_o = Fraction(total, m * (m - 1) * length**2)
    all_sections = [s for cuts in sections for s in cuts]
    n = sum(w for _, _, w in all_sections)
    numerator = Fraction(0)
    for _, l_g, w_g in all_sections:
        if not w_g:
            continue
        numerator += Fraction(n - 1, 3) * (2 * l_g**3 - 3 * l_g**2 + l_g)
        numerator += l_g**2 * sum(
            l_h - l_g + 1 for _, l_h, w_h in all_sections if not w_h and l_h >= l_g
        )
    denominator = m * length * (m * length - 1) - sum(
        size * (size - 1) for _, size, w in all_sections if w
    )
    d_e = Fraction(2, length) * numerator / denominator
    return None if d_e == 0 else float(1 - d_o / d_e)


span_lists = st.lists(
    st.tuples(st.integers(0, 29), st.integers(1, 10)).map(lambda t: (t[0], min(t[0] + t[1], 30))),
    max_size=5,
)


@settings(max_examples=200)
@given(st.lists(span_lists, min_size=2, max_size=4))
def test_agrees_with_the_definition_term_by_term(coders: list[list[tuple[int, int]]]) -> None:
    result = unitized_alpha({"t": 30}, {i: {"t": spans} for i, spans in enumerate(coders)})
    expected = literal_alpha(30, coders)
    if expected is None:
        assert result.value is None
    else:
        assert result.value == pytest.approx(expected, abs=1e-12)
