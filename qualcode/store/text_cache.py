"""Recently read transcript texts, kept by the database handle.

A text version never changes once written (a revision adds a new version), so its text
can be kept between transactions. The key is the version's id *and* its SHA-256, both
read in the same query that wants the text: an id SQLite reuses after a deletion comes
with another hash and misses, so a stale text is never served.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock


class VersionTexts:
    """The texts of the last few text versions read, by (version id, hash): at most
    ``size`` of them and, beyond the newest, at most ``chars`` characters in all (a
    long-running TUI moving through million-word transcripts keeps a few, not all)."""

    def __init__(self, size: int = 8, chars: int = 16_000_000) -> None:
        self._size = size
        self._chars = chars
        self._held = 0
        self._texts: OrderedDict[tuple[int, str], str] = OrderedDict()
        self._lock = Lock()  # one handle serves every thread of a process

    def get(self, version_id: int, sha256: str) -> str | None:
        with self._lock:
            text = self._texts.get((version_id, sha256))
            if text is not None:
                self._texts.move_to_end((version_id, sha256))
            return text

    def put(self, version_id: int, sha256: str, text: str) -> None:
        with self._lock:
            old = self._texts.pop((version_id, sha256), None)
            self._held -= len(old) if old is not None else 0
            self._texts[(version_id, sha256)] = text
            self._held += len(text)
            while len(self._texts) > 1 and (
                len(self._texts) > self._size or self._held > self._chars
            ):
                _, dropped = self._texts.popitem(last=False)
                self._held -= len(dropped)
