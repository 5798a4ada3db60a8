"""Rendering caption cues (WebVTT, SubRip) as canonical transcript paragraphs.

Each cue becomes ``[hh:mm:ss.mmm] Label: speech``, or ``[hh:mm:ss.mmm] speech``
when it has no speaker. The speaker is the cue's voice (``<v Name>``, confirmed by
the markup), else a leading ``Name:`` in its text (left for turn detection to
judge). Consecutive cues of one speaker are one turn, so they merge into one
paragraph that keeps the first cue's timestamp.
"""

from __future__ import annotations

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
    paragraphs: tuple[str, ...]
    confirmed_speakers: frozenset[str]
    warnings: tuple[str, ...]


def format_timestamp(milliseconds: int) -> str:
    seconds, millis = divmod(milliseconds, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def render_cues(cues: Iterable[Cue], name: str) -> RenderedCues:
    paragraphs: list[str] = []
    previous_label: str | None = None
    confirmed: set[str] = set()
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
        if label is not None and label == previous_label:
            paragraphs[-1] += f" {speech}"
            continue
        stamp = f"[{format_timestamp(cue.start_ms)}]"
        paragraphs.append(f"{stamp} {label}: {speech}" if label else f"{stamp} {speech}")
        previous_label = label
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
