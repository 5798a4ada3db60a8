"""Ranking codes for the picker."""

from __future__ import annotations

from qualcode.domain.records import Code
from qualcode.tui.code_search import rank_codes


def test_empty_query_lists_the_codebook_in_order(codebook: dict[str, Code]) -> None:
    assert [c.key for c in rank_codes(list(codebook.values()), "  ")] == list(codebook)


def test_key_prefix_comes_first(codebook: dict[str, Code]) -> None:
    assert rank_codes(list(codebook.values()), "disc.s")[0].key in {"DISC.STRUCT", "DISC.STATUS"}


def test_fuzzy_key_and_name_in_either_language(codebook: dict[str, Code]) -> None:
    codes = list(codebook.values())
    assert rank_codes(codes, "actwait")[0].key == "ACT.WAIT"
    assert "EMO.POWERLESS" in [c.key for c in rank_codes(codes, "maktlöshet")][:3]
    assert "EMO.POWERLESS" in [c.key for c in rank_codes(codes, "powerless")][:3]


def test_definition_words_match_only_as_words(codebook: dict[str, Code]) -> None:
    codes = list(codebook.values())
    found = [c.key for c in rank_codes(codes, "interpreter")]
    assert "COND.INTERP" in found
    assert rank_codes(codes, "zzzq") == []
