"""RTF: escapes decoded in the document's code page, one paragraph per line."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.domain.errors import InvalidInput
from qualcode.ingest.registry import read_transcript

from .support import speaker_turns

HEADER = (
    r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Calibri;}}{\colortbl;\red0\green0\blue0;}"
)


def write_rtf(path: Path, body: str) -> Path:
    path.write_bytes((HEADER + body + "}").encode("ascii"))
    return path


def test_escapes_paragraphs_and_speakers(tmp_path: Path) -> None:
    body = (
        r"\pard{\b Intervjuare:} Hur l\'e4nge har ni v\'e4ntat?\par"
        "\r\n"
        r"\par "
        r"{\b Karin:} Sedan i v\'e5ras. Det \u8211? eller n\'e4stan ett \'e5r.\par "
        r"{\b Intervjuare:} Och barnen?\line Hur m\'e5r de?\par "
        r"{\b Karin:} B\'e4ttre nu.\par}"
    )
    result = read_transcript(write_rtf(tmp_path / "intervju.rtf", body))
    assert result.text == (
        "Intervjuare: Hur länge har ni väntat?\n\n"
        "Karin: Sedan i våras. Det – eller nästan ett år.\n\n"
        "Intervjuare: Och barnen?\n\n"
        "Hur mår de?\n\n"
        "Karin: Bättre nu."
    )
    assert result.encoding == "utf-8"
    assert result.confirmed_speakers == frozenset()
    assert result.warnings == ()
    assert result.source_format == "rtf"
    assert speaker_turns(result) == [
        ("Intervjuare", None), ("Karin", None), ("Intervjuare", None), ("Karin", None)
    ]  # fmt: skip


def test_raw_8bit_bytes_fall_back_to_cp1252_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "rå.rtf"
    path.write_bytes(HEADER.encode("ascii") + "I: Hur mår ni?\\par}".encode("cp1252"))
    result = read_transcript(path)
    assert result.text == "I: Hur mår ni?"
    assert result.encoding == "cp1252"
    assert result.warnings == ("rå.rtf is not UTF-8; read it as Windows-1252 (cp1252)",)


def test_images_footnotes_and_tables_are_warned(tmp_path: Path) -> None:
    body = (
        r"I: Se bilden.{\pict\pngblip 89504e47}\par "
        r"IP: Ja{\super\chftn{\footnote\pard Fotnot.}}.\par "
        r"\trowd\cellx1000\cellx2000 A\cell B\cell\row "
    )
    result = read_transcript(write_rtf(tmp_path / "mer.rtf", body))
    assert result.text == "I: Se bilden.\n\nIP: Ja.\n\nA|B|"
    assert result.warnings == (
        "mer.rtf: images not read (1)",
        "mer.rtf: footnotes not read (1)",
        "mer.rtf: tables read row by row, with cells separated by '|'",
    )


def test_not_rtf(tmp_path: Path) -> None:
    path = tmp_path / "falsk.rtf"
    path.write_text("I: Hej.", encoding="utf-8")
    with pytest.raises(
        InvalidInput, match=r"falsk.rtf is not an RTF file \(it does not start with \{\\rtf\)"
    ):
        read_transcript(path)


def test_rtf_without_text(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="tom.rtf contains no text"):
        read_transcript(write_rtf(tmp_path / "tom.rtf", r"\pard\par"))
