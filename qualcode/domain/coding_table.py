"""Codings as a table a person can edit in a spreadsheet and give back.

One row per coding in exactly the columns ``qualcode import-codings`` reads, so a
file written here is read back into the same codings (see docs/cli.md, "Codings CSV").
The quote is the check column: on import it must match the text at the offsets.
"""

from __future__ import annotations

from dataclasses import dataclass

COLUMNS = ("transcript", "coder", "code", "start", "end", "memo", "quote")

# A text cell a spreadsheet would read as a formula starts with one of these; the
# writer puts an apostrophe before it (OWASP), and the reader takes exactly one off.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class CodingRow:
    transcript: str  # the title
    coder: str
    code: str  # the key
    start: int
    end: int
    memo: str  # the coding's memos, blank-line separated; "" when none
    quote: str


@dataclass(frozen=True, slots=True)
class CodingTable:
    rows: tuple[CodingRow, ...]


def neutralised(value: str) -> str:
    """``value`` safe for a spreadsheet, and reversible by ``restored``.

    A value that starts with a formula character gets an apostrophe; so does one that
    already starts with apostrophes before such a character, so that ``restored``,
    which takes one apostrophe off, never eats one the researcher wrote."""
    if value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restored(value: str) -> str:
    """The inverse of ``neutralised``: one apostrophe off a neutralised cell."""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value
