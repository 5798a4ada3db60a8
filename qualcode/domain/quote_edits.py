"""Light edits of quotes from spoken to written language, checked against the source.

Report authors may tidy a quote: drop hesitations and repetitions, mark an omission
as ``[…]`` and write editorial insertions in square brackets (``[the Migration
Agency]``). Everything outside brackets should still be the speaker's own words in
their order. ``check_edit`` lists what breaks that rule so the author sees it; it
does not refuse the edit, since a researcher may have good reason to change a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OMISSION = "[…]"
_BRACKETED = re.compile(r"\[[^\]]*\]")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class EditCheck:
    """Words of the edited quote (outside brackets) that are not the speaker's, in order."""

    foreign_words: tuple[str, ...]
    omissions: int
    insertions: int

    @property
    def faithful(self) -> bool:
        return not self.foreign_words


def check_edit(verbatim: str, edited: str) -> EditCheck:
    """Compare an edited quote with the verbatim words it came from."""
    brackets = _BRACKETED.findall(edited)
    omissions = sum(1 for b in brackets if b in (OMISSION, "[...]"))
    outside = _BRACKETED.sub(" ", edited)
    source = [w.casefold() for w in _WORD.findall(verbatim)]
    foreign = []
    position = 0
    for word in _WORD.findall(outside):
        try:
            position = source.index(word.casefold(), position) + 1
        except ValueError:
            foreign.append(word)
    return EditCheck(tuple(foreign), omissions, len(brackets) - omissions)
