"""Ranking codes for the code picker: by key, name (any language), definition,
criteria, example or keyword patterns.

Whole words beat scattered letters: a key that starts with the query ranks first,
then the query found as written in a key or name, then codes whose texts contain
every word of the query, and last fuzzy matches on key and name (letters in order,
as the command palette matches), so "actw" still finds ACT.WAIT. A fuzzy match over
a paragraph would accept nearly anything, so long texts are only searched for words.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.fuzzy import Matcher

from qualcode.domain.records import Code

KEY_PREFIX, IN_NAME, ALL_WORDS = 4.0, 3.0, 2.0


def _names(code: Code) -> list[str]:
    return [code.key, code.name, *code.labels.values()]


def _all_text(code: Code) -> str:
    patterns = (pattern.removeprefix("lemma:") for pattern in code.patterns)
    # every language's texts: a coder may search in either
    translated = (text for texts in code.translations.values() for text in texts.values())
    texts = (*_names(code), code.definition, code.include, code.exclude, code.example)
    texts = (*texts, *translated, *patterns)
    return " ".join(filter(None, texts)).casefold()


def _score(code: Code, query: str, words: list[str], matcher: Matcher) -> float:
    folded = query.casefold()
    if code.key.casefold().startswith(folded):
        return KEY_PREFIX
    if any(folded in name.casefold() for name in _names(code)):
        return IN_NAME
    if all(word in _all_text(code) for word in words):
        return ALL_WORDS
    fuzzy = max(matcher.match(name) for name in _names(code))
    # squeezed into [0, 1), below every whole-word rule above, keeping the order
    return fuzzy / (fuzzy + 1)


def rank_codes(codes: Sequence[Code], query: str) -> list[Code]:
    """Codes matching ``query``, best first (codebook order among equals); all codes
    for an empty query."""
    query = query.strip()
    if not query:
        return list(codes)
    matcher = Matcher(query)
    words = query.casefold().split()
    scored = [(_score(code, query, words, matcher), position, code)
              for position, code in enumerate(codes)]  # fmt: skip
    ranked = sorted((item for item in scored if item[0] > 0), key=lambda i: (-i[0], i[1]))
    return [code for _, _, code in ranked]
