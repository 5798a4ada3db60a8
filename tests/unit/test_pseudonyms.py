"""Pseudonyms: replaced in every spelling, and what cannot be replaced is found."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qualcode.domain.pseudonyms import find_leaks, fold, pseudonymise

NAMES = {"Norrvik": "Kommun 1", "Norrviks kommun": "Kommun 1:s socialtjänst", "Ann": "A."}


def test_whole_words_and_genitives_are_replaced_longest_first() -> None:
    assert pseudonymise("I Norrvik och Norrviks skola", NAMES) == "I Kommun 1 och Kommun 1s skola"
    assert pseudonymise("Norrviks kommun svarade", NAMES) == "Kommun 1:s socialtjänst svarade"
    assert pseudonymise("Ann sa annars nej", NAMES) == "A. sa annars nej"


def test_spellings_that_hid_a_name_are_caught() -> None:
    soft = "Norr\u00advik"
    wide = "\uff2eorrvik"  # full-width N
    zero = "Norr\u200bvik"
    for hidden in (soft, wide, zero, "NORRVIK", "norrvik"):
        assert pseudonymise(f"Vi i {hidden} väntar.", NAMES) == "Vi i Kommun 1 väntar.", hidden
        assert find_leaks(f"Vi i {hidden} väntar.", list(NAMES)) != []


def test_inflections_and_compounds_are_refused_with_their_position() -> None:
    text = "Alla norrvikarna och Norrvikskommun vet."
    assert pseudonymise(text, NAMES) == text  # replacing the start would write nonsense
    leaks = find_leaks(text, list(NAMES))
    assert [(leak.term, leak.position, leak.found) for leak in leaks] == [
        ("Norrvik", 5, "norrvikarna"),
        ("Norrvik", 21, "Norrvikskommun"),
    ]


def test_short_terms_flag_inflections_but_not_every_word_they_start() -> None:
    assert find_leaks("annars och annat", ["Ann"]) == []
    assert [leak.found for leak in find_leaks("Anns bok", ["Ann"])] == ["Anns"]


def test_a_replaced_text_keeps_everything_but_the_name() -> None:
    text = "Före \uff2eorrvik\u00ad efter"
    assert pseudonymise(text, NAMES) == "Före Kommun 1 efter"


@given(st.text(max_size=60))
def test_after_replacement_no_whole_word_name_remains(prefix: str) -> None:
    text = f"{prefix} Norrvik {prefix}"
    replaced = pseudonymise(text, {"Norrvik": "X"})
    words = [w for w in fold(replaced).split() if w.strip(".,") == "norrvik"]
    assert words == []
