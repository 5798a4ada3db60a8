"""Dispatch by extension and the checks every file goes through before a reader."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qualcode.domain.errors import InvalidInput
from qualcode.ingest import source
from qualcode.ingest.registry import SUPPORTED_EXTENSIONS, read_transcript


def test_supported_extensions() -> None:
    assert set(SUPPORTED_EXTENSIONS) == {
        ".txt",
        ".text",
        ".md",
        ".docx",
        ".odt",
        ".rtf",
        ".vtt",
        ".srt",
    }


@pytest.mark.parametrize("file_name", ["intervju.TXT", "intervju.Md"])
def test_extension_is_case_insensitive(tmp_path: Path, file_name: str) -> None:
    path = tmp_path / file_name
    path.write_text("I: Hej.\n", encoding="utf-8")
    result = read_transcript(path)
    assert result.text == "I: Hej.\n"
    assert result.source_format in {"txt", "md"}


def test_uppercase_vtt_goes_to_the_vtt_reader(tmp_path: Path) -> None:
    path = tmp_path / "samtal.VTT"
    path.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Anna>Hej.\n", encoding="utf-8")
    assert read_transcript(path).text == "[00:00:01.000] Anna: Hej."


def test_unsupported_extension_lists_the_formats(tmp_path: Path) -> None:
    path = tmp_path / "rapport.pdf"
    path.write_bytes(b"%PDF-1.7")
    with pytest.raises(InvalidInput) as caught:
        read_transcript(path)
    message = str(caught.value)
    assert message.startswith("rapport.pdf: unsupported file type .pdf")
    for extension in SUPPORTED_EXTENSIONS:
        assert extension in message


def test_no_extension(tmp_path: Path) -> None:
    path = tmp_path / "README"
    path.write_text("text", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"README: unsupported file type \(none\)"):
        read_transcript(path)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "saknas.txt"
    with pytest.raises(InvalidInput, match="saknas.txt does not exist"):
        read_transcript(path)


def test_folder(tmp_path: Path) -> None:
    path = tmp_path / "mapp.txt"
    path.mkdir()
    with pytest.raises(InvalidInput, match="mapp.txt is a folder, not a file"):
        read_transcript(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    with pytest.raises(InvalidInput, match="pipe.txt is not a regular file"):
        read_transcript(path)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "hemlig.txt"
    path.write_text("I: Hej.", encoding="utf-8")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    # chmod cannot stop root, who runs CI
    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(InvalidInput, match=r"hemlig.txt cannot be read \(permission denied\)"):
        read_transcript(path)


@pytest.mark.parametrize("file_name", ["tom.txt", "tom.docx", "tom.odt", "tom.vtt"])
def test_empty_file(tmp_path: Path, file_name: str) -> None:
    path = tmp_path / file_name
    path.write_bytes(b"")
    with pytest.raises(InvalidInput, match=f"{file_name} is empty"):
        read_transcript(path)


@pytest.mark.parametrize("file_name", ["stor.txt", "stor.docx"])
def test_file_over_the_size_limit_is_refused_unread(tmp_path: Path, file_name: str) -> None:
    path = tmp_path / file_name
    with path.open("wb") as file:
        file.truncate(source.MAX_BYTES + 1)  # sparse: no disk or memory used
    with pytest.raises(
        InvalidInput, match=f"{file_name} is 50 MB; transcripts over 50 MB are refused"
    ):
        read_transcript(path)
