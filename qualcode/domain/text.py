"""Decoding and normalising transcript text into the canonical form.

The canonical text is what every offset refers to (see docs/decisions.md, "Offsets"):
decoded to ``str``, every kind of line break turned into ``\\n`` and NFC-normalised.
It is computed once at import and never changed in place.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass

# \r\n must be replaced before a lone \r; the rest are the separators Unicode and
# Python's str.splitlines() treat as line breaks, which TextArea would otherwise rewrite.
_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\u0085\x0b\x0c\x1c\x1d\x1e]")


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Text decoded from bytes, with the encoding used and any warning to show."""

    text: str
    encoding: str
    warning: str | None = None


class DecodeError(ValueError):
    """The bytes are not text this importer accepts; the message says why."""


def decode_bytes(data: bytes, source: str) -> DecodedText:
    """Decode transcript bytes: BOM-marked UTF-8/16/32, plain UTF-8, else cp1252.

    ``source`` names the file in messages. Empty input, NUL bytes in what is not
    UTF-16/32, and text that is mostly UTF-8 but has invalid sequences are refused:
    each would otherwise be stored silently wrong.
    """
    if not data.strip():
        raise DecodeError(f"{source} is empty")
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return DecodedText(data.decode(encoding), encoding.replace("-sig", ""))
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    f"{source} starts with a {encoding} byte-order mark but is not valid "
                    f"{encoding} at byte {exc.start}"
                ) from exc
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DecodeError(
            f"{source} contains NUL bytes (first at byte {nul}): it looks like a binary "
            "file, not text"
        )
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        if _looks_mostly_utf8(data):
            line = data[: exc.start].count(b"\n") + 1
            raise DecodeError(
                f"{source} is UTF-8 with an invalid byte sequence at byte {exc.start} "
                f"(line {line}); fix or re-save the file as UTF-8"
            ) from exc
    text = data.decode("cp1252", errors="replace")
    if "\ufffd" in text:
        raise DecodeError(f"{source} is neither UTF-8 nor cp1252 text")
    return DecodedText(
        text,
        "cp1252",
        warning=f"{source} is not UTF-8; read it as Windows-1252 (cp1252)",
    )


def _looks_mostly_utf8(data: bytes) -> bool:
    """True when the bytes contain valid multi-byte UTF-8 sequences: then an invalid
    one is corruption, not a different encoding."""
    valid_multibyte = re.findall(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}", data)
    return len(valid_multibyte) >= 2


def normalise(text: str) -> str:
    """Canonical form: every line break as ``\\n``, then NFC."""
    return unicodedata.normalize("NFC", _LINE_BREAKS.sub("\n", text))


def sha256_text(text: str) -> str:
    """Hex SHA-256 of text encoded as UTF-8 (the quote and version hashes)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
