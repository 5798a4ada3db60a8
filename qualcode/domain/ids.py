"""Numbers a user types where the tool expects a row id or a character offset.

``str.isdigit`` is not enough: it accepts digits that ``int`` refuses ("²") and
numbers no database column holds, both of which used to end in a traceback. Every
engine stores ids and offsets in (at least) 32-bit signed integers (PostgreSQL's
INTEGER), so a larger number cannot name anything stored.
"""

from __future__ import annotations

LARGEST = 2**31 - 1  # PostgreSQL INTEGER; SQLite's are wider


def as_id(ref: str | int) -> int | None:
    """``ref`` as a row id, or None when it is not one (a title, a stray symbol, a
    number no row can have)."""
    if isinstance(ref, int):
        return ref if 0 <= ref <= LARGEST else None
    if not (ref.isascii() and ref.isdigit()) or len(ref) > len(str(LARGEST)):
        return None
    number = int(ref)
    return number if number <= LARGEST else None


def as_offset(text: str) -> int | None:
    """``text`` as a character offset (a minus sign allowed, for the span checks to
    name), or None when it is not a number a text can have."""
    digits = text[1:] if text.startswith("-") else text
    found = as_id(digits)
    if found is None:
        return None
    return -found if text.startswith("-") else found
