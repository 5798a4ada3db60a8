"""Where the speech of a turn begins: after its speaker label and any timestamp.

A turn starts at its label ("Moderator 1: …", "[00:01:02] IP1: …") because labels stay
in the canonical text; a quote or a coded sentence should start where the words do.
The coding screen and the command line's ``code --sentence/--turn`` both ask here.
"""

from __future__ import annotations

from qualcode.domain.records import Turn
from qualcode.domain.turns import LABEL_LINE


def speech_start(text: str, turn: Turn) -> int:
    """Offset where the speech of ``turn`` begins (its start when it has no label)."""
    if turn.speaker_label is None:
        return turn.start
    match = LABEL_LINE.match(text, turn.start)
    if match is not None and match.end() <= turn.end:
        return match.end()
    # a project-specific --speaker-pattern found this label: take the label text and
    # the separators after it
    found = text.find(turn.speaker_label, turn.start, turn.end)
    if found < 0:
        return turn.start
    end = found + len(turn.speaker_label)
    while end < turn.end and text[end] in ":] \t":
        end += 1
    return end
