"""Codebook changes never lose codings: apply, retire, merge, edit and move."""

from __future__ import annotations

import pytest

from qualcode.codebook import parse_codebook
from qualcode.domain.errors import Conflict, InvalidInput
from qualcode.services import coding
from qualcode.services.codebook import apply_codebook, diff_codebook, export_codebook
from qualcode.services.codes import add_code, edit_code, list_codes, merge_codes
from qualcode.services.project import Project

SMALL = """codebook: Small
codes:
  - key: WAIT
    name: Waiting
    definition: Cases put on hold.
    hotkey: "1"
    children:
      - key: WAIT.LONG
        name: Long wait
        definition: Over a year.
  - key: EMO
    name: Emotions
    definition: Feelings.
"""


@pytest.fixture
def small(project: Project, tmp_path) -> Project:  # type: ignore[no-untyped-def]
    from qualcode.services.importing import import_file
    from tests.conftest import SHORT_FOCUS_GROUP

    apply_codebook(project, parse_codebook(SMALL), coder="anna")
    path = tmp_path / "f.txt"
    path.write_text(SHORT_FOCUS_GROUP, encoding="utf-8")
    import_file(project, path, title="Fokus")
    return project


def keys(project: Project) -> dict[str, tuple[str | None, bool]]:
    return {c.key: (c.parent_key, c.retired) for c in list_codes(project)}


def test_renaming_and_moving_in_the_file_keeps_codings(small: Project) -> None:
    made = coding.apply_code(
        small, transcript="Fokus", code="WAIT.LONG", start=0, end=5, coder="anna"
    )
    moved = (
        SMALL.replace("name: Long wait", "name: Very long wait").replace(
            "      - key: WAIT.LONG\n        name: Very long wait\n        definition: Over a year.\n",
            "",
        )
        + "  - key: WAIT.LONG\n    name: Very long wait\n    definition: Over a year.\n    parent: EMO\n"
    )
    diff = apply_codebook(small, parse_codebook(moved), coder="anna")
    assert diff.changed["WAIT.LONG"] == ("parent_key", "name")
    assert keys(small)["WAIT.LONG"] == ("EMO", False)
    assert [c.id for c in coding.list_codings(small, codes=["EMO"])] == [made.id]


def test_a_code_missing_from_the_file_is_deleted_only_when_unused(small: Project) -> None:
    coding.apply_code(small, transcript="Fokus", code="EMO", start=0, end=5, coder="anna")
    without = parse_codebook(
        SMALL.split("  - key: EMO")[0].replace(
            "      - key: WAIT.LONG\n        name: Long wait\n        definition: Over a year.\n",
            "",
        )
    )
    assert diff_codebook(small, without).deleted == ("WAIT.LONG",)
    diff = apply_codebook(small, without, coder="anna")
    assert (diff.deleted, diff.kept) == (("WAIT.LONG",), ("EMO",))
    assert set(keys(small)) == {"WAIT", "EMO"}
    diff = apply_codebook(small, without, coder="anna", retire_missing=True)
    assert diff.retired == ("EMO",) and keys(small)["EMO"] == (None, True)
    assert len(coding.list_codings(small, codes=["EMO"])) == 1
    with pytest.raises(InvalidInput, match="retired"):
        coding.apply_code(small, transcript="Fokus", code="EMO", start=6, end=9, coder="anna")


def test_merging_moves_codings_and_sets_exact_duplicates_aside(small: Project) -> None:
    coding.apply_code(small, transcript="Fokus", code="EMO", start=0, end=5, coder="anna")
    coding.apply_code(small, transcript="Fokus", code="EMO", start=10, end=20, coder="bertil")
    coding.apply_code(small, transcript="Fokus", code="WAIT.LONG", start=0, end=5, coder="anna")
    merged = merge_codes(small, "EMO", "WAIT.LONG", coder="anna")
    assert merged.moved == 1
    assert [(s.coder, s.start, s.end) for s in merged.set_aside] == [("anna", 0, 5)]
    assert "1 duplicated a coding already on WAIT.LONG" in merged.sentence("EMO", "WAIT.LONG")
    assert "EMO" not in keys(small)
    found = [(c.code_key, c.coder, c.start) for c in coding.list_codings(small)]
    assert found == [("WAIT.LONG", "anna", 0), ("WAIT.LONG", "bertil", 10)]
    with pytest.raises(InvalidInput, match="child codes"):
        merge_codes(small, "WAIT", "WAIT.LONG", coder="anna")


def test_editing_one_code_validates_and_exports(small: Project) -> None:
    edit_code(small, "EMO", coder="anna", name="Känslor", color="#aa0000", hotkey="e")
    with pytest.raises(Conflict, match="already on WAIT"):
        edit_code(small, "EMO", coder="anna", hotkey="1")
    with pytest.raises(InvalidInput, match="#rrggbb"):
        edit_code(small, "EMO", coder="anna", color="red")
    with pytest.raises(InvalidInput, match="inside WAIT"):
        edit_code(small, "WAIT", coder="anna", parent="WAIT.LONG")
    add_code(small, "EMO.HOPE", name="Hope", parent="EMO", coder="anna", definition="In vivo.")
    book = export_codebook(small)
    assert [c.key for c in book.codes] == ["WAIT", "WAIT.LONG", "EMO", "EMO.HOPE"]
    assert book.by_key()["EMO"].name == "Känslor" and book.by_key()["EMO"].hotkey == "e"


def test_a_moved_code_follows_its_new_parent_in_the_tree(small: Project) -> None:
    edit_code(small, "WAIT", coder="anna", parent="EMO")
    assert [c.key for c in list_codes(small)] == ["EMO", "WAIT", "WAIT.LONG"]
    with pytest.raises(InvalidInput, match="needs a name"):
        edit_code(small, "EMO", coder="anna", name="  ")
