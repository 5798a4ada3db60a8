"""The words of a text as the word index stores them: the lower-case forms,
space-joined in text order, and each word's ``(start, end)`` packed as little-endian
unsigned 32-bit pairs. Two values per text version instead of a row per word (see
docs/decisions.md, "The word index"). Lemmas are not here: they belong to the forms,
not to the texts, and are kept once per distinct form (``word_lemmas``)."""

from __future__ import annotations

import array
import re
import struct
import sys
from bisect import bisect_left
from collections.abc import Collection, Sequence
from itertools import accumulate

# a word: letters or digits, with inner hyphens and apostrophes (LVU-placering, don't)
WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_PIECES = re.compile(f"({WORD.pattern})")  # separators and words, alternating
_PAIR = struct.Struct("<II")


CHUNK = 1 << 18  # characters split at a time: a piece per word and gap is ~60 bytes


def index_text(text: str) -> tuple[str, bytes]:
    """``(forms, spans)`` of ``text``: its words lower-cased and space-joined, and
    their offsets packed. The text is split a chunk at a time, each chunk ending at
    whitespace (no word spans whitespace), so a long transcript's pieces are never all
    in memory (a million words would be ~120 MB of them)."""
    offsets = array.array("I")
    forms: list[str] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + CHUNK)
        while end < len(text) and not text[end].isspace():
            end += 1
        pieces = _PIECES.split(text[start:end])
        if len(pieces) > 1:
            # the running lengths of separator, word, separator, word, ... from the
            # chunk's start are each word's start and end; the last is the chunk's end
            offsets.extend(list(accumulate(map(len, pieces), initial=start))[1:-1])
            forms.append(" ".join(pieces[1::2]).lower())
        start = end
    if sys.byteorder == "big":
        offsets.byteswap()
    return " ".join(forms), offsets.tobytes()


def forms_of(forms: str) -> list[str]:
    """The forms of a stored ``forms`` string, one per word."""
    return forms.split(" ") if forms else []


def unpack_offsets(packed: bytes) -> array.array[int]:
    """The packed offsets: start, end, start, end, ..."""
    offsets = array.array("I")
    offsets.frombytes(packed)
    if sys.byteorder == "big":
        offsets.byteswap()
    return offsets


def unpack_spans(packed: bytes) -> list[tuple[int, int]]:
    """The ``(start, end)`` of each word."""
    flat = unpack_offsets(packed).tolist()
    return list(zip(flat[0::2], flat[1::2], strict=True))


def span_at(packed: bytes, position: int) -> tuple[int, int]:
    """The ``(start, end)`` of the word at ``position`` (0-based)."""
    start, end = _PAIR.unpack_from(packed, 8 * position)
    return int(start), int(end)


def positions_of(forms: str, wanted: str) -> list[int]:
    """The positions of the words whose form is ``wanted``, found in the stored string
    (no list of its words): each hit's position counts the spaces before it."""
    found: list[int] = []
    size, at, position, reach = len(wanted), forms.find(wanted), 0, 0
    while at != -1:
        end = at + size
        if (at == 0 or forms[at - 1] == " ") and (end == len(forms) or forms[end] == " "):
            position += forms.count(" ", reach, at)
            reach = at
            found.append(position)
        at = forms.find(wanted, end)
    return found


FEW_FORMS = 8  # up to this many forms are found by substring search, more by a split


def positions_in(forms: str, wanted: Collection[str]) -> list[int]:
    """The positions of the words whose form is one of ``wanted``, in text order: each
    form searched for in the stored string while they are few (most lemmas have one to
    four), else the string split once (a short lemma's compounds can be hundreds of
    forms, and each search reads the whole string)."""
    if len(wanted) <= FEW_FORMS:
        return sorted(
            position for form in wanted if form in forms for position in positions_of(forms, form)
        )
    chosen = set(wanted)
    return [position for position, form in enumerate(forms_of(forms)) if form in chosen]


def words_within(
    starts: Sequence[int], ends: Sequence[int], start: int, end: int
) -> tuple[int, int] | None:
    """The positions ``[first, last)`` of the words lying within ``start``-``end`` of a
    text, or None when a word is cut by either end."""
    first = bisect_left(ends, start + 1)  # the first word ending after start
    last = bisect_left(starts, end)  # the first word starting at or after end
    if first < len(starts) and starts[first] < start:
        return None
    if last > 0 and ends[last - 1] > end:
        return None
    return first, max(first, last)
