"""What every reader returns, and the helpers that make its text canonical.

A reader turns one file's bytes into a ``ReadTranscript``. Its ``text`` is the
canonical text of DESIGN.md ("Text and offsets"): line breaks as ``\\n``, NFC, and,
for formats that have paragraphs of their own (Word, OpenDocument, RTF, captions),
one paragraph per block separated by a blank line, each speaker turn starting its
paragraph as ``Label: speech`` so that ``qualcode.domain.turns`` finds it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from qualcode.domain.errors import InvalidInput
from qualcode.domain.text import DecodedText, DecodeError, decode_bytes, normalise


@dataclass(frozen=True, slots=True)
class ReadTranscript:
    """A transcript file read into canonical text.

    ``encoding`` is how the file's bytes were decoded, or None when the format
    carries its own (Word and OpenDocument are XML in a zip). ``confirmed_speakers``
    are labels the file's own markup marks as speakers (a bold ``Name:``, a WebVTT
    voice), to pass to ``find_turns(..., confirmed=...)``. ``warnings`` name what
    the reader could not keep (images, footnotes, a cp1252 fallback…).
    """

    text: str
    encoding: str | None
    confirmed_speakers: frozenset[str]
    warnings: tuple[str, ...]
    source_format: str


# Every reader has this shape: the file's bytes and its name (for messages).
Reader = Callable[[bytes, str], ReadTranscript]


def decode_text(data: bytes, name: str) -> DecodedText:
    """The bytes decoded (see ``decode_bytes``) and normalised, or InvalidInput."""
    try:
        decoded = decode_bytes(data, name)
    except DecodeError as exc:
        raise InvalidInput(str(exc)) from exc
    return DecodedText(normalise(decoded.text), decoded.encoding, decoded.warning)


def join_paragraphs(paragraphs: Iterable[str], name: str) -> str:
    """Canonical text of paragraphs: each normalised and stripped, empty ones
    dropped, separated by one blank line. A file with no text is refused, as an
    empty transcript is never what the user meant to import."""
    kept = [stripped for p in paragraphs if (stripped := normalise(p).strip())]
    if not kept:
        raise InvalidInput(f"{name} contains no text")
    return "\n\n".join(kept)
