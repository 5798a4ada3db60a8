"""Ranking codes for the code picker: by key, name (any language) or definition.

Key and name are matched fuzzily (letters in order, as the command palette does), so
"actw" finds ACT.WAIT; the longer texts (definition, include, exclude) only match when
every word of the query occurs in them, since a fuzzy match over a paragraph would
accept nearly anything.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.fuzzy import Matcher

from qualcode.domain.records import Code


def _names(code: Code) -> list[str]:
    return [code.key, code.name, *code.labels.values()]


def _long_text(code: Code) -> str:
    return " ".join(filter(None, (code.definition, code.include, code.exclude))).casefold()


def rank_codes(codes: Sequence[Code], query: str) -> list[Code]:
    """Codes matching ``query``, best first (codebook order among equals); all codes
    for an empty query."""
    query = query.strip()
    if not query:
        return list(codes)
    matcher = Matcher(query)
    words = query.casefold().split()
    scored: list[tuple[float, int, Code]] = []
    for position, code in enumerate(codes):
        score = max(matcher.match(name) for name in _names(code))
        if code.key.casefold().startswith(query.casefold()):
            score += 2
        elif score > 0:
            score += 1
        elif all(word in _long_text(code) for word in words):
            score = 0.5
        if score > 0:
            scored.append((score, position, code))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [code for _, _, code in scored]
