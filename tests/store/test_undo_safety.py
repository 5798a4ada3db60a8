"""Undo never touches another coder's work, ids are never reused, codebook actions are
undoable, and no raw database error reaches the user (issue 12, item 1)."""

from __future__ import annotations

import pytest

from qualcode.codebook import parse_codebook
from qualcode.domain.errors import Conflict, QualcodeError
from qualcode.services import coding, history, memos
from qualcode.services.codebook import apply_codebook
from qualcode.services.codes import add_code, edit_code, list_codes, merge_codes
from qualcode.services.project import Project


def keys(project: Project) -> set[str]:
    return {code.key for code in list_codes(project)}


def spans(project: Project) -> list[tuple[str, str, int, int]]:
    return sorted((c.code_key, c.coder, c.start, c.end) for c in coding.list_codings(project))


def test_undo_of_a_memo_another_coder_edited_is_refused(coded_project: Project) -> None:
    memo = memos.add_memo(coded_project, target="project", ref=None, text="carl", coder="carl")
    memos.edit_memo(coded_project, memo.id, text="dora's words", coder="dora")
    with pytest.raises(Conflict, match="dora changed memo"):
        history.undo(coded_project, coder="carl")
    assert [m.text for m in memos.list_memos(coded_project)] == ["dora's words"]


def test_undo_of_a_coding_another_coder_wrote_a_memo_on_is_refused(
    coded_project: Project,
) -> None:
    made = coding.apply_code(
        coded_project, transcript="Fokus", code="BIC", start=0, end=5, coder="carl"
    )
    memos.add_memo(coded_project, target="coding", ref=str(made.id), text="dora", coder="dora")
    with pytest.raises(Conflict, match="dora's memo .* is on coding"):
        history.undo(coded_project, coder="carl")
    assert [c.id for c in coding.list_codings(coded_project)] == [made.id]
    assert [m.text for m in memos.list_memos(coded_project)] == ["dora"]


def test_a_removed_codings_id_is_never_given_to_the_next(coded_project: Project) -> None:
    first = coding.apply_code(
        coded_project, transcript="Fokus", code="BIC", start=0, end=5, coder="carl"
    )
    coding.remove_coding(coded_project, first.id, coder="carl")
    second = coding.apply_code(
        coded_project, transcript="Fokus", code="BIC", start=6, end=9, coder="dora"
    )
    assert second.id != first.id
    assert "Undid removing BIC" in history.undo(coded_project, coder="carl").description
    assert sorted(c.id for c in coding.list_codings(coded_project)) == [first.id, second.id]


def test_undo_reverses_a_merge_rather_than_an_older_action(coded_project: Project) -> None:
    memos.add_memo(coded_project, target="project", ref=None, text="keep me", coder="carl")
    coding.apply_code(coded_project, transcript="Fokus", code="BIC", start=0, end=5, coder="carl")
    coding.apply_code(coded_project, transcript="Fokus", code="BIC", start=6, end=9, coder="dora")
    coding.apply_code(
        coded_project, transcript="Fokus", code="ACT.WAIT", start=0, end=5, coder="carl"
    )
    before = spans(coded_project)
    merged = merge_codes(coded_project, "BIC", "ACT.WAIT", coder="carl")
    assert (merged.moved, len(merged.set_aside)) == (1, 1)
    assert len(coding.list_codings(coded_project)) == 2
    assert history.undo(coded_project, coder="carl").description == (
        "Undid merging BIC into ACT.WAIT"
    )
    assert spans(coded_project) == before
    assert [m.text for m in memos.list_memos(coded_project)] == ["keep me"]
    history.redo(coded_project, coder="carl")
    assert "BIC" not in keys(coded_project)
    assert len(coding.list_codings(coded_project)) == 2


