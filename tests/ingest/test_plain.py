"""Plain text keeps its own layout; bad bytes are refused with the file's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.domain.errors import InvalidInput
from qualcode.ingest.registry import read_transcript

from .support import speaker_turns


def test_text_is_decoded_and_normalised(tmp_path: Path) -> None:
    path = tmp_path / "intervju.txt"
    # CRLF line ends and a decomposed "ä" (a + combining diaeresis)
    path.write_bytes("I: Hur va\u0308ntar ni?\r\nIP1: Vi väntar.\r\n".encode())
    result = read_transcript(path)
    assert result.text == "I: Hur väntar ni?\nIP1: Vi väntar.\n"
    assert result.encoding == "utf-8"
    assert result.confirmed_speakers == frozenset()
    assert result.warnings == ()
    assert result.source_format == "txt"
    assert speaker_turns(result) == [("I", None), ("IP1", None)]


def test_markdown(tmp_path: Path) -> None:
    path = tmp_path / "anteckningar.md"
    path.write_text("# Intervju\n\nI: Hej.\n", encoding="utf-8")
    result = read_transcript(path)
    assert result.text == "# Intervju\n\nI: Hej.\n"
    assert result.source_format == "md"


def test_cp1252_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "gammal.txt"
    path.write_bytes("I: Hur länge väntade ni?\n".encode("cp1252"))
    result = read_transcript(path)
    assert result.text == "I: Hur länge väntade ni?\n"
    assert result.encoding == "cp1252"
    assert result.warnings == ("gammal.txt is not UTF-8; read it as Windows-1252 (cp1252)",)


def test_whitespace_only_file_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(b" \n\n\t\n")
    with pytest.raises(InvalidInput, match="blank.txt is empty"):
        read_transcript(path)


def test_nul_bytes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "nul.txt"
    path.write_bytes(b"I: Hej\x00 igen.\n")
    with pytest.raises(InvalidInput, match=r"nul.txt contains NUL bytes \(first at byte 6\)"):
        read_transcript(path)


def test_binary_garbage_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bild.txt"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InvalidInput, match="bild.txt contains NUL bytes"):
        read_transcript(path)


def test_high_bytes_that_are_not_cp1252_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "brus.txt"
    path.write_bytes(bytes(range(128, 256)))
    with pytest.raises(InvalidInput, match="brus.txt is neither UTF-8 nor cp1252 text"):
        read_transcript(path)
