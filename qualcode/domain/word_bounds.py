"""Whether a span cuts a word, and the whole-word span around it.

A consensus coding drawn by offsets (``settle … adjust --span``) that starts or ends
inside a word would carry half a word into every quote made from it.
"""

from __future__ import annotations


def _inside(text: str, offset: int) -> bool:
    """``offset`` lies between two letters or digits of one word."""
    return 0 < offset < len(text) and text[offset - 1].isalnum() and text[offset].isalnum()


def cut_words(text: str, start: int, end: int) -> list[str]:
    """The words ``[start, end)`` cuts, whole, in text order (none: it respects words)."""
    cut = []
    for offset in (start, end):
        if _inside(text, offset):
            left, right = snap_to_words(text, offset, offset)
            cut.append(text[left:right])
    return cut


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` widened to the starts and ends of the words it cuts."""
    while _inside(text, start):
        start -= 1
    while _inside(text, end):
        end += 1
    return start, end
