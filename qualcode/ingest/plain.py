"""Reading plain text (.txt, .md) into canonical text.

Plain text keeps its own layout: the canonical text is the decoded, normalised
file, so offsets and citations match what the user sees in their editor.
"""

from __future__ import annotations

from pathlib import Path

from qualcode.domain.errors import InvalidInput
from qualcode.domain.text import DecodedText
from qualcode.ingest.base import ReadTranscript, decode_text
from qualcode.ingest.source import MAX_BYTES, read_source

__all__ = ["EXTENSIONS", "MAX_BYTES", "read", "read_plain"]

EXTENSIONS = (".txt", ".md", ".text")


def read(data: bytes, name: str) -> ReadTranscript:
    decoded = decode_text(data, name)
    return ReadTranscript(
        text=decoded.text,
        encoding=decoded.encoding,
        confirmed_speakers=frozenset(),
        warnings=(decoded.warning,) if decoded.warning else (),
        source_format="md" if name.lower().endswith(".md") else "txt",
    )


def read_plain(path: Path) -> DecodedText:
    """The file's text, decoded and normalised, or one clear error naming the file.

    Kept for ``qualcode.services.importing`` until it calls
    ``qualcode.ingest.registry.read_transcript``; remove it then.
    """
    if path.suffix.lower() not in EXTENSIONS:
        raise InvalidInput(
            f"{path.name}: unsupported file type {path.suffix or '(none)'}; "
            f"supported: {', '.join(EXTENSIONS)}"
        )
    return decode_text(read_source(path), path.name)
