"""Names, keys and tree order for new and edited codes."""

from __future__ import annotations

from dataclasses import replace

from qualcode.domain.records import Code
from qualcode.tui.code_naming import (
    enclosing_group,
    propose_key,
    propose_name,
    renamed,
    slug,
)


def test_a_name_from_the_words_is_trimmed_at_a_word() -> None:
    assert propose_name("  “Vi skrev\n ju!”  ") == "Vi skrev ju"
    words = "Vi skrev ju till Migrationsverket flera gånger, och väntade"
    assert propose_name(words) == "Vi skrev ju till Migrationsverket flera"
    assert propose_name("x" * 50) == "x" * 40


def test_a_slug_is_uppercase_ascii_in_whole_words() -> None:
    assert slug("väntan på beslut") == "VANTAN_PA_BESLUT"
    assert slug("Straße, 2 Mal!") == "STRASSE_2_MAL"
    assert slug("Vi skrev ju till Migrationsverket") == "VI_SKREV_JU_TILL"
    assert slug("Migrationsverketsbeslutsprocess") == "MIGRATIONSVERKETSBESLUTS"
    assert slug("… — ?") == ""


def test_a_key_is_made_unique_in_its_group() -> None:
    taken = {"ACT.WAIT", "ACT.WAIT_2"}
    assert propose_key("ACT", "wait", taken) == "ACT.WAIT_3"
    assert propose_key(None, "wait", taken) == "WAIT"
    assert propose_key("ACT", "…", taken) == "ACT.CODE"


def test_the_group_of_a_highlighted_code(codebook: dict[str, Code]) -> None:
    every = list(codebook.values())
    assert enclosing_group(codebook["ACT.WAIT"], every) == "ACT"
    assert enclosing_group(codebook["ACT"], every) == "ACT"
    assert enclosing_group(codebook["BIC"], every) == "BIC"  # top level: a group
    assert enclosing_group(None, every) is None


def test_rename_changes_the_label_in_the_workbench_language(codebook: dict[str, Code]) -> None:
    late = codebook["CTX.LATE"]  # name is the Swedish label
    english = late.labels["en"]
    assert renamed(late, " Sent ", "sv") == {
        "labels": {"sv": "Sent", "en": english},
        "name": "Sent",
    }
    assert renamed(late, "Late", "en") == {"labels": {"sv": late.name, "en": "Late"}}
    plain = replace(late, labels={})
    assert renamed(plain, "Sent", "sv") == {"name": "Sent"}
