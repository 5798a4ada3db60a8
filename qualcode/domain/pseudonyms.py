"""Pseudonymisation of quotes: replacing listed names and places, and finding leaks.

Terms match as whole words, case-insensitively, longest first (so "Norrviks kommun"
is replaced before "Norrvik"). Swedish genitives ("Norrviks") are matched too: a term
followed by a possessive "s" is replaced and keeps the "s".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Leak:
    term: str
    position: int
    found: str


@lru_cache(maxsize=16)
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """One compiled pattern per list: an export checks thousands of strings."""
    if not terms:
        return None
    ordered = sorted(terms, key=len, reverse=True)
    alternatives = "|".join(re.escape(term) for term in ordered)
    return re.compile(rf"(?<!\w)({alternatives})(s?)(?!\w)", re.IGNORECASE)


def pseudonymise(text: str, replacements: Mapping[str, str]) -> str:
    """``text`` with every listed term replaced by its pseudonym."""
    pattern = _pattern(tuple(replacements))
    if pattern is None:
        return text
    lookup = {term.casefold(): pseudonym for term, pseudonym in replacements.items()}
    return pattern.sub(lambda m: lookup[m.group(1).casefold()] + m.group(2), text)


def find_leaks(text: str, terms: list[str]) -> list[Leak]:
    """Every occurrence of a listed term still in ``text``."""
    pattern = _pattern(tuple(terms))
    if pattern is None:
        return []
    canonical = {term.casefold(): term for term in terms}
    return [
        Leak(canonical[m.group(1).casefold()], m.start(), m.group(0))
        for m in pattern.finditer(text)
    ]
