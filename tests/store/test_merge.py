"""Merging a second coder's project: codings, memos, coders and codes by uuid."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.domain.errors import InvalidInput, StoreError
from qualcode.services.backup import backup_project
from qualcode.services.codes import add_code, edit_code
from qualcode.services.coding import apply_code, list_codings
from qualcode.services.memos import add_memo, edit_memo, list_memos
from qualcode.services.merge import merge_project
from qualcode.services.project import Project, init_project, open_project
from qualcode.store.engine import DB_FILENAME
from tests.conftest import ProjectPlace, add_codebook_and_transcript


def _span(project: Project, words: str) -> tuple[int, int]:
    from qualcode.services.transcripts import transcript_text

    text = transcript_text(project, "Fokus").text
    start = text.index(words)
    return start, start + len(words)


def _copy(project: Project, folder: Path) -> Project:
    """The second coder's copy: the SQLite file copied with the backup service."""
    folder.mkdir(mode=0o700)
    backup_project(project, folder / DB_FILENAME)
    return open_project(folder)


@pytest.fixture
def main_and_copy(tmp_path: Path) -> Iterator[tuple[Project, Project, Path]]:
    """Two SQLite folders: the project (anna codes) and a copy (bertil codes)."""
    with init_project(tmp_path / "main") as main:
        add_codebook_and_transcript(main, tmp_path)
        start, end = _span(main, "Vi lägger ärendet på is.")
        apply_code(main, transcript="Fokus", code="ACT.WAIT", start=start, end=end, coder="anna")
        add_memo(main, target="project", ref=None, text="Shared memo.", coder="anna")
        with _copy(main, tmp_path / "second") as second:
            apply_code(
                second, transcript="Fokus", code="ACT.WAIT", start=start, end=end, coder="bertil"
            )
            start2, end2 = _span(second, "Barnen får vänta längre än andra barn.")
            coding = apply_code(
                second, transcript="Fokus", code="ACT.WAIT", start=start2, end=end2, coder="bertil"
            )
            add_memo(
                second, target="coding", ref=str(coding.id), text="Clear case.", coder="bertil"
            )
            yield main, second, tmp_path / "second"


def _counts(project: Project) -> tuple[int, int]:
    return len(list_codings(project)), len(list_memos(project))


