"""Recognising speaker labels inside a paragraph or caption, as turn detection will.

Labels are judged by ``qualcode.domain.turns.LABEL_LINE``, the pattern that later
finds the turns, so a reader never confirms a label that turn detection could not
see at the start of its paragraph.
"""

from __future__ import annotations

from collections.abc import Iterable

from qualcode.domain.turns import LABEL_LINE


def leading_label(text: str) -> tuple[str, str] | None:
    """``(label, speech)`` when text opens with ``Label:`` followed by speech.

    A bracketed ``[Laughter]`` or a leading timestamp is not a label here: only the
    plain ``Name:`` form that a caption or paragraph carries as its speaker.
    """
    match = LABEL_LINE.match(text)
    if not match or not match.group("label") or match.group("before"):
        return None
    speech = text[match.end() :].strip()
    if not speech:
        # a bold "Background:" alone on its line is a heading, not a speaker
        return None
    return match.group("label").strip(), speech


def is_speaker_label(label: str) -> bool:
    """True when ``Label: …`` at a line start would be read as this label."""
    found = leading_label(f"{label}: …")
    return found is not None and found[0] == label


def bold_speaker_label(pieces: Iterable[tuple[str, bool]]) -> str | None:
    """The speaker label of a paragraph made of ``(text, bold)`` pieces: one that
    opens with a bold ``Name:`` (or a bold ``Name`` then ``:``) and goes on with
    speech. The bold is the file's own markup saying that this is a speaker."""
    kept = [(text, bold) for text, bold in pieces if text]
    bold_prefix = []
    for text, bold in kept:
        if not bold:
            break
        bold_prefix.append(text)
    found = leading_label("".join(text for text, _ in kept).strip())
    if found is None:
        return None
    label = found[0]
    return label if "".join(bold_prefix).strip().rstrip(":").strip() == label else None
