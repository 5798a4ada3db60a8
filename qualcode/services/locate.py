"""Finding a span to code without offsets: the Nth sentence, the Nth turn, or a quote.

``qualcode code T CODE --sentence N | --turn N | --quote "…" [--occurrence K]`` asks
here and then codes the offsets found like any other span. Sentences and turns are
the stored units and turns of the current text version, numbered from 1 in text
order (``qualcode show T --sentences`` / ``--turns`` prints the numbers). A sentence
or turn is taken without the speaker label it starts with, as the coding screen does.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from qualcode.domain.errors import InvalidInput
from qualcode.domain.records import TranscriptText
from qualcode.domain.speech import speech_start
from qualcode.services.project import Project
from qualcode.services.transcripts import transcript_text


@dataclass(frozen=True, slots=True)
class Located:
    """A span ``[start, end)`` of a transcript's canonical text and its words."""

    transcript: str
    start: int
    end: int
    text: str


def numbered_sentences(doc: TranscriptText) -> list[tuple[int, int]]:
    """The sentences in text order, each without a leading speaker label."""
    sentences = sorted((u.start, u.end) for u in doc.units if u.kind == "sentence")
    label_ends = {turn.start: speech_start(doc.text, turn) for turn in doc.turns}
    return [(min(label_ends.get(start, start), end), end) for start, end in sentences]


def numbered_turns(doc: TranscriptText) -> list[tuple[int, int]]:
    """The turns in text order, each from where its speech begins."""
    turns = sorted(doc.turns, key=lambda turn: turn.start)
    return [(min(speech_start(doc.text, turn), turn.end), turn.end) for turn in turns]


def locate(
    project: Project,
    transcript: str | int,
    *,
    sentence: int | None = None,
    turn: int | None = None,
    quote: str | None = None,
    occurrence: int | None = None,
) -> Located:
    """The span one of ``sentence``, ``turn`` or ``quote`` names in ``transcript``."""
    if sum(x is not None for x in (sentence, turn, quote)) != 1:
        raise InvalidInput("name exactly one of a sentence, a turn or a quote")
    if occurrence is not None and quote is None:
        raise InvalidInput("an occurrence number only goes with a quote")
    doc = transcript_text(project, transcript)
    title = doc.transcript.title
    if sentence is not None:
        start, end = _nth(numbered_sentences(doc), sentence, "sentence", title)
    elif turn is not None:
        start, end = _nth(numbered_turns(doc), turn, "turn", title)
    else:
        assert quote is not None
        start, end = find_quote(doc.text, quote, occurrence, title)
    return Located(title, start, end, doc.text[start:end])


def _nth(spans: list[tuple[int, int]], n: int, kind: str, title: str) -> tuple[int, int]:
    if not spans:
        raise InvalidInput(f"{title!r} has no {kind}s")
    if not 1 <= n <= len(spans):
        raise InvalidInput(
            f"{title!r} has {len(spans)} {kind}s, numbered 1 to {len(spans)}; "
            f"there is no {kind} {n}"
        )
    return spans[n - 1]


def find_quote(
    text: str,
    quote: str,
    occurrence: int | None,
    title: str,
    *,
    choose: str = "--occurrence",
) -> tuple[int, int]:
    """The span of ``quote`` in ``text``: whole words, any whitespace between them;
    the ``occurrence``-th when it occurs more than once (``choose`` names how a user
    picks one, for the error)."""
    words = unicodedata.normalize("NFC", quote).split()
    if not words:
        raise InvalidInput("the quote is empty")
    # A quote typed on one line matches words the transcript breaks across lines.
    # Whole words only, so a quote never starts or ends inside a word.
    body = r"\s+".join(map(re.escape, words))
    before = r"(?<!\w)" if words[0][0].isalnum() else ""
    after = r"(?!\w)" if words[-1][-1].isalnum() else ""
    pattern = re.compile(before + body + after)
    found = [(m.start(), m.end()) for m in pattern.finditer(text)]
    shown = _shorten(" ".join(words))
    if not found:
        raise InvalidInput(f"{shown!r} does not occur in {title!r}")
    if occurrence is None:
        if len(found) > 1:
            raise InvalidInput(
                f"{shown!r} occurs {len(found)} times in {title!r}; "
                f"choose one with {choose} 1 to {len(found)}"
            )
        return found[0]
    if not 1 <= occurrence <= len(found):
        times = "once" if len(found) == 1 else f"{len(found)} times"
        raise InvalidInput(
            f"{shown!r} occurs {times} in {title!r}; there is no occurrence {occurrence}"
        )
    return found[occurrence - 1]


def _shorten(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
