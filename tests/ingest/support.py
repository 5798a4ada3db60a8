"""Helpers shared by the reader tests."""

from __future__ import annotations

from qualcode.domain.turns import find_turns
from qualcode.ingest.base import ReadTranscript


def speaker_turns(result: ReadTranscript) -> list[tuple[str | None, int | None]]:
    """(speaker label, timestamp in ms) of each turn, as the importer will find them."""
    return [
        (turn.speaker_label, turn.timestamp_ms)
        for turn in find_turns(result.text, confirmed=result.confirmed_speakers)
    ]
