"""Carrying coded spans from one text version to the next.

When a transcript is revised (a corrected transcription, a re-export), each coding
must keep pointing at the words it was made on. The old and new texts are diffed
(lines first, then words inside changed lines, so large texts stay fast);
each span's ends are mapped through the unchanged stretches. A span whose words are
unchanged lands exactly; one that touched an edit, or whose words moved, is placed as
well as possible and flagged for review. No coding is ever dropped.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
# a line with the newlines after it: blank lines never stand alone as diff elements
_CHUNK = re.compile(r"[^\n]*\n+|[^\n]+$")


class Placement(StrEnum):
    EXACT = "exact"  # the same words, mapped through unchanged text
    RELOCATED = "relocated"  # the words were found elsewhere (moved text); check it
    CHANGED = "changed"  # placed, but the words inside differ from the quote
    APPROXIMATE = "approximate"  # the words are gone; nearest position kept


@dataclass(frozen=True, slots=True)
class Anchored:
    start: int
    end: int
    placement: Placement

    @property
    def needs_review(self) -> bool:
        return self.placement is not Placement.EXACT


@dataclass(frozen=True, slots=True)
class _Block:
    old_start: int
    old_end: int
    new_start: int
    new_end: int
    equal: bool


class OffsetMap:
    """Maps offsets of an old text to a new one through the stretches they share."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new
        self.blocks = _char_blocks(old, new)
        self._starts = [block.old_start for block in self.blocks]

    def _block(self, offset: int) -> _Block:
        index = max(bisect.bisect_right(self._starts, offset) - 1, 0)
        return self.blocks[index]

    def exact(self, offset: int, *, is_end: bool) -> int | None:
        """The new offset when ``offset`` lies in unchanged text, else None.

        An end offset is looked up one character back, so a span ending right where an
        edit begins still maps exactly.
        """
        probe = offset - 1 if is_end and offset > 0 else offset
        block = self._block(probe)
        if not block.equal or not block.old_start <= probe < block.old_end:
            if offset == len(self.old):
                return len(self.new)
            return None
        return block.new_start + (offset - block.old_start)

    def nearest(self, offset: int, *, is_end: bool) -> int:
        """A new offset for ``offset`` even inside an edit: the edit's edge."""
        found = self.exact(offset, is_end=is_end)
        if found is not None:
            return found
        block = self._block(offset - 1 if is_end and offset > 0 else offset)
        return block.new_end if is_end else block.new_start


def reanchor(old: str, new: str, spans: list[tuple[int, int, str]]) -> list[Anchored]:
    """Place each ``(start, end, quote)`` of ``old`` in ``new``; same order as given."""
    if old == new:
        return [Anchored(s, e, Placement.EXACT) for s, e, _ in spans]
    mapping = OffsetMap(old, new)
    return [_place(mapping, start, end, quote) for start, end, quote in spans]


def _place(mapping: OffsetMap, start: int, end: int, quote: str) -> Anchored:
    new = mapping.new
    new_start = mapping.exact(start, is_end=False)
    new_end = mapping.exact(end, is_end=True)
    # repeated words make a diff's alignment ambiguous: trust either end that still
    # carries the whole quote before falling back
    if new_start is not None and new.startswith(quote, new_start):
        return Anchored(new_start, new_start + len(quote), Placement.EXACT)
    if new_end is not None and new_end >= len(quote) and new.endswith(quote, 0, new_end):
        return Anchored(new_end - len(quote), new_end, Placement.EXACT)
    guess = mapping.nearest(start, is_end=False)
    if new_start is not None and new_end is not None and new_start < new_end:
        nearby = _find_nearest(new, quote, new_start, window=max(200, len(quote)))
        if nearby is not None:
            return Anchored(nearby, nearby + len(quote), Placement.RELOCATED)
        return Anchored(new_start, new_end, Placement.CHANGED)
    found = _find_nearest(new, quote, guess)
    if found is not None:
        return Anchored(found, found + len(quote), Placement.RELOCATED)
    approx_start = min(guess, len(new) - 1)
    approx_end = max(mapping.nearest(end, is_end=True), approx_start + 1)
    return Anchored(max(approx_start, 0), min(approx_end, len(new)), Placement.APPROXIMATE)


def _find_nearest(text: str, quote: str, around: int, window: int | None = None) -> int | None:
    """Where ``quote`` occurs closest to ``around`` (within ``window`` characters)."""
    if not quote:
        return None
    low = 0 if window is None else max(around - window, 0)
    high = len(text) if window is None else min(around + window + len(quote), len(text))
    best: int | None = None
    index = text.find(quote, low, high)
    while index >= 0:
        if best is None or abs(index - around) < abs(best - around):
            best = index
        index = text.find(quote, index + 1, high)
    return best


def _char_blocks(old: str, new: str) -> list[_Block]:
    """Equal and changed stretches in character offsets: a line diff, refined by a
    word diff inside each changed group of lines."""
    old_lines, new_lines = _CHUNK.findall(old), _CHUNK.findall(new)
    old_at, new_at = _starts(old_lines), _starts(new_lines)
    blocks: list[_Block] = []
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        o1, o2, n1, n2 = old_at[i1], old_at[i2], new_at[j1], new_at[j2]
        if tag == "equal":
            blocks.append(_Block(o1, o2, n1, n2, True))
        else:
            blocks.extend(_word_blocks(old[o1:o2], new[n1:n2], o1, n1))
    return [b for b in blocks if b.old_end > b.old_start or b.new_end > b.new_start] or [
        _Block(0, len(old), 0, len(new), False)
    ]


def _word_blocks(old: str, new: str, old_base: int, new_base: int) -> list[_Block]:
    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    old_at, new_at = _starts(old_tokens), _starts(new_tokens)
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    return [
        _Block(
            old_base + old_at[i1],
            old_base + old_at[i2],
            new_base + new_at[j1],
            new_base + new_at[j2],
            tag == "equal",
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def _starts(pieces: list[str]) -> list[int]:
    """Offsets where each piece starts, plus the total length at the end."""
    starts = [0]
    for piece in pieces:
        starts.append(starts[-1] + len(piece))
    return starts
