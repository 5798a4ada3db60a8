"""Mapping a source file's text positions onto qualcode's canonical text.

A REFI-QDA ``PlainTextSelection`` counts positions in the source ``.txt`` as written.
The spec says code points; NVivo counts UTF-16 code units (an emoji is two) over the
file with its CRLFs; ATLAS.ti is reported to count a CRLF as one. qualcode's
canonical text is the file decoded, line breaks turned into ``\\n`` and NFC-normalised
(``qualcode.domain.text.normalise``), so each file position is carried through two
exact maps: file unit -> code point of the file text, then file text -> canonical text.
Which unit a file used is chosen by the producing tool and confirmed by a score: how
many selections start and end on word boundaries and match their quoted ``name``.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from qualcode.domain.text import normalise

_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\u0085\x0b\x0c\x1c\x1d\x1e]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

CODE_POINTS = "code points"
UTF16 = "UTF-16 code units"
CRLF_AS_ONE = "code points, CRLF counted once"
UTF16_CRLF_AS_ONE = "UTF-16 code units, CRLF counted once"
UNITS = (CODE_POINTS, UTF16, CRLF_AS_ONE, UTF16_CRLF_AS_ONE)


class OffsetMap:
    """Positions ``0..len(src)`` of one text onto another. The texts are cut into
    pieces: a piece of equal lengths maps one to one; any other piece (a CRLF that
    became one ``\\n``, a surrogate pair, an NFC composition) maps its start to its
    start and a position inside it to its start (for a start) or end (for an end)."""

    __slots__ = ("_dst_len", "_pieces", "_src_len", "_starts")

    def __init__(self, pieces: Sequence[tuple[int, int, int, int]], src_len: int, dst_len: int):
        # pieces: (src_start, src_len, dst_start, dst_len), only the unequal ones
        self._pieces = list(pieces)
        self._starts = [p[0] for p in self._pieces]
        self._src_len = src_len
        self._dst_len = dst_len

    @property
    def identity(self) -> bool:
        return not self._pieces

    def map(self, position: int, *, end: bool = False) -> int:
        if position >= self._src_len:
            return self._dst_len + (position - self._src_len)
        index = bisect.bisect_right(self._starts, position) - 1
        if index < 0:
            return position
        src_start, src_len, dst_start, dst_len = self._pieces[index]
        if position == src_start:
            return dst_start
        if position < src_start + src_len:
            return dst_start + dst_len if end else dst_start
        return position - (src_start + src_len) + dst_start + dst_len


def _pieces_from_groups(groups: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    return [g for g in groups if g[1] != g[3]]


def utf16_map(text: str) -> OffsetMap:
    """UTF-16 unit positions of ``text`` -> its code point positions."""
    pieces = []
    extra = 0
    for match in _ASTRAL.finditer(text):
        pieces.append((match.start() + extra, 2, match.start(), 1))
        extra += 1
    return OffsetMap(pieces, len(text) + extra, len(text))


def crlf_as_one_map(text: str) -> tuple[str, OffsetMap]:
    """``text`` with each CRLF counted as one position: that text and its map back."""
    pieces = []
    shift = 0
    for match in re.finditer("\r\n", text):
        collapsed = match.start() - shift
        pieces.append((collapsed, 1, match.start(), 2))
        shift += 1
    return text.replace("\r\n", "\n"), OffsetMap(pieces, len(text) - shift, len(text))


def canonical_map(text: str) -> tuple[str, OffsetMap, OffsetMap]:
    """The canonical text of ``text``, with two maps from ``text``'s code points:
    line breaks first, then NFC (returned separately; apply both in order)."""
    pieces = []
    shift = 0
    for match in _LINE_BREAKS.finditer(text):
        if match.end() - match.start() == 2:
            pieces.append((match.start(), 2, match.start() - shift, 1))
            shift += 1
    lines = _LINE_BREAKS.sub("\n", text)
    breaks = OffsetMap(pieces, len(text), len(lines))
    canonical, nfc = _nfc_map(lines)
    assert canonical == normalise(text)
    return canonical, breaks, nfc


def _nfc_map(text: str) -> tuple[str, OffsetMap]:
    if unicodedata.is_normalized("NFC", text):
        return text, OffsetMap([], len(text), len(text))
    # runs start at a character of combining class 0; a run joins the previous group
    # when normalising them apart would differ from normalising them together
    runs = [m.start() for m in re.finditer(r"(?s).", text) if unicodedata.combining(m.group()) == 0]
    if not runs or runs[0] != 0:
        runs.insert(0, 0)
    runs.append(len(text))
    groups: list[tuple[int, int]] = []
    for start, end in itertools.pairwise(runs):
        if groups:
            g_start, g_end = groups[-1]
            joined = unicodedata.normalize("NFC", text[g_start:end])
            apart = unicodedata.normalize("NFC", text[g_start:g_end]) + unicodedata.normalize(
                "NFC", text[start:end]
            )
            if joined != apart:
                groups[-1] = (g_start, end)
                continue
        groups.append((start, end))
    pieces = []
    out = []
    dst = 0
    for start, end in groups:
        normal = unicodedata.normalize("NFC", text[start:end])
        out.append(normal)
        if len(normal) != end - start:
            pieces.append((start, end - start, dst, len(normal)))
        dst += len(normal)
    return "".join(out), OffsetMap(pieces, len(text), dst)


@dataclass(frozen=True, slots=True)
class Placed:
    """A selection placed on the canonical text, or why it could not be."""

    start: int
    end: int


class SourceText:
    """One source file's text, ready to place the file's positions on its canonical
    text in any of the units tools use."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.canonical, self._breaks, self._nfc = canonical_map(text)
        self._has_crlf = "\r\n" in text
        self._has_astral = _ASTRAL.search(text) is not None
        self._maps: dict[str, list[OffsetMap]] = {}

    def units(self) -> list[str]:
        """The units that would place positions differently on this text."""
        found = [CODE_POINTS]
        if self._has_astral:
            found.append(UTF16)
        if self._has_crlf:
            found.append(CRLF_AS_ONE)
            if self._has_astral:
                found.append(UTF16_CRLF_AS_ONE)
        return found

    def length(self, unit: str) -> int:
        """The text's length counted in ``unit``: the largest valid position."""
        text = (
            self.text.replace("\r\n", "\n")
            if unit in (CRLF_AS_ONE, UTF16_CRLF_AS_ONE)
            else self.text
        )
        if unit in (UTF16, UTF16_CRLF_AS_ONE):
            return len(text) + len(_ASTRAL.findall(text))
        return len(text)

    def _chain(self, unit: str) -> list[OffsetMap]:
        if unit not in self._maps:
            chain: list[OffsetMap] = []
            text = self.text
            if unit in (CRLF_AS_ONE, UTF16_CRLF_AS_ONE):
                text, back = crlf_as_one_map(self.text)
                if unit == UTF16_CRLF_AS_ONE:
                    chain.append(utf16_map(text))
                chain.append(back)
            elif unit == UTF16:
                chain.append(utf16_map(text))
            chain += [self._breaks, self._nfc]
            self._maps[unit] = [m for m in chain if not m.identity]
        return self._maps[unit]

    def place(self, start: int, end: int, unit: str) -> Placed:
        """``[start, end)`` in the file's ``unit`` as canonical code points."""
        for step in self._chain(unit):
            start, end = step.map(start), step.map(end, end=True)
        return Placed(start, end)

    def score(self, spans: Sequence[tuple[int, int, str | None]], unit: str) -> int:
        """How well ``unit`` explains the spans: word-aligned ends score 1 each, a
        span whose text equals its quoted name 4, one out of range loses 10."""
        limit = self.length(unit)
        text = self.canonical
        total = 0
        for start, end, name in spans:
            if not 0 <= start <= end <= limit:
                total -= 10
                continue
            placed = self.place(start, end, unit)
            total += _on_boundary(text, placed.start) + _on_boundary(text, placed.end)
            if name and not name.endswith(("…", "...")):
                total += 4 * (text[placed.start : placed.end].strip() == name.strip())
        return total


def _on_boundary(text: str, position: int) -> int:
    if position <= 0 or position >= len(text):
        return 1
    return int(not (text[position - 1].isalnum() and text[position].isalnum()))


def choose_unit(
    source: SourceText, spans: Sequence[tuple[int, int, str | None]], preferred: str
) -> str:
    """The unit that best explains ``spans``; ties go to the producing tool's own."""
    candidates = source.units()
    if len(candidates) == 1 or not spans:
        return preferred if preferred in candidates else CODE_POINTS
    order = sorted(candidates, key=lambda unit: unit != preferred)
    return max(order, key=lambda unit: source.score(spans, unit))


def preferred_unit(origin: str | None) -> str:
    """What the producing tool is known to count (see docs/decisions.md)."""
    name = (origin or "").lower()
    if "nvivo" in name:
        return UTF16
    if "atlas" in name:
        return CRLF_AS_ONE
    return CODE_POINTS
