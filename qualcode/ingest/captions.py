"""Rendering caption cues (WebVTT, SubRip) as canonical transcript paragraphs.

Each cue becomes ``[hh:mm:ss.mmm] Label: speech``, or ``[hh:mm:ss.mmm] speech``
when it has no speaker. The speaker is the cue's voice (``<v Name>``, confirmed by
the markup), else a leading ``Name:`` in its text. Consecutive cues of one speaker
are one turn, so they merge into one paragraph that keeps the first cue's
timestamp. Turn detection trusts an unconfirmed label that recurs; merging hides
the repeats, so a text label that leads two or more cues is confirmed here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from qualcode.ingest.labels import is_speaker_label, leading_label


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue's start, its voice from the markup (or None) and its plain text."""

    start_ms: int
    voice: str | None
    text: str


@dataclass(frozen=True, slots=True)
class RenderedCues:
    """The paragraphs to join, the speakers the cues confirm, and what to warn of."""

    paragraphs: tuple[str, ...]
    confirmed_speakers: frozenset[str]
    warnings: tuple[str, ...]


def format_timestamp(milliseconds: int) -> str:
    """``hh:mm:ss.mmm``, the form ``qualcode.domain.turns.parse_timestamp`` reads."""
    seconds, millis = divmod(milliseconds, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def render_cues(cues: Iterable[Cue], name: str) -> RenderedCues:
    """Cues in file order as paragraphs; ``name`` is the file, for warnings."""
    paragraphs: list[str] = []
    previous_label: str | None = None
    confirmed: set[str] = set()
    text_labels: Counter[str] = Counter()
    unreadable_voices: list[str] = []
    for cue in cues:
        # a cue's line breaks only wrap it on screen
        speech = " ".join(cue.text.split())
        if not speech:
            continue
        label = cue.voice
        if label is not None:
            if is_speaker_label(label):
                confirmed.add(label)
            elif label not in unreadable_voices:
                unreadable_voices.append(label)
        elif (found := leading_label(speech)) is not None:
            label, speech = found
            text_labels[label] += 1
        if label is not None and label == previous_label:
            paragraphs[-1] += f" {speech}"
            continue
        stamp = f"[{format_timestamp(cue.start_ms)}]"
        paragraphs.append(f"{stamp} {label}: {speech}" if label else f"{stamp} {speech}")
        previous_label = label
    confirmed.update(label for label, cues_led in text_labels.items() if cues_led >= 2)
    return RenderedCues(
        tuple(paragraphs),
        frozenset(confirmed),
        tuple(
            f"{name}: the voice {voice!r} is not a form of speaker label that turns are "
            "found by (a capital letter, then up to 40 letters, digits, spaces, '.' or "
            "'-'); import with --speaker-pattern to find its turns"
            for voice in unreadable_voices
        ),
    )
