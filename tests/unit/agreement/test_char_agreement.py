"""Percent agreement and Cohen's κ on characters (two coders, one code)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.domain.agreement.char_agreement import (
    BOTH_CODED_ALL,
    NEITHER_CODED,
    NO_TEXT,
    CharacterCounts,
    character_agreement,
    count_characters,
)
from qualcode.domain.errors import InvalidInput, InvalidSpan


def test_hand_computed_example_over_two_transcripts() -> None:
    # t1 has 20 characters. A codes [0,10) and [5,12): one span of 12 once merged.
    # B codes [8,16). Both: [8,12) = 4; only A: [0,8) = 8; only B: [12,16) = 4;
    # neither: [16,20) = 4.
    # t2 has 30 characters; both code [0,10): both 10, neither 20.
    # Summed: both 14, only A 8, only B 4, neither 24; N = 50.
    # p_o = 38/50 = 0.76; p_A = 22/50 = 0.44; p_B = 18/50 = 0.36.
    # p_e = 0.44·0.36 + 0.56·0.64 = 0.1584 + 0.3584 = 0.5168.
    # κ = (0.76 − 0.5168) / (1 − 0.5168) = 0.2432 / 0.4832 = 0.503311…
    result = character_agreement(
        {"t1": 20, "t2": 30},
        {"t1": [(0, 10), (5, 12)], "t2": [(0, 10)]},
        {"t1": [(8, 16)], "t2": [(0, 10)]},
    )
    assert result.counts == CharacterCounts(both=14, only_a=8, only_b=4, neither=24)
    assert result.percent_agreement == pytest.approx(76.0)
    assert result.coded_share_a == pytest.approx(0.44)
    assert result.coded_share_b == pytest.approx(0.36)
    assert result.expected_agreement == pytest.approx(0.5168)
    assert result.kappa == pytest.approx(0.2432 / 0.4832)
    assert result.reason is None


def test_chance_terms_are_added_not_multiplied() -> None:
    # Same data. Multiplying the chance terms would give p_e = 0.1584 · 0.3584 =
    # 0.05677 and κ = (0.76 − 0.05677)/(1 − 0.05677) = 0.7456, far from Cohen's 0.5033.
    result = character_agreement(
        {"t1": 20, "t2": 30},
        {"t1": [(0, 12)], "t2": [(0, 10)]},
        {"t1": [(8, 16)], "t2": [(0, 10)]},
    )
    multiplied = 0.1584 * 0.3584
    assert result.kappa != pytest.approx((0.76 - multiplied) / (1 - multiplied), abs=1e-3)
    assert result.kappa == pytest.approx(0.503311, abs=1e-6)


def test_a_coders_own_overlapping_spans_count_once() -> None:
    once = count_characters(20, [(0, 12)], [(8, 16)])
    overlapping = count_characters(20, [(0, 10), (5, 12), (0, 12), (3, 4)], [(8, 16), (8, 16)])
    assert overlapping == once == CharacterCounts(both=4, only_a=8, only_b=4, neither=4)


def test_identical_coding_gives_kappa_one() -> None:
    spans = {"t": [(2, 7), (10, 15)]}
    result = character_agreement({"t": 20}, spans, spans)
    assert result.kappa == 1.0 and result.percent_agreement == 100.0


def test_no_codings_leave_kappa_undefined_with_a_reason() -> None:
    result = character_agreement({"t": 20}, {}, {})
    assert (result.kappa, result.reason) == (None, NEITHER_CODED)
    assert result.percent_agreement == 100.0
    assert result.counts.neither == 20


def test_everything_coded_by_both_is_undefined() -> None:
    result = character_agreement({"t": 5}, {"t": [(0, 5)]}, {"t": [(0, 5)]})
    assert (result.kappa, result.reason) == (None, BOTH_CODED_ALL)


def test_no_text_at_all() -> None:
    result = character_agreement({}, {}, {})
    assert (result.kappa, result.percent_agreement, result.reason) == (None, None, NO_TEXT)


def test_a_code_used_by_one_coder_only() -> None:
    # A codes half of 10 characters, B nothing: p_o = 0.5, p_A = 0.5, p_B = 0,
    # p_e = 0.5·0 + 0.5·1 = 0.5, κ = 0: no agreement beyond chance.
    result = character_agreement({"t": 10}, {"t": [(0, 5)]}, {})
    assert result.counts == CharacterCounts(both=0, only_a=5, only_b=0, neither=5)
    assert result.kappa == 0.0


def test_spans_for_an_unknown_transcript_or_past_the_text_are_refused() -> None:
    with pytest.raises(InvalidInput, match="without a text length"):
        character_agreement({"t": 10}, {"u": [(0, 1)]}, {})
    with pytest.raises(InvalidSpan, match="transcript t"):
        character_agreement({"t": 10}, {"t": [(5, 11)]}, {})


spans = st.lists(
    st.tuples(st.integers(0, 40), st.integers(1, 15)).map(lambda t: (t[0], min(t[0] + t[1], 50))),
    max_size=6,
)


@given(spans, spans)
def test_counts_match_character_by_character(
    a: list[tuple[int, int]], b: list[tuple[int, int]]
) -> None:
    chars_a = {i for s, e in a for i in range(s, e)}
    chars_b = {i for s, e in b for i in range(s, e)}
    counts = count_characters(50, a, b)
    assert counts.both == len(chars_a & chars_b)
    assert counts.only_a == len(chars_a - chars_b)
    assert counts.only_b == len(chars_b - chars_a)
    assert counts.neither == 50 - len(chars_a | chars_b)
