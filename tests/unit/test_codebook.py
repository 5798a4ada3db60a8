"""The YAML codebook: the shipped ones load; bad ones fail at the right line."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.codebook import CodebookError, dump_codebook, load_codebook, parse_codebook
from tests.conftest import REPO


def test_the_shipped_codebook_loads_with_its_groups_and_hotkeys() -> None:
    book = load_codebook(REPO / "codebooks" / "asylum-child-welfare.yaml")
    keys = book.by_key()
    assert 38 <= len(book.codes) <= 50
    groups = {c.key for c in book.codes if c.parent_key is None}
    assert {"CTX", "COND", "ACT", "EMO", "COOP", "DISC", "DISCR", "LOGIC", "BIC"} <= groups
    assert keys["ACT.WAIT"].parent_key == "ACT" and keys["ACT.WAIT"].labels.keys() == {"sv", "en"}
    assert keys["DISC.STRUCT"].definition and keys["LOGIC.CONFLICT"].include
    hotkeys = [c.hotkey for c in book.codes if c.hotkey]
    assert len(hotkeys) == len(set(hotkeys)) >= 10


def test_the_shipped_codebook_gives_every_text_in_swedish_and_english() -> None:
    book = load_codebook(REPO / "codebooks" / "asylum-child-welfare.yaml")
    for code in book.codes:
        for part in ("definition", "include", "exclude", "example"):
            if getattr(code, part):
                assert code.translations[part].keys() == {"sv", "en"}, (code.key, part)
                # the field itself is the codebook's language (sv)
                assert getattr(code, part) == code.translations[part]["sv"]
    assert book.title == "Asylsökande barn i den sociala barnavården"
    assert book.title_in("en") == "Asylum-seeking children in social child welfare"
    wait = book.by_key()["ACT.WAIT"]
    assert wait.definition.startswith("Att skjuta upp en utredning")
    assert wait.translations["definition"]["en"].startswith("Postponing an investigation")


def test_a_text_per_language_takes_the_codebook_language_as_its_own() -> None:
    book = parse_codebook(
        "language: sv\ncodes:\n  - key: A\n    name: A\n"
        "    definition: {en: In English., sv: På svenska.}\n"
        "    include: {en: Only English.}\n    exclude: Plain.\n"
    )
    code = book.by_key()["A"]
    assert code.definition == "På svenska."
    assert code.include == "Only English."  # no Swedish: the first language given
    assert code.exclude == "Plain." and "exclude" not in code.translations
    assert code.translations == {
        "definition": {"en": "In English.", "sv": "På svenska."},
        "include": {"en": "Only English."},
    }
    assert parse_codebook(dump_codebook(book)) == book


def test_the_starter_codebook_loads() -> None:
    book = load_codebook(REPO / "codebooks" / "starter.yaml")
    assert book.language == "en" and len(book.codes) >= 6


def test_dump_and_load_round_trip() -> None:
    book = load_codebook(REPO / "codebooks" / "asylum-child-welfare.yaml")
    assert parse_codebook(dump_codebook(book)) == book


def test_parent_references_work_beside_nesting() -> None:
    book = parse_codebook(
        "codes:\n  - key: A\n    name: A\n    definition: d\n"
        "  - key: B\n    name: B\n    definition: d\n    parent: A\n"
    )
    assert book.by_key()["B"].parent_key == "A"


BASE = "codebook: test\ncodes:\n"


def test_an_empty_or_misnamed_language_in_a_definition_names_its_line() -> None:
    with pytest.raises(CodebookError, match=r"<codebook>:4: 'svenska' is not a language code"):
        parse_codebook("codes:\n  - key: A\n    name: A\n    definition: {svenska: x}\n")
    with pytest.raises(CodebookError, match=r"<codebook>:4: definition of A.en is empty"):
        parse_codebook("codes:\n  - key: A\n    name: A\n    definition: {sv: x, en: ''}\n")


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("- a\n- b\n", 1, "must be a mapping"),
        ("codebook: x\n", 1, "no 'codes:' list"),
        (
            BASE + "  - key: A\n    name: A\n    name: B\n    definition: d\n",
            5,
            "duplicate key 'name'",
        ),
        (
            BASE
            + "  - key: A\n    name: A\n    definition: d\n  - key: A\n    name: A2\n    definition: d\n",
            6,
            "code key 'A' is used twice",
        ),
        (
            BASE + "  - key: A\n    name: A\n    definition: d\n    parent: Z\n",
            3,
            "unknown parent 'Z'",
        ),
        (
            BASE + "  - key: A\n    name: A\n    definition: d\n    color: '#12345'\n",
            6,
            "not of the form '#rrggbb'",
        ),
        (
            BASE
            + "  - key: A\n    name: A\n    definition: d\n    hotkey: a\n  - key: B\n    name: B\n    definition: d\n    hotkey: a\n",
            10,
            "hotkey 'a' is on both A and B",
        ),
        (BASE + "  - key: A\n    name: A\n", 3, "has no 'definition'"),
        (
            BASE + "  - key: A\n    name: A\n    definition: d\n    hotkey: q\n",
            6,
            "kept for a command in the coding screen",
        ),
        (
            BASE + "  - key: A\n    name: A\n    definition: d\n    exclusive: maybe\n",
            6,
            "must be true or false",
        ),
        (BASE + "  - key: A\n    name: [A]\n    definition: d\n", 4, "must be a single value"),
        (BASE + "  - key: A B\n    name: A\n    definition: d\n", 3, "may only use letters"),
        (
            BASE + "  - key: A\n    name: A\n    definition: d\n    colour_of: red\n",
            6,
            "unknown field 'colour_of'",
        ),
        (
            BASE + "  - key: A\n    name: A\n    definition: d\n    children: x\n",
            6,
            "children of A must be a list",
        ),
        (BASE + "  - key: A\n\tname: A\n", 4, "not valid YAML"),
        (
            BASE
            + "  - key: A\n    name: A\n    definition: d\n    parent: B\n  - key: B\n    name: B\n    definition: d\n    parent: A\n",
            3,
            "its own ancestor",
        ),
        ("codebook: x\nversion: three\ncodes: []\n", 2, "whole number"),
        (
            "codebook: x\ncodes:\n  - &a {key: A, name: A, definition: d}\n  - *a\n",
            3,
            "aliases are not allowed",
        ),
    ],
)
def test_errors_name_the_line(source: str, line: int, message: str) -> None:
    with pytest.raises(CodebookError) as caught:
        parse_codebook(source, "book.yaml")
    assert f"book.yaml:{line}:" in str(caught.value)
    assert message in str(caught.value)


def test_an_alias_bomb_is_refused_quickly() -> None:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    with pytest.raises(CodebookError, match=r"not allowed|unknown field"):
        parse_codebook("\n".join(lines) + "\ncodes: []\n", "bomb.yaml")


def test_oversized_and_non_utf8_files_are_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * (1024 * 1024 + 1))
    with pytest.raises(CodebookError, match="larger than 1 MB"):
        load_codebook(big)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("codebook: Väntan\n".encode("latin-1"))
    with pytest.raises(CodebookError, match="not UTF-8"):
        load_codebook(latin)
