"""Proposing a name and a key for a new code: from a passage's own words (an in-vivo
code) or from the name the user types, under the group the code goes into.

Keys follow the shipped codebooks' style (``ACT.WAIT``): the group's key, a dot, and
the words in uppercase ASCII, so ``väntan på beslut`` under ``ACT`` becomes
``ACT.VANTAN_PA_BESLUT``; a number is added when the key is taken.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from typing import Any

from qualcode.domain.records import Code

NAME_LIMIT = 40
SLUG_LIMIT = 24
# quotes, dashes and punctuation a selection often starts or ends with
_EDGES = " \t\n\"'“”‘’«»„.,;:!?…-–—()[]"
_NOT_KEY = re.compile(r"[^A-Z0-9]+")


def propose_name(words: str, limit: int = NAME_LIMIT) -> str:
    """``words`` on one line, without the punctuation around them, cut at a word
    boundary to at most ``limit`` characters."""
    name = " ".join(words.split()).strip(_EDGES)
    if len(name) <= limit:
        return name
    cut = name[: limit + 1].rsplit(" ", 1)[0] if " " in name[:limit] else name[:limit]
    return cut.strip(_EDGES)


def slug(words: str, limit: int = SLUG_LIMIT) -> str:
    """``words`` as a key part: uppercase ASCII letters and digits joined by ``_``,
    whole words only up to ``limit`` characters (a first word longer than that is cut)."""
    ascii_words = unicodedata.normalize("NFKD", words.upper()).encode("ascii", "ignore").decode()
    parts = [part for part in _NOT_KEY.split(ascii_words) if part]
    kept: list[str] = []
    for part in parts:
        if kept and len("_".join([*kept, part])) > limit:
            break
        kept.append(part[:limit])
    return "_".join(kept)


def propose_key(group: str | None, words: str, taken: Collection[str]) -> str:
    """``GROUP.SLUG`` (or ``SLUG`` at the top level) for ``words``, made unique against
    the ``taken`` keys with ``_2``, ``_3``, …; ``CODE`` stands in for words without
    a single letter or digit."""
    base = slug(words) or "CODE"
    if group:
        base = f"{group}.{base}"
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}_{number}"
    return key


def enclosing_group(code: Code | None, codes: Sequence[Code]) -> str | None:
    """The group a new code next to ``code`` belongs in: ``code`` itself when it has
    children or sits at the top level (where the groups are), else its parent."""
    if code is None:
        return None
    if code.parent_key is None or any(other.parent_key == code.key for other in codes):
        return code.key
    return code.parent_key


def renamed(code: Code, name: str, language: str) -> dict[str, Any]:
    """The changes that rename ``code`` to ``name`` as the workbench shows it: its
    label in ``language`` when it has labels (an exported codebook writes those), and
    its default name when that is the label being renamed, or it has no labels."""
    name = name.strip()
    changes: dict[str, Any] = {}
    if code.labels:
        changes["labels"] = {**code.labels, language: name}
    if not code.labels or code.name == code.label(language):
        changes["name"] = name
    return changes