def test_the_memo_on_a_merged_duplicate_follows_and_comes_back(coded_project: Project) -> None:
    twin = coding.apply_code(
        coded_project, transcript="Fokus", code="BIC", start=0, end=5, coder="carl"
    )
    kept = coding.apply_code(
        coded_project, transcript="Fokus", code="ACT.WAIT", start=0, end=5, coder="carl"
    )
    memos.add_memo(coded_project, target="coding", ref=str(twin.id), text="why", coder="dora")
    merge_codes(coded_project, "BIC", "ACT.WAIT", coder="carl")
    assert [m.target_ref for m in memos.list_memos(coded_project)] == [str(kept.id)]
    history.undo(coded_project, coder="carl")
    assert [m.target_ref for m in memos.list_memos(coded_project)] == [str(twin.id)]


def test_codebook_edits_from_every_path_are_undone_in_order(coded_project: Project) -> None:
    original = {c.key: c for c in list_codes(coded_project)}
    add_code(coded_project, "NY", name="Ny kod", coder="carl")
    edit_code(coded_project, "BIC", coder="carl", name="Barnets bästa (nytt)")
    edit_code(coded_project, "BIC", coder="carl", retired=True)
    edit_code(coded_project, "NY", coder="carl", parent="BIC")
    descriptions = [history.undo(coded_project, coder="carl").description for _ in range(4)]
    assert descriptions == [
        "Undid moving code NY",
        "Undid retiring or unretiring code BIC",
        "Undid renaming code BIC",
        "Undid creating code NY",
    ]
    assert {c.key: c for c in list_codes(coded_project)} == original


def test_undo_of_a_codebook_file_applied(coded_project: Project) -> None:
    before = {c.key: c for c in list_codes(coded_project)}
    book = parse_codebook(
        "codebook: Liten\ncodes:\n  - key: BIC\n    name: Barnets bästa igen\n"
        "    definition: d\n  - key: NYTT\n    name: Nytt\n    definition: d\n"
    )
    apply_codebook(coded_project, book, coder="carl", retire_missing=True)
    assert "NYTT" in keys(coded_project)
    assert "applying a codebook file" in history.undo(coded_project, coder="carl").description
    assert {c.key: c for c in list_codes(coded_project)} == before


def test_undo_of_a_code_another_coder_has_used_is_refused(coded_project: Project) -> None:
    add_code(coded_project, "NY", name="Ny kod", coder="carl")
    coding.apply_code(coded_project, transcript="Fokus", code="NY", start=0, end=5, coder="dora")
    with pytest.raises(Conflict, match="dora's 1 coding"):
        history.undo(coded_project, coder="carl")
    assert "NY" in keys(coded_project)


def test_undo_of_a_rename_another_coder_changed_names_them(coded_project: Project) -> None:
    edit_code(coded_project, "BIC", coder="carl", name="Carls namn")
    edit_code(coded_project, "BIC", coder="dora", name="Doras namn")
    with pytest.raises(Conflict, match="dora changed code BIC since"):
        history.undo(coded_project, coder="carl")


def test_redo_of_a_memo_whose_coding_is_gone_is_one_sentence(coded_project: Project) -> None:
    made = coding.apply_code(
        coded_project, transcript="Fokus", code="BIC", start=0, end=5, coder="dora"
    )
    memos.add_memo(coded_project, target="coding", ref=str(made.id), text="m", coder="carl")
    history.undo(coded_project, coder="carl")
    coding.remove_coding(coded_project, made.id, coder="dora")
    with pytest.raises(QualcodeError) as refused:
        history.redo(coded_project, coder="carl")
    message = str(refused.value)
    assert "removed since (by dora)" in message
    assert "FOREIGN KEY" not in message.upper() and "constraint" not in message.lower()


def test_a_code_with_a_memo_is_kept_by_a_codebook_apply(coded_project: Project) -> None:
    memos.add_memo(coded_project, target="code", ref="ACT.WAIT", text="om koden", coder="carl")
    book = parse_codebook(
        "codebook: Liten\ncodes:\n  - key: BIC\n    name: Barnets bästa\n    definition: d\n"
    )
    diff = apply_codebook(coded_project, book, coder="carl")
    assert "ACT.WAIT" in diff.kept
    assert [m.text for m in memos.list_memos(coded_project)] == ["om koden"]
