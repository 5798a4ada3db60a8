"""Word documents: paragraphs and table cells in order, bold speaker labels."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from qualcode.domain.errors import InvalidInput
from qualcode.domain.turns import find_turns
from qualcode.ingest.registry import read_transcript

from .support import speaker_turns


def add_turn(document: docx.document.Document, label: str, speech: str) -> None:
    """A paragraph "Label: speech" whose label (with its colon) is one bold run."""
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}:").bold = True
    paragraph.add_run(f" {speech}")


def save(document: docx.document.Document, path: Path) -> Path:
    document.save(str(path))
    return path


def test_bold_labels_are_confirmed_speakers(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Datum: 2013-04-18")
    document.add_paragraph("")
    add_turn(document, "Intervjuare", "Hur länge har du arbetat här?")
    # the label bold without its colon, the colon in the next run
    paragraph = document.add_paragraph()
    paragraph.add_run("Karin").bold = True
    paragraph.add_run(": Sedan 2015. Vi var tre då.")
    # bold through the character style, not the run
    paragraph = document.add_paragraph()
    paragraph.add_run("Intervjuare:", style="Strong")
    paragraph.add_run(" Och nu?")
    result = read_transcript(save(document, tmp_path / "intervju.docx"))
    assert result.text == (
        "Datum: 2013-04-18\n\n"
        "Intervjuare: Hur länge har du arbetat här?\n\n"
        "Karin: Sedan 2015. Vi var tre då.\n\n"
        "Intervjuare: Och nu?"
    )
    assert result.confirmed_speakers == {"Intervjuare", "Karin"}
    assert result.encoding is None
    assert result.warnings == ()
    assert result.source_format == "docx"
    # Karin speaks once, yet is a speaker because the bold says so; "Datum" is not
    assert speaker_turns(result) == [("Intervjuare", None), ("Karin", None), ("Intervjuare", None)]
    unconfirmed = [turn.speaker_label for turn in find_turns(result.text)]
    assert unconfirmed == ["Intervjuare", "Intervjuare"]


def test_bold_heading_and_bold_sentence_are_not_speakers(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph().add_run("Bakgrund:").bold = True
    document.add_paragraph().add_run("Allt är fetstil: hela stycket.").bold = True
    paragraph = document.add_paragraph("Obs: ")
    paragraph.add_run("inte").bold = True
    result = read_transcript(save(document, tmp_path / "rubriker.docx"))
    assert result.text == "Bakgrund:\n\nAllt är fetstil: hela stycket.\n\nObs: inte"
    assert result.confirmed_speakers == frozenset()


def test_tables_are_read_cell_by_cell_in_document_order(tmp_path: Path) -> None:
    document = docx.Document()
    add_turn(document, "Moderator", "Välkomna.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Deltagare 1"
    table.cell(0, 1).text = "Tack."
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = "Deltagare 2: Hej."
    add_turn(document, "Moderator", "Då börjar vi.")
    result = read_transcript(save(document, tmp_path / "fokus.docx"))
    assert result.text == (
        "Moderator: Välkomna.\n\nDeltagare 1\n\nTack.\n\nDeltagare 2: Hej.\n\nModerator: Då börjar vi."
    )
    assert result.confirmed_speakers == {"Moderator"}


def test_tracked_insertions_are_read_as_accepted(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("I: Vi ")
    inserted = OxmlElement("w:ins", {qn("w:id"): "1", qn("w:author"): "Korrektur"})
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "väntade länge."
    run.append(text)
    inserted.append(run)
    paragraph._p.append(inserted)
    result = read_transcript(save(document, tmp_path / "spårad.docx"))
    assert result.text == "I: Vi väntade länge."
    assert result.warnings == ("spårad.docx has tracked changes; read as if all were accepted",)


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "falsk.docx"
    path.write_text("I: Hej.", encoding="utf-8")
    with pytest.raises(
        InvalidInput, match=r"falsk.docx is not a Word document \(it is not a zip archive\)"
    ):
        read_transcript(path)


def test_old_doc_or_encrypted_file(tmp_path: Path) -> None:
    path = tmp_path / "gammal.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(InvalidInput, match="gammal.docx is not a Word document .*old .doc file"):
        read_transcript(path)


def test_zip_that_is_not_a_word_document(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hej.txt", "I: Hej.")
    path = tmp_path / "arkiv.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(InvalidInput, match=r"arkiv.docx is not a Word document \(the zip holds"):
        read_transcript(path)


def test_document_without_text(tmp_path: Path) -> None:
    result_path = save(docx.Document(), tmp_path / "tom.docx")
    with pytest.raises(InvalidInput, match="tom.docx contains no text"):
        read_transcript(result_path)


def test_images_and_comments_are_named_in_warnings(tmp_path: Path) -> None:
    document = docx.Document()
    add_turn(document, "I", "Titta på bilden.")
    document.add_paragraph().add_run().add_picture(io.BytesIO(one_pixel_png()))
    paragraph = document.add_paragraph("IP: Jag ser den.")
    document.add_comment(paragraph.runs, text="Kolla detta", author="Kodare")
    result = read_transcript(save(document, tmp_path / "bild.docx"))
    assert result.text == "I: Titta på bilden.\n\nIP: Jag ser den."
    assert result.warnings == (
        "bild.docx: images not read (1)",
        "bild.docx: comments not read (1)",
    )


def one_pixel_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit greyscale
    pixels = zlib.compress(b"\x00\x00")  # filter byte, one pixel
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