def test_merge_brings_codings_and_memos_then_agreement_compares_coders(
    main_and_copy: tuple[Project, Project, Path], tmp_path: Path
) -> None:
    main, _second, folder = main_and_copy
    runner = CliRunner()
    args = ["-p", str(tmp_path / "main")]
    result = runner.invoke(app, [*args, "merge", str(folder), "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["codings_added"] == 2 and data["memos_added"] == 1
    assert data["coders_added"] == ["bertil"]
    assert data["codings_present"] == 1 and data["memos_present"] == 1
    assert data["conflicts"] == [] and data["transcripts_not_merged"] == []
    by_coder = {(c.coder, c.quote) for c in list_codings(main)}
    assert ("bertil", "Barnen får vänta längre än andra barn.") in by_coder
    memo = next(m for m in list_memos(main) if m.text == "Clear case.")
    assert memo.author == "bertil"
    result = runner.invoke(app, [*args, "agreement", "--json", "--coders", "anna,bertil"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["coders"] == ["anna", "bertil"]
    # they agree on one sentence and disagree on another: agreement below 1
    assert {row["code"]: row["alpha"] for row in report["codes"]}["ACT.WAIT"] < 1.0


def test_merging_twice_adds_nothing(main_and_copy: tuple[Project, Project, Path]) -> None:
    main, _second, folder = main_and_copy
    first = merge_project(main, str(folder), coder="anna")
    after_first = _counts(main)
    from qualcode.services.history import undo

    again = merge_project(main, str(folder), coder="anna")
    assert _counts(main) == after_first
    # the empty second merge left no event: undo takes back the first one
    assert "2 codings" in undo(main, coder="anna").description
    assert first.codings_added == 2
    assert again.codings_added == 0 and again.memos_added == 0 and again.coders_added == []
    assert again.codings_present == 3


def test_dry_run_writes_nothing(
    main_and_copy: tuple[Project, Project, Path], tmp_path: Path
) -> None:
    main, _second, folder = main_and_copy
    before = _counts(main)
    result = CliRunner().invoke(
        app, ["-p", str(tmp_path / "main"), "merge", str(folder), "--dry-run"]
    )
    assert result.exit_code == 0, result.stderr
    assert "Would add 2 codings, 1 memos, 1 coders" in result.stdout
    assert _counts(main) == before
    assert merge_project(main, str(folder), coder="anna").codings_added == 2


def test_conflicts_are_listed_not_guessed(main_and_copy: tuple[Project, Project, Path]) -> None:
    main, second, folder = main_and_copy
    shared = next(c for c in list_codings(second) if c.coder == "anna")
    engine = sa.create_engine(f"sqlite:///{folder / DB_FILENAME}")
    with engine.begin() as connection:  # the second coder's copy moved the shared coding
        connection.execute(
            sa.text('UPDATE codings SET "end" = "end" - 1 WHERE uuid = :u'), {"u": shared.uuid}
        )
    engine.dispose()
    shared_memo = next(m for m in list_memos(second) if m.text == "Shared memo.")
    edit_memo(second, shared_memo.id, text="Shared memo, edited offline.", coder="bertil")
    report = merge_project(main, str(folder), coder="anna")
    assert len(report.conflicts) == 2
    assert any(shared.uuid in line for line in report.conflicts)
    assert any(shared_memo.uuid in line for line in report.conflicts)
    mine = next(c for c in list_codings(main) if c.uuid == shared.uuid)
    assert mine.end == shared.end  # kept as it is here
    assert any(m.text == "Shared memo." for m in list_memos(main))


def test_unknown_code_listed_then_created_with_codebook(
    main_and_copy: tuple[Project, Project, Path],
) -> None:
    main, second, folder = main_and_copy
    add_code(second, "ACT.NEW", name="New offline code", parent="ACT", coder="bertil")
    edit_code(second, "ACT.WAIT", name="Waiting, renamed offline", coder="bertil")
    start, end = _span(second, "De lyssnar inte på våra bedömningar.")
    apply_code(second, transcript="Fokus", code="ACT.NEW", start=start, end=end, coder="bertil")
    plain = merge_project(main, str(folder), coder="anna", dry_run=True)
    assert plain.codes_differing == ["ACT.WAIT: name differs"]
    assert plain.unknown_code_codings == {"ACT.NEW": 1}
    assert plain.codes_missing == ["ACT.NEW"] and plain.codes_added == []
    report = merge_project(main, str(folder), coder="anna", codebook=True)
    assert report.codes_added == ["ACT.NEW"] and report.unknown_code_codings == {}
    assert report.codings_added == 3
    from qualcode.services.codes import list_codes

    assert next(c for c in list_codes(main) if c.key == "ACT.WAIT").name != (
        "Waiting, renamed offline"
    )
    made = next(c for c in list_codes(main) if c.key == "ACT.NEW")
    theirs = next(c for c in list_codes(second) if c.key == "ACT.NEW")
    assert made.uuid == theirs.uuid and made.parent_key == "ACT"


def test_self_merge_is_refused(
    main_and_copy: tuple[Project, Project, Path], tmp_path: Path
) -> None:
    main, _second, _folder = main_and_copy
    with pytest.raises(InvalidInput, match="cannot be merged into itself"):
        merge_project(main, str(tmp_path / "main"), coder="anna")
    result = CliRunner().invoke(
        app, ["-p", str(tmp_path / "main"), "merge", str(tmp_path / "main")]
    )
    assert result.exit_code == 1
    assert "cannot be merged into itself" in result.stderr and "Traceback" not in result.stderr


def test_newer_schema_is_refused(main_and_copy: tuple[Project, Project, Path]) -> None:
    main, _second, folder = main_and_copy
    engine = sa.create_engine(f"sqlite:///{folder / DB_FILENAME}")
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(StoreError, match="newer qualcode"):
        merge_project(main, str(folder), coder="anna")


def test_merge_by_content_hash_on_each_engine(place: ProjectPlace, tmp_path: Path) -> None:
    """A separately made project that imported the same transcript file: matched by the
    text's hash, codes by key; a transcript only there is listed, not imported."""
    with place.init(language="sv") as main, init_project(tmp_path / "other") as other:
        add_codebook_and_transcript(main, tmp_path / "a")
        add_codebook_and_transcript(other, tmp_path / "b")
        from qualcode.services.importing import import_file

        extra = tmp_path / "extra.txt"
        extra.write_text("Intervjuare: Hej.\n\nDeltagare: Hej hej.\n", encoding="utf-8")
        import_file(other, extra, mode="interview", title="Extra")
        start, end = _span(other, "Vi lägger ärendet på is.")
        apply_code(other, transcript="Fokus", code="ACT.WAIT", start=start, end=end, coder="cilla")
        preview = merge_project(main, str(tmp_path / "other"), coder="anna", dry_run=True)
        assert preview.codings_added == 1 and list_codings(main) == []
        report = merge_project(main, str(tmp_path / "other"), coder="anna")
        assert report.transcripts_matched == 1 and report.codings_added == 1
        assert report.transcripts_not_merged == ["Extra (not in this project)"]
        assert [(c.coder, c.quote) for c in list_codings(main)] == [
            ("cilla", "Vi lägger ärendet på is.")
        ]


@pytest.fixture(autouse=True)
def _mkdirs(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()


def test_json_keys_are_the_documented_ones(
    main_and_copy: tuple[Project, Project, Path], tmp_path: Path
) -> None:
    from tests.cli.test_cli import REPO, _documented_keys

    _main, _second, folder = main_and_copy
    result = CliRunner().invoke(
        app, ["-p", str(tmp_path / "main"), "merge", str(folder), "--json", "--dry-run"]
    )
    assert result.exit_code == 0, result.stderr
    documented = _documented_keys(REPO / "docs" / "cli.md")
    assert set(json.loads(result.stdout)) == documented["merge"]


def test_undo_takes_the_merge_back_and_redo_puts_it_again(
    main_and_copy: tuple[Project, Project, Path],
) -> None:
    from qualcode.services.codes import list_codes
    from qualcode.services.history import redo, undo

    main, second, folder = main_and_copy
    add_code(second, "ACT.NEW", name="New offline code", parent="ACT", coder="bertil")
    start, end = _span(second, "De lyssnar inte på våra bedömningar.")
    apply_code(second, transcript="Fokus", code="ACT.NEW", start=start, end=end, coder="bertil")
    before = _counts(main)
    merge_project(main, str(folder), coder="anna", codebook=True)
    merged = _counts(main)
    assert merged == (before[0] + 3, before[1] + 1)
    reversal = undo(main, coder="anna")
    assert reversal.action == "project.merge" and "3 codings" in reversal.description
    assert _counts(main) == before
    assert "ACT.NEW" not in {c.key for c in list_codes(main)}
    redo(main, coder="anna")
    assert _counts(main) == merged
    assert "ACT.NEW" in {c.key for c in list_codes(main)}
    assert merge_project(main, str(folder), coder="anna").codings_added == 0


def test_undo_refuses_when_a_merged_coding_has_a_new_memo(
    main_and_copy: tuple[Project, Project, Path],
) -> None:
    from qualcode.domain.errors import Conflict
    from qualcode.services.history import undo

    main, _second, folder = main_and_copy
    merge_project(main, str(folder), coder="anna")
    theirs = next(c for c in list_codings(main) if c.coder == "bertil")
    add_memo(main, target="coding", ref=str(theirs.id), text="Anna's note.", coder="cilla")
    before = _counts(main)
    with pytest.raises(Conflict, match="memo"):
        undo(main, coder="anna")
    assert _counts(main) == before
