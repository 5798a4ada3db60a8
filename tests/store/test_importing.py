"""Importing files: what is stored, and bad files that change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from qualcode.domain.errors import InvalidInput
from qualcode.services import coding
from qualcode.services.demo import build_demo
from qualcode.services.importing import Repairs, import_file
from qualcode.services.project import Project
from qualcode.services.transcripts import list_transcripts, transcript_text
from qualcode.store.schema import EventRow, TextVersionRow, TranscriptRow
from tests.conftest import TRANSCRIPTS


def test_a_cp1252_file_with_windows_line_ends_comes_in_faithfully(project: Project) -> None:
    path = TRANSCRIPTS / "kartlaggning" / "samtal-03-ljungaryd.txt"
    report = import_file(project, path, mode="survey_call")
    assert report.encoding == "cp1252"
    assert report.warnings and "samtal-03-ljungaryd.txt" in report.warnings[0]
    doc = transcript_text(project, report.transcript.id)
    expected = path.read_bytes().decode("cp1252").replace("\r\n", "\n")
    assert doc.text == expected and "\r" not in doc.text
    assert {s.label for s in doc.speakers} == {"Forskare", "Enhet"}


def test_pdf_repairs_are_recorded_with_the_text(project: Project) -> None:
    report = import_file(
        project,
        TRANSCRIPTS / "rapport-utdrag-pdf.txt",
        mode="document",
        repairs=Repairs(dehyphenate=True, reflow=True),
    )
    assert report.transformations["dehyphenate"] == 9
    assert report.transformations["reflow"] > 0
    text = transcript_text(project, report.transcript.id).text
    assert "socialsekre-" not in text and "LVU-placering" in text
    with project.database.read() as session:
        version = session.scalars(select(TextVersionRow)).one()
        assert version.transformations == report.transformations
        event = session.scalars(
            select(EventRow).where(EventRow.action == "transcript.import")
        ).one()
        assert event.after["transformations"] == report.transformations


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty.txt is empty"),
        ("binary.txt", bytes(range(256)) * 4, "NUL bytes"),
        (
            "broken.txt",
            "Intervjuare: Vi väntar på beslut. Åtta barn.".encode() + b"\xff\xfe",
            "invalid byte sequence",
        ),
        ("notes.pdf", b"%PDF-1.4", "unsupported file type .pdf"),
    ],
)
def test_bad_files_get_one_error_and_change_nothing(
    project: Project, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InvalidInput, match=message):
        import_file(project, path)
    with project.database.read() as session:
        assert session.scalar(select(func.count(TranscriptRow.id))) == 0
        assert session.scalar(select(func.count(EventRow.id))) == 1  # project.create only


def test_a_huge_file_is_refused_by_size(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(120 * 1024 * 1024)
    with pytest.raises(InvalidInput, match=r"huge\.txt is 120 MB"):
        import_file(project, path)
    assert list_transcripts(project) == []


def test_bad_metadata_is_refused(project: Project) -> None:
    path = TRANSCRIPTS / "telefon-01-sjostad.txt"
    with pytest.raises(InvalidInput, match="unknown mode 'radio'"):
        import_file(project, path, mode="radio")
    with pytest.raises(InvalidInput, match=r"takes a date YYYY-MM-DD; '18/4 2013' is not one"):
        import_file(project, path, date="18/4 2013")
    with pytest.raises(InvalidInput, match="named group"):
        import_file(project, path, speaker_pattern=r"^\w+:")


def test_the_demo_project_has_every_sample_transcript_and_coding(tmp_path: Path) -> None:
    import yaml

    manifest = yaml.safe_load((TRANSCRIPTS / "manifest.yaml").read_text("utf-8"))
    samples = yaml.safe_load((TRANSCRIPTS / "sample-codings.yaml").read_text("utf-8"))["codings"]
    with build_demo(tmp_path / "demo") as project:
        titles = [t.title for t in list_transcripts(project)]
        assert titles == [entry["title"] for entry in manifest["transcripts"]]
        codings = coding.list_codings(project)
        assert len(codings) == len(samples)
        assert {c.coder for c in codings} == {"anna", "bertil"}
        assert all(c.quote.strip() for c in codings)
    # a second call reuses the project rather than rebuilding it
    with build_demo(tmp_path / "demo") as again:
        assert len(coding.list_codings(again)) == len(samples)


def test_a_webvtt_file_brings_its_voices_and_timestamps(project: Project) -> None:
    report = import_file(project, TRANSCRIPTS / "interview-en-riverside.vtt", language="en")
    doc = transcript_text(project, report.transcript.id)
    assert [s.label for s in doc.speakers] == ["Interviewer", "Social worker"]
    assert doc.turns[0].timestamp_ms == 1000
    assert all(t.timestamp_ms is not None for t in doc.turns)
    assert report.encoding == "utf-8"


def test_a_word_document_with_bold_speakers(project: Project, tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for speaker, speech in [
        ("Intervjuare:", " Hur länge väntade familjen?"),
        ("Handläggare:", " I två år. Ärendet låg på is."),
    ]:
        paragraph = document.add_paragraph()
        paragraph.add_run(speaker).bold = True
        paragraph.add_run(speech)
    document.save(tmp_path / "intervju.docx")
    report = import_file(project, tmp_path / "intervju.docx")
    doc = transcript_text(project, report.transcript.id)
    assert (
        doc.text
        == "Intervjuare: Hur länge väntade familjen?\n\nHandläggare: I två år. Ärendet låg på is."
    )
    assert [(t.speaker_label, t.speaker_role) for t in doc.turns] == [
        ("Intervjuare", "interviewer"),
        ("Handläggare", "participant"),
    ]


def test_a_document_does_not_take_table_rows_for_speakers(project: Project, tmp_path: Path) -> None:
    from tests.unit.test_turns import REPORT_EXCERPT

    path = tmp_path / "rapport.txt"
    path.write_text(REPORT_EXCERPT, encoding="utf-8")
    as_document = import_file(project, path, mode="document", title="Rapport")
    assert as_document.speakers == ("Socialsekreterare A", "Handläggare")
    as_interview = import_file(project, path, mode="interview", title="Intervju", force=True)
    assert "Antal barn inskrivna i MV" in as_interview.speakers
