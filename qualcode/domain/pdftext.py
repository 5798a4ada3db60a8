"""Opt-in repairs for text copied out of PDF reports: line-end hyphens and hard wraps.

Text extracted from a PDF keeps the typesetter's line breaks: paragraphs are
hard-wrapped at about 70 characters and words are broken at a line end with a hyphen
("socialsekre-\\nterare"). Both repairs run on the canonical text (``\\n`` line breaks,
NFC) before it is stored, because every offset refers to the stored text.

Why opt-in and counted: a quotation must stay faithful to its source. These functions
only ever remove a line-break hyphen, remove a line break, or turn a line break (with
the spaces and tabs around it) into one space. They never add, reorder or alter any
other character, and each returns how much it changed so that the importer can say
so. Some decisions cannot be made without a dictionary (English "well-\\nknown" becomes
"wellknown"), which is why the user asks for them explicitly.

``dehyphenate`` looks at every hyphen (``-``, U+2010 or a soft hyphen U+00AD) that ends
a line, directly after a letter or digit (the *prefix* is the word before it, as
already repaired):

- If the next line starts with a lowercase letter, the word is joined and the hyphen
  removed: "socialsekre-\\nterare" -> "socialsekreterare", "Migrations-\\nverket" ->
  "Migrationsverket". This is the only case that is counted as a join.
- The hyphen is kept and only the line break removed when it is part of the word: the
  prefix is an abbreviation with at least two capitals ("LVU-\\nplacering" ->
  "LVU-placering", "SoL-\\ninsats"), ends in a digit ("2010-\\n2012", "18-\\nåring")
  or is a single letter ("e-\\npost", "A-\\nkassa"). A next line that starts with a
  digit is joined only in these cases ("COVID-\\n19"); otherwise it is left alone.
- A suspended compound before a conjunction (och, eller, samt, respektive, resp, and,
  or; after a number also till/to) keeps its hyphen and the line break becomes a
  space: "avvisnings-\\neller utvisningsbeslut" -> "avvisnings- eller utvisningsbeslut".
- A soft hyphen marks a discretionary break, never a hyphen of the word, so it is
  always removed when the word is joined (also after an abbreviation). Before a
  conjunction or a digit it is left alone: a "soft" hyphen there is most likely a real
  hyphen that the PDF encoded badly, and the repair cannot put a visible one back.
- Everything else is left alone: a next line that starts with a capital, a blank line,
  a list item ("- ", "a) ") or punctuation; a dash used as punctuation (" -\\n", or
  an en/em dash "–", "—", which are never line-break hyphens).

``reflow`` joins the hard-wrapped lines of a paragraph: a single ``\\n`` between two
non-blank lines becomes one space (the whitespace around it collapses into that
space). Blank lines (paragraph breaks) are kept, and a line break is kept before a
line that

- starts a speaker turn (matches ``qualcode.domain.turns.LABEL_LINE``: "I: …",
  "[00:01:02] Karin: …") or a summary ("[Sammanfattning]", "[Summary]");
- is a list item ("- ", "* ", "• ", "1. ", "a) " …);
- looks like a heading: short, starts with a capital or a digit, does not end in
  ``. , ; :`` or a dash, and is followed by a blank line;

and after a line that ends in a hyphen directly after a letter or digit: turning that
break into a space would give "socialsekre- terare", so it is left for
``dehyphenate`` (run ``dehyphenate`` first). Keeping a line break is always the safe
mistake: it changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from qualcode.domain.turns import LABEL_LINE, SUMMARY_MARKERS

SOFT_HYPHEN = "\u00ad"
_HYPHENS = "-\u2010" + SOFT_HYPHEN
# a hyphen, then the rest of its line (spaces only), the line break and the next
# line's indentation
_LINE_END_HYPHEN = re.compile(rf"[{_HYPHENS}](?P<gap>[^\S\n]*\n[^\S\n]*)")
_CONJUNCTIONS = frozenset({"och", "eller", "samt", "respektive", "resp", "and", "or"})
_RANGE_WORDS = frozenset({"till", "to"})  # "0- till 5-åringar", "3- to 5-year-olds"
_LIST_ITEM = re.compile(r"(?:[-*•◦▪‣·–—]|\(?(?:\d{1,3}|[A-Za-z]|[ivx]{2,5})[.)])(?:\s|$)")
_HEADING_MAX = 60
_NOT_HEADING_END = ".,;:-–—" + _HYPHENS

Kind = Literal["joined", "kept", "suspended"]


@dataclass(frozen=True, slots=True)
class HyphenBreak:
    """A line-end hyphen that ``dehyphenate`` repaired.

    ``start``/``end`` are offsets in the input: the hyphen up to the first character of
    the next line. ``replacement`` is what replaced them: ``""`` (``joined``: the word
    is put back together), the hyphen (``kept``) or the hyphen and a space
    (``suspended``: a compound left hanging before a conjunction).
    """

    start: int
    end: int
    replacement: str
    kind: Kind


def _is_word_char(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char).startswith("M")


def _trailing_word(text: str) -> str:
    index = len(text)
    while index > 0 and _is_word_char(text[index - 1]):
        index -= 1
    return text[index:]


def _leading_word(text: str, start: int) -> str:
    index = start
    while index < len(text) and _is_word_char(text[index]):
        index += 1
    return text[start:index]


def _is_abbreviation(prefix: str) -> bool:
    capitals = sum(char.isupper() for char in prefix)
    return capitals >= 2 or (len(prefix) == 1 and capitals == 1)


def _keeps_hyphen(prefix: str) -> bool:
    return len(prefix) == 1 or prefix[-1].isdecimal() or _is_abbreviation(prefix)


def _decide(hyphen: str, prefix: str, text: str, next_at: int) -> Kind | None:
    """What to do with a line-end ``hyphen`` after ``prefix`` whose next line starts at
    ``next_at``; ``None`` leaves it alone."""
    if not prefix or next_at >= len(text) or _LIST_ITEM.match(text, next_at):
        return None
    first = text[next_at]
    soft = hyphen == SOFT_HYPHEN
    if first.islower():
        word = _leading_word(text, next_at)
        if word in _CONJUNCTIONS or (word in _RANGE_WORDS and prefix[-1].isdecimal()):
            return None if soft else "suspended"
        if soft or not _keeps_hyphen(prefix):
            return "joined"
        return "kept"
    if first.isdecimal() and not soft and (prefix[-1].isdecimal() or _is_abbreviation(prefix)):
        return "kept"
    return None


def find_hyphen_breaks(text: str) -> list[HyphenBreak]:
    """The line-end hyphens ``dehyphenate`` repairs, in text order (see the module
    docstring for the rules). A word broken over several lines is seen as one prefix."""
    breaks = []
    tail = ""  # the word the repaired text ends with so far
    position = 0
    for match in _LINE_END_HYPHEN.finditer(text):
        before = text[position : match.start()]
        tail = tail + before if all(map(_is_word_char, before)) else _trailing_word(before)
        hyphen = match.group(0)[0]
        kind = _decide(hyphen, tail, text, match.end())
        if kind is None:
            tail = ""
        else:
            replacement = {"joined": "", "kept": hyphen, "suspended": hyphen + " "}[kind]
            breaks.append(HyphenBreak(match.start(), match.end(), replacement, kind))
            if kind != "joined":
                tail = ""
        position = match.end()
    return breaks


def dehyphenate(text: str) -> tuple[str, int]:
    """Join words broken with a hyphen at a line end; keep the hyphen (but remove the
    line break) where it belongs to the word. Returns the text and the number of
    words joined (hyphen removed); kept and suspended hyphens are not counted."""
    parts = []
    position = 0
    joins = 0
    for found in find_hyphen_breaks(text):
        parts.append(text[position : found.start])
        parts.append(found.replacement)
        position = found.end
        joins += found.kind == "joined"
    parts.append(text[position:])
    return "".join(parts), joins


def _is_blank(line: str) -> bool:
    return not line.strip()


def _ends_in_broken_word(line: str) -> bool:
    stripped = line.rstrip()
    return len(stripped) >= 2 and stripped[-1] in _HYPHENS and _is_word_char(stripped[-2])


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    return (
        len(stripped) <= _HEADING_MAX
        and (stripped[0].isupper() or stripped[0].isdecimal())
        and stripped[-1] not in _NOT_HEADING_END
    )


def _starts_block(line: str, following: str | None) -> bool:
    """Whether ``line`` must stay on its own line (not be joined to the one before)."""
    stripped = line.lstrip()
    return bool(
        stripped.startswith(SUMMARY_MARKERS)
        or LABEL_LINE.match(stripped)
        or _LIST_ITEM.match(stripped)
        or (following is not None and _is_blank(following) and _is_heading(line))
    )


def reflow(text: str) -> tuple[str, int]:
    """Join the hard-wrapped lines of each paragraph into one line (see the module
    docstring for the lines that are kept apart). Returns the text and the number of
    line breaks removed."""
    lines = text.split("\n")
    out = [lines[0]]
    joined = 0
    for index in range(1, len(lines)):
        previous, line = lines[index - 1], lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else None
        if (
            _is_blank(previous)
            or _is_blank(line)
            or _ends_in_broken_word(previous)
            or _starts_block(line, following)
        ):
            out.append(line)
        else:
            out[-1] = out[-1].rstrip() + " " + line.lstrip()
            joined += 1
    return "\n".join(out), joined
