"""Sentences, turns and labels around an offset."""

from __future__ import annotations

from qualcode.services import transcripts
from qualcode.services.project import Project
from qualcode.tui.transcript_layout import TranscriptLayout

from .conftest import FOCUS_GROUP


def layout_of(project: Project) -> TranscriptLayout:
    return TranscriptLayout(transcripts.transcript_text(project, FOCUS_GROUP))


def test_a_sentence_that_opens_a_turn_starts_after_the_label(tui_project: Project) -> None:
    layout = layout_of(tui_project)
    text = layout.text
    turn = text.index("Moderator 1: Ja, men")
    start, end = layout.sentence_at(turn) or (0, 0)
    assert text[start:end] == "Ja, men då sätter vi igång."


def test_between_sentences_the_next_one_is_chosen(tui_project: Project) -> None:
    layout = layout_of(tui_project)
    text = layout.text
    gap = text.index("igång. Först") + len("igång.")
    start, _ = layout.sentence_at(gap) or (0, 0)
    assert text[start:].startswith("Först, tack")
    assert layout.sentence_at(len(text)) is None


def test_labels_speakers_and_summaries(tui_project: Project) -> None:
    layout = layout_of(tui_project)
    text = layout.text
    first = layout.labels[0]
    assert text[first.start : first.end] == "Moderator 1:"
    assert first.speaker == "Moderator 1"
    assert {label.speaker for label in layout.labels} >= {"Moderator 1", "Socialsekreterare A"}
    summary = text.index("[Sammanfattning]")
    assert layout.touches_summary(summary + 5, summary + 10)
    assert not layout.touches_summary(first.start, first.end)
    assert layout.turn_speech(summary + 5) == next(
        (start, end) for start, end in layout.summaries if start == summary
    )
