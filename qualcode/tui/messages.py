"""Messages the workbench's widgets and screens post (named in the past tense)."""

from __future__ import annotations

from pathlib import Path

from textual.message import Message

from qualcode.domain.analysis import KwicLine, MatrixResult
from qualcode.domain.records import Coding
from qualcode.services.importing import ImportReport
from qualcode.services.retrieval import Retrieval


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


class PassagesFound(Message):
    """A retrieval worker finished: ``retrieval`` holds the passages of ``query``."""

    def __init__(self, query: str, retrieval: Retrieval) -> None:
        super().__init__()
        self.query = query
        self.retrieval = retrieval


class ImportProgressed(Message):
    """The import worker started on ``path``, the ``done + 1``-th of ``total`` files."""

    def __init__(self, path: Path, done: int, total: int) -> None:
        super().__init__()
        self.path = path
        self.done = done
        self.total = total


class TranscriptImported(Message):
    """The import worker stored a transcript; ``report`` says what it found."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__()
        self.report = report


class ImportFailed(Message):
    """One file of an import was refused; ``reason`` is the error's sentence."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__()
        self.path = path
        self.reason = reason


class CollectionExported(Message):
    """The export worker wrote ``quotes`` quotes of a collection to ``path``."""

    def __init__(self, name: str, path: Path, quotes: int) -> None:
        super().__init__()
        self.name = name
        self.path = path
        self.quotes = quotes


class MatrixComputed(Message):
    """An analysis table (a matrix or co-occurrence) was computed."""

    def __init__(self, result: MatrixResult) -> None:
        super().__init__()
        self.result = result


class KwicFound(Message):
    """The occurrences of a keyword, with their context, were found."""

    def __init__(self, term: str, lines: list[KwicLine]) -> None:
        super().__init__()
        self.term = term
        self.lines = lines


class ExchangeDone(Message):
    """A REFI-QDA import or export, or a backup, finished: ``summary`` says what was
    done and ``not_carried`` lists what could not be carried over."""

    def __init__(self, summary: str, not_carried: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.summary = summary
        self.not_carried = not_carried
