"""A user's ``--speaker-pattern``, compiled by RE2, which runs in linear time.

Python's ``re`` backtracks: a pattern such as ``(a+)+b`` against a long line of
``a`` runs for hours, and nothing can interrupt it. RE2 never backtracks, so any
pattern finishes in time proportional to the text. What it gives up are
back-references and look-around, which a speaker label does not need; a pattern that
uses them is refused with a sentence saying so.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import re2

from qualcode.domain.errors import InvalidInput

# a speaker label is matched at a paragraph's start; it never needs more text than this
_LABEL_WINDOW = 4096


class _Shifted:
    """A match found in a slice of the text, reporting offsets in the whole text."""

    def __init__(self, match: Any, offset: int) -> None:
        self._match = match
        self._offset = offset

    def start(self, group: int | str = 0) -> int:
        return int(self._match.start(group)) + self._offset

    def end(self, group: int | str = 0) -> int:
        return int(self._match.end(group)) + self._offset

    def group(self, *names: int | str) -> Any:
        return self._match.group(*names)

    def groupdict(self) -> dict[str, str | None]:
        return dict(self._match.groupdict())


class SafePattern:
    """The parts of ``re.Pattern`` that finding turns uses, over RE2."""

    def __init__(self, source: str) -> None:
        options = re2.Options()
        options.log_errors = False  # RE2 would print to stderr; the error is ours to say
        try:
            self._re = re2.compile(f"(?m){source}", options)
        except re2.error as exc:
            reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
            raise InvalidInput(
                f"--speaker-pattern {source!r} is not a regex qualcode can run ({reason}); "
                "back-references and look-ahead/behind are not supported"
            ) from exc
        self.groupindex = dict(self._re.groupindex)

    def finditer(self, text: str) -> Iterator[Any]:
        return iter(self._re.finditer(text))

    def match(self, text: str, pos: int = 0) -> _Shifted | None:
        # RE2's Python binding re-encodes the whole text on every call; a window keeps
        # matching at each of thousands of paragraphs linear overall
        found = self._re.match(text[pos : pos + _LABEL_WINDOW])
        return _Shifted(found, pos) if found else None


def compile_speaker_pattern(source: str | None) -> Any:
    """The compiled pattern (or None); it must name a group ``label``."""
    if source is None:
        return None
    pattern = SafePattern(source)
    if "label" not in pattern.groupindex:
        raise InvalidInput("--speaker-pattern must have a named group (?P<label>...)")
    return pattern
