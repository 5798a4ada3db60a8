"""Revising a transcript carries its codings over; speakers can be edited."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from qualcode.domain.errors import InvalidInput, NotFound
from qualcode.services import coding
from qualcode.services.importing import import_file, revise_transcript
from qualcode.services.project import Project
from qualcode.services.speakers import list_speakers, update_speaker
from qualcode.services.transcripts import transcript_text
from qualcode.store.schema import EventRow, TextVersionRow
from tests.conftest import SHORT_FOCUS_GROUP


def code_quote(project: Project, quote: str, code: str, coder: str = "anna") -> int:
    text = transcript_text(project, "Fokus").text
    start = text.index(quote)
    return coding.apply_code(
        project, transcript="Fokus", code=code, start=start, end=start + len(quote), coder=coder
    ).id


def test_a_revision_keeps_codings_on_their_words(coded_project: Project, tmp_path: Path) -> None:
    kept = code_quote(coded_project, "Vi lägger ärendet på is.", "ACT.WAIT")
    edited = code_quote(
        coded_project, "Barnen får vänta längre än andra barn.", "DISC.DIFF", "bertil"
    )
    gone = code_quote(coded_project, "Och Migrationsverket?", "COOP")
    revised = (
        SHORT_FOCUS_GROUP.replace("Datum: 2013-04-18", "Datum: 2013-04-18\nPlats: Norrvik")
        .replace("längre än andra barn", "mycket längre än andra barn")
        .replace("Moderator 1: Och Migrationsverket?\n\n", "")
    )
    path = tmp_path / "fokus-v2.txt"
    path.write_text(revised, encoding="utf-8")

    report = revise_transcript(coded_project, "Fokus", path)

    assert report.transcript.version == 2
    assert report.placements == {"exact": 1, "changed": 1, "approximate": 1}
    doc = transcript_text(coded_project, "Fokus")
    assert doc.text == revised
    found = {c.id: c for c in coding.list_codings(coded_project)}
    assert set(found) == {kept, edited, gone}, "no coding is ever dropped"
    assert doc.text[found[kept].start : found[kept].end] == "Vi lägger ärendet på is."
    assert not found[kept].needs_review
    assert found[edited].needs_review and found[edited].quote.startswith("Barnen får vänta längre")
    assert found[gone].needs_review
    assert [s.label for s in doc.speakers] == [
        "Moderator 1",
        "Socialsekreterare A",
        "Socialsekreterare B",
    ]
    with coded_project.database.read() as session:
        assert session.scalar(select(func.count(TextVersionRow.id))) == 2
        event = session.scalars(
            select(EventRow).where(EventRow.action == "transcript.revise")
        ).one()
        assert event.after["placements"] == report.placements
    # new codings go on the new version
    code_quote(coded_project, "Plats: Norrvik", "CTX")


def test_a_revision_with_the_same_text_is_refused(coded_project: Project, tmp_path: Path) -> None:
    path = tmp_path / "same.txt"
    path.write_text(SHORT_FOCUS_GROUP, encoding="utf-8")
    with pytest.raises(InvalidInput, match="same text"):
        revise_transcript(coded_project, "Fokus", path)
    assert transcript_text(coded_project, "Fokus").transcript.version == 1


def test_importing_the_same_content_twice_needs_force(
    coded_project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "again.txt"
    path.write_text(SHORT_FOCUS_GROUP, encoding="utf-8")
    with pytest.raises(InvalidInput, match="same content as transcript 'Fokus'"):
        import_file(coded_project, path)
    report = import_file(coded_project, path, title="Fokus", force=True)
    assert report.transcript.title == "Fokus (2)"


def test_speaker_roles_and_pseudonyms_can_be_edited(coded_project: Project) -> None:
    update_speaker(coded_project, "Fokus", "Socialsekreterare A", coder="anna", pseudonym="SS1")
    update_speaker(coded_project, "Fokus", "Moderator 1", coder="anna", role="interviewer")
    found = {s.label: (s.role, s.pseudonym) for s in list_speakers(coded_project, "Fokus")}
    assert found["Socialsekreterare A"] == ("participant", "SS1")
    assert found["Moderator 1"] == ("interviewer", None)
    with pytest.raises(InvalidInput, match="unknown role 'boss'"):
        update_speaker(coded_project, "Fokus", "Moderator 1", coder="anna", role="boss")
    with pytest.raises(NotFound, match="'Nobody'"):
        update_speaker(coded_project, "Fokus", "Nobody", coder="anna", role="participant")
