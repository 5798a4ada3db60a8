"""``import_folder`` in batches: the same rows as one file at a time, a bad file or a
taken title failing alone, a file repeated in the folder skipped; and the word count
stored with a text, counted without a list of its words."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from qualcode.domain.errors import InvalidInput
from qualcode.services import folder_import
from qualcode.services.folder_import import import_folder, plan_folder
from qualcode.services.importing import import_file
from qualcode.services.project import Project
from qualcode.services.transcripts import transcript_text
from qualcode.store.repositories.transcripts import word_count
from qualcode.store.schema import EventRow, SegmentRow, SpeakerRow, TurnRow, UnitRow
from tests.conftest import SHORT_FOCUS_GROUP

OTHER = (
    "Moderator 1: Hur ser det ut nu?\n\nDeltagare A: Bättre. Mycket bättre!\n\nDeltagare B: Ja.\n"
)


def structure(project: Project, title: str) -> tuple[object, ...]:
    """What is stored for a transcript, without ids: sentences, turns, segments, speakers."""
    doc = transcript_text(project, title)
    turn_index = {turn.id: index for index, turn in enumerate(doc.turns)}
    return (
        doc.text,
        [(u.start, u.end) for u in doc.units],
        [(t.start, t.end, t.speaker_label, t.speaker_role, t.verbatim) for t in doc.turns],
        [(s.start, s.end, turn_index.get(s.turn_id or -1)) for s in doc.segments],
        sorted((s.label, s.role) for s in doc.speakers),
    )


def counts(project: Project) -> dict[str, int]:
    with project.database.read() as session:
        return {
            row.__tablename__: session.scalar(select(func.count()).select_from(row)) or 0
            for row in (UnitRow, SegmentRow, TurnRow, SpeakerRow)
        }


@pytest.mark.parametrize("read_ahead", [False, True], ids=["one process", "reader process"])
def test_a_folder_in_small_batches_stores_what_single_imports_store(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read_ahead: bool
) -> None:
    folder = tmp_path / "mapp"
    folder.mkdir()
    texts = {"a": SHORT_FOCUS_GROUP, "b": OTHER, "c": SHORT_FOCUS_GROUP.replace("vänta", "vänja")}
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    monkeypatch.setattr(folder_import, "BATCH_FILES", 2)  # two batches: a+b, then c
    monkeypatch.setattr(folder_import, "READ_AHEAD", read_ahead)
    done = import_folder(project, plan_folder(folder), mode="focus_group")
    assert [path.name for path, _ in done.imported] == ["a.txt", "b.txt", "c.txt"]
    assert not done.failed and not done.skipped
    stored = {name: structure(project, name) for name in texts}
    before = counts(project)
    for name in texts:
        import_file(
            project, folder / f"{name}.txt", mode="focus_group", title=f"{name}1", force=True
        )
        assert structure(project, f"{name}1") == stored[name]
    assert counts(project) == {table: 2 * n for table, n in before.items()}
    with project.database.read() as session:
        events = session.scalars(
            select(EventRow.entity_id).where(EventRow.action == "transcript.import")
        ).all()
    assert len(events) == 6 and len(set(events)) == 6  # one event per transcript


def test_a_taken_title_and_a_bad_file_fail_alone_a_repeated_file_is_skipped(
    project: Project, tmp_path: Path
) -> None:
    folder = tmp_path / "mapp"
    folder.mkdir()
    (folder / "fokus.txt").write_text(SHORT_FOCUS_GROUP, encoding="utf-8")
    (folder / "kopia.txt").write_text(SHORT_FOCUS_GROUP, encoding="utf-8")
    (folder / "annan.txt").write_text(OTHER, encoding="utf-8")
    (folder / "trasig.txt").write_bytes(b"\x00\x01 binary \xff\xfe")
    (folder / "upptagen.txt").write_text("I: Något eget.\n\nIP: Ja.\n", encoding="utf-8")
    elsewhere = tmp_path / "annat.txt"
    elsewhere.write_text("I: Redan här.\n\nIP: Ja.\n", encoding="utf-8")
    import_file(project, elsewhere, title="upptagen")
    done = import_folder(project, plan_folder(folder), mode="focus_group")
    assert sorted(path.name for path, _ in done.imported) == ["annan.txt", "fokus.txt"]
    failed = dict((path.name, reason) for path, reason in done.failed)
    assert set(failed) == {"trasig.txt", "upptagen.txt"}
    assert failed["trasig.txt"].startswith("trasig.txt")
    assert "a transcript titled 'upptagen' exists already" in failed["upptagen.txt"]
    assert [(p.name, why) for p, why in done.skipped] == [
        ("kopia.txt", "already imported as 'fokus'")
    ]
    titles = {report.transcript.title for _, report in done.imported}
    assert titles == {"fokus", "annan"}
    assert transcript_text(project, "upptagen").text.startswith("I: Redan här.")
    forced = import_folder(project, plan_folder(folder, pattern="kopia.txt"), force=True)
    assert [report.transcript.title for _, report in forced.imported] == ["kopia"]


@given(st.text(alphabet=st.sampled_from("ab \n\t\u00a0\u2003x."), max_size=60), st.integers(1, 9))
def test_word_count_by_chunks_is_a_split(text: str, chunk: int) -> None:
    assert word_count(text, chunk) == len(text.split())


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_not_waited_on(project: Project, tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    with pytest.raises(InvalidInput, match="pipe.txt is not a regular file"):
        import_file(project, pipe)
