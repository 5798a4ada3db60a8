"""Reading plain text (.txt, .md) into canonical text.

Plain text keeps its own layout: the canonical text is the decoded, normalised
file, so offsets and citations match what the user sees in their editor.
"""

from __future__ import annotations

from qualcode.ingest.base import ReadTranscript, decode_text


def read(data: bytes, name: str) -> ReadTranscript:
    decoded = decode_text(data, name)
    return ReadTranscript(
        text=decoded.text,
        encoding=decoded.encoding,
        confirmed_speakers=frozenset(),
        warnings=(decoded.warning,) if decoded.warning else (),
        source_format="md" if name.lower().endswith(".md") else "txt",
    )
