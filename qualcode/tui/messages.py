"""Messages the workbench's widgets and screens post (named in the past tense)."""

from __future__ import annotations

from textual.message import Message

from qualcode.domain.records import Coding


class CodeChosen(Message):
    """The user chose a code (in the code tree) to apply to the selection."""

    def __init__(self, code_key: str) -> None:
        super().__init__()
        self.code_key = code_key


class CodingsChanged(Message):
    """A write changed the codings of the transcript on screen; the view reloads."""

    def __init__(self, transcript_id: int) -> None:
        super().__init__()
        self.transcript_id = transcript_id


class SpanCoded(CodingsChanged):
    """A code was applied to a span; ``coding`` is the stored row."""

    def __init__(self, coding: Coding) -> None:
        super().__init__(coding.transcript_id)
        self.coding = coding


class CodingRemoved(CodingsChanged):
    """One of the coder's codings was removed; ``coding`` is the row as it was."""

    def __init__(self, coding: Coding) -> None:
        super().__init__(coding.transcript_id)
        self.coding = coding


class HistoryReversed(CodingsChanged):
    """An undo or redo ran; ``description`` says what it reversed."""

    def __init__(self, transcript_id: int, description: str) -> None:
        super().__init__(transcript_id)
        self.description = description
