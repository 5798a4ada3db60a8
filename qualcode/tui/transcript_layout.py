"""Where things are in a transcript's canonical text: lines, speaker labels, summary
turns, sentences and turns around an offset.

The coding screen selects by sentence and by turn, and a quote should never start
with the speaker's label ("Moderator 1: …"), so selections begin where the speech
begins. Pure Python over the frozen ``TranscriptText``; no Textual.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from qualcode.domain.records import TranscriptText, Turn
from qualcode.domain.speech import speech_start
from qualcode.tui.line_index import LineIndex

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class SpeakerLabel:
    """The label (and any timestamp) at the start of a turn: ``[start, end)``."""

    start: int
    end: int
    speaker: str


class TranscriptLayout:
    """Lines, labels, summaries, sentences and turns of one transcript text."""

    def __init__(self, transcript: TranscriptText) -> None:
        text = transcript.text
        self.text = text
        self.lines = LineIndex(text)
        self.turns = sorted(transcript.turns, key=lambda turn: turn.start)
        self._speech_starts = {turn.id: speech_start(text, turn) for turn in self.turns}
        self.labels = tuple(
            SpeakerLabel(turn.start, len(text[turn.start : end].rstrip()) + turn.start,
                         turn.speaker_label)
            for turn in self.turns
            if turn.speaker_label and (end := self._speech_starts[turn.id]) > turn.start
        )  # fmt: skip
        self.summaries: tuple[Span, ...] = tuple(
            (turn.start, turn.end) for turn in self.turns if not turn.verbatim
        )
        self._turn_starts = [turn.start for turn in self.turns]
        self.sentences: list[Span] = sorted(
            (unit.start, unit.end) for unit in transcript.units if unit.kind == "sentence"
        )
        self._sentence_starts = [start for start, _ in self.sentences]

    def turn_at(self, offset: int) -> Turn | None:
        index = bisect_right(self._turn_starts, offset) - 1
        if index >= 0 and offset <= self.turns[index].end:
            return self.turns[index]
        return None

    def turn_speech(self, offset: int) -> Span | None:
        """The spoken part of the turn at ``offset`` (its label left out)."""
        turn = self.turn_at(offset)
        if turn is None:
            return None
        return self._speech_starts[turn.id], turn.end

    def sentence_at(self, offset: int) -> Span | None:
        """The sentence holding ``offset``, else the next one; without a leading label."""
        index = bisect_right(self._sentence_starts, offset) - 1
        if index < 0 or offset >= self.sentences[index][1]:
            index += 1
        if index >= len(self.sentences):
            return None
        return self._without_label(self.sentences[index])

    def next_start(self, offset: int, *, unit: str, forward: bool) -> int | None:
        """Where the next (or previous) sentence or turn's speech starts, from ``offset``."""
        if unit == "turn":
            starts = [self._speech_starts[turn.id] for turn in self.turns]
        else:
            starts = [self._without_label(sentence)[0] for sentence in self.sentences]
        if forward:
            index = bisect_right(starts, offset)
            return starts[index] if index < len(starts) else None
        index = bisect_left(starts, offset) - 1
        return starts[index] if index >= 0 else None

    def touches_summary(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps a summary (non-verbatim) turn."""
        return any(s < end and start < e for s, e in self.summaries)

    def _without_label(self, sentence: Span) -> Span:
        start, end = sentence
        turn = self.turn_at(start)
        if turn is not None and turn.start == start:
            start = min(self._speech_starts[turn.id], end)
        return start, end
