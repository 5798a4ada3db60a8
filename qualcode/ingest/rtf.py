"""Reading Rich Text Format (.rtf) with striprtf.

RTF is ASCII with escapes: ``\\'e4`` bytes in the document's code page
(``\\ansicpg``, cp1252 by default) and ``\\uN`` characters, which striprtf turns
into text. The file's bytes still go through ``decode_bytes``, so raw 8-bit bytes
that some writers leave in are read as cp1252 with a warning. Each line of the
result is a paragraph.
"""

from __future__ import annotations

import re

from striprtf.striprtf import rtf_to_text

from qualcode.domain.errors import InvalidInput
from qualcode.ingest.base import ReadTranscript, decode_text, join_paragraphs

# control words of content that striprtf leaves out, and what a warning calls it
_SKIPPED = (
    (re.compile(r"\\pict(?![a-z])"), "images"),
    (re.compile(r"\\object(?![a-z])"), "embedded objects"),
    (re.compile(r"\\footnote(?![a-z])"), "footnotes"),
    (re.compile(r"\\annotation(?![a-z])"), "comments"),
)
_TABLE_ROW = re.compile(r"\\row(?![a-z])")


def read(data: bytes, name: str) -> ReadTranscript:
    decoded = decode_text(data, name)
    if not decoded.text.lstrip().startswith("{\\rtf"):
        raise InvalidInput(f"{name} is not an RTF file (it does not start with {{\\rtf)")
    try:
        plain = rtf_to_text(decoded.text, errors="strict")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{name} has a character escape that is not valid in its code page "
            f"{exc.encoding} (bytes {exc.object[exc.start : exc.end]!r})"
        ) from exc
    except LookupError as exc:
        raise InvalidInput(f"{name} uses a character set that cannot be decoded ({exc})") from exc
    warnings = [decoded.warning] if decoded.warning else []
    warnings += [
        f"{name}: {what} not read ({n})"
        for pattern, what in _SKIPPED
        if (n := len(pattern.findall(decoded.text)))
    ]
    if _TABLE_ROW.search(decoded.text):
        warnings.append(f"{name}: tables read row by row, with cells separated by '|'")
    return ReadTranscript(
        text=join_paragraphs(plain.split("\n"), name),
        encoding=decoded.encoding,
        confirmed_speakers=frozenset(),
        warnings=tuple(warnings),
        source_format="rtf",
    )
