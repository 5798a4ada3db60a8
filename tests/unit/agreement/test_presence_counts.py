"""The array path for presence values gives exactly the α of the reference path."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.domain.agreement import krippendorff_alpha, presence_values
from qualcode.domain.agreement.krippendorff import alpha_from_values
from qualcode.domain.agreement.units import presence_counts, unit_table

LENGTH = 120
spans = st.lists(
    st.tuples(st.integers(0, LENGTH - 1), st.integers(1, 40)).map(
        lambda t: (t[0], min(LENGTH, t[0] + t[1]))
    ),
    max_size=6,
)
units = st.lists(
    st.tuples(st.integers(0, LENGTH - 1), st.integers(1, 30)).map(
        lambda t: (t[0], min(LENGTH, t[0] + t[1]))
    ),
    min_size=1,
    max_size=12,
)


@given(
    st.dictionaries(st.sampled_from(["t1", "t2"]), units, min_size=1),
    st.lists(st.dictionaries(st.sampled_from(["t1", "t2"]), spans), min_size=1, max_size=4),
    st.sampled_from([0.0, 0.3, 1.0]),
)
def test_presence_counts_match_presence_values(
    unit_spans: dict[str, list[tuple[int, int]]],
    coders: list[dict[str, list[tuple[int, int]]]],
    min_share: float,
) -> None:
    lengths = {"t1": LENGTH, "t2": LENGTH}
    coder_spans = {f"c{i}": spans_of for i, spans_of in enumerate(coders)}
    reference = presence_values(lengths, unit_spans, coder_spans, min_share=min_share)
    expected = krippendorff_alpha([list(row) for row in reference.values])
    found = alpha_from_values(
        presence_counts(unit_table(lengths, unit_spans), coder_spans, min_share=min_share)
    )
    assert (found.value is None) == (expected.value is None)
    if expected.value is not None:
        assert found.value == pytest.approx(expected.value, abs=1e-12)
    assert found.reason == expected.reason
    assert found.n_pairable_values == expected.n_pairable_values
    assert found.categories == expected.categories


def test_the_bootstrap_over_kinds_of_units_matches_the_one_over_units() -> None:
    """Both draw units with replacement; over 4,000 draws their intervals agree closely."""
    import numpy as np

    from qualcode.domain.agreement import bootstrap_alpha, bootstrap_values
    from qualcode.domain.agreement.krippendorff import pairable_values

    rng = np.random.default_rng(7)
    data = [
        [bool(a), bool(b)]
        for a, b in zip(rng.random(300) < 0.3, rng.random(300) < 0.35, strict=True)
    ]
    by_units = bootstrap_alpha(data, draws=4000, seed=1)
    by_kinds = bootstrap_values(pairable_values(data), draws=4000, seed=2)
    assert by_kinds.estimate.value == pytest.approx(by_units.estimate.value)
    assert by_kinds.low == pytest.approx(by_units.low, abs=0.02)
    assert by_kinds.high == pytest.approx(by_units.high, abs=0.02)
