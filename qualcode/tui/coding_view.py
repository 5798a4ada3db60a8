"""Which codings the coding screen shows, and finding them around the cursor.

Blind mode shows only the coder's own codings (a second coder must not see the
first coder's work); the coder filter shows one chosen coder. Pure Python over
frozen ``Coding`` records, so the rules are tested without a terminal.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace

from qualcode.domain.records import Coding


@dataclass(frozen=True, slots=True)
class CoderFilter:
    """Whose codings are visible to ``me``."""

    me: str
    blind: bool = False
    only: str | None = None

    def shows(self, coder: str) -> bool:
        if self.blind:
            return coder == self.me
        return self.only is None or coder == self.only

    def toggled_blind(self) -> CoderFilter:
        return replace(self, blind=not self.blind)

    def next_coder(self, coders: Sequence[str]) -> CoderFilter:
        """All coders -> each coder in turn -> all coders again."""
        cycle: list[str | None] = [None, *coders]
        position = cycle.index(self.only) if self.only in cycle else 0
        return replace(self, only=cycle[(position + 1) % len(cycle)])

    def describe(self) -> str:
        if self.blind:
            return "blind: only your codings"
        if self.only is not None:
            return f"showing {self.only}'s codings"
        return "all coders"


def visible(codings: Iterable[Coding], view: CoderFilter) -> list[Coding]:
    return [coding for coding in codings if view.shows(coding.coder)]


def at_offset(codings: Iterable[Coding], offset: int) -> list[Coding]:
    """Codings covering ``offset``, innermost (shortest) first."""
    found = [coding for coding in codings if coding.start <= offset < coding.end]
    return sorted(found, key=lambda c: (c.end - c.start, c.start, c.id))


def next_coding(
    codings: Iterable[Coding], offset: int, keys: Collection[str] | None = None
) -> Coding | None:
    """The first coding starting after ``offset`` (of one of ``keys``, if given)."""
    after = [c for c in codings if c.start > offset and (keys is None or c.code_key in keys)]
    return min(after, key=lambda c: (c.start, c.end, c.id), default=None)


def previous_coding(
    codings: Iterable[Coding], offset: int, keys: Collection[str] | None = None
) -> Coding | None:
    """The last coding starting before ``offset`` (of one of ``keys``, if given)."""
    before = [c for c in codings if c.start < offset and (keys is None or c.code_key in keys)]
    return max(before, key=lambda c: (c.start, -c.end, -c.id), default=None)


def overlaps(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Stretches covered by two or more spans, merged and in text order."""
    # an end sorts before a start at the same offset: spans are half-open, so
    # [0, 5) and [5, 9) only touch
    edges = sorted(edge for start, end in spans for edge in ((start, 1), (end, -1)))
    found: list[tuple[int, int]] = []
    depth, opened = 0, 0
    for position, step in edges:
        if step == 1 and depth == 1:
            opened = position
        if step == -1 and depth == 2 and position > opened:
            if found and found[-1][1] == opened:
                found[-1] = (found[-1][0], position)
            else:
                found.append((opened, position))
        depth += step
    return found
