"""Pseudonymisation of quotes: replacing listed names and places, and finding leaks.

Both work on a folded form of the text, so a name cannot slip through by its spelling
on the page: NFKC (full-width "Ｎorrvik" is "Norrvik"), case-folded, with soft hyphens
and zero-width characters removed ("Norr\u00advik"). Matches are mapped back to the
original text, so a replacement changes only the name.

Replacement takes whole words, longest term first (so "Norrviks kommun" goes before
"Norrvik"), and the Swedish genitive ("Norrviks" keeps its "s"). The leak check is
wider: it also flags a listed name at the start of a longer word — an inflection
("norrvikarna") or a compound ("Norrvikskommun") — because replacing the start of such
a word would write nonsense ("Kommun 1arna"); the user adds that word to the list
instead. Terms shorter than ``PREFIX_MIN`` letters are flagged at the start of a word
only with a Swedish inflection ending, or "Ann" would flag "annars".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

# removed before matching: soft hyphen, zero-width space / (non-)joiner, word joiner, BOM
INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
PREFIX_MIN = 4
# endings of Swedish nouns and place names: definite, plural, genitive and their mixes
INFLECTIONS = frozenset(
    {
        "s", "n", "ns", "na", "nas", "en", "ens", "et", "ets", "ar", "arna", "arnas",
        "er", "erna", "ernas", "or", "orna", "ornas", "ers", "are", "ares", "aren",
        "arens", "isk", "iska", "iske",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Leak:
    term: str
    position: int  # in the original text
    found: str  # the whole word as written there


@dataclass(frozen=True, slots=True)
class _Folded:
    text: str
    origin: tuple[int, ...] | None  # original index of each folded character; None = same

    def at(self, index: int, original: str) -> int:
        if self.origin is None:
            return index
        return self.origin[index] if index < len(self.origin) else len(original)


def fold(text: str) -> str:
    """The form names are compared in."""
    return _fold(text).text


def _fold(text: str) -> _Folded:
    if text.isascii():  # the common case: casefold keeps every index
        return _Folded(text.casefold(), None)
    pieces: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char in INVISIBLE:
            continue
        piece = unicodedata.normalize("NFKC", char).casefold()
        pieces.append(piece)
        origin.extend([index] * len(piece))
    return _Folded("".join(pieces), tuple(origin))


@lru_cache(maxsize=16)
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """One compiled pattern per list: an export checks thousands of strings."""
    folded = sorted({fold(term) for term in terms if fold(term).strip()}, key=len, reverse=True)
    if not folded:
        return None
    alternatives = "|".join(re.escape(term) for term in folded)
    # group 1 the term, group 2 the rest of the word it starts
    return re.compile(rf"(?<!\w)({alternatives})(\w*)")


def pseudonymise(text: str, replacements: Mapping[str, str]) -> str:
    """``text`` with every listed term, as a whole word or a genitive, replaced."""
    pattern = _pattern(tuple(replacements))
    if pattern is None:
        return text
    lookup = {fold(term): pseudonym for term, pseudonym in replacements.items()}
    folded = _fold(text)
    parts: list[str] = []
    done = 0
    for match in pattern.finditer(folded.text):
        rest = match.group(2)
        if rest not in ("", "s"):
            continue  # an inflection or compound: the leak check refuses it
        start = folded.at(match.start(1), text)
        end = folded.at(match.end(1), text)
        parts += [text[done:start], lookup[match.group(1)]]
        done = end  # a genitive "s" stays, as written
    parts.append(text[done:])
    return "".join(parts)


def find_leaks(text: str, terms: list[str]) -> list[Leak]:
    """Every listed term still in ``text``: as a word, inflected, or starting a compound."""
    pattern = _pattern(tuple(terms))
    if pattern is None:
        return []
    canonical = {fold(term): term for term in terms}
    folded = _fold(text)
    leaks = []
    for match in pattern.finditer(folded.text):
        term, rest = match.group(1), match.group(2)
        if rest and rest not in INFLECTIONS and len(term) < PREFIX_MIN:
            continue
        start = folded.at(match.start(), text)
        end = folded.at(match.end(), text)
        leaks.append(Leak(canonical[term], start, text[start:end]))
    return leaks
