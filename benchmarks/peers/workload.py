"""One corpus and one list of codings, written out in each tool's own input format.

The three tools code at different grains: the command-line peer (qualitative-coding)
codes whole *lines* of a text file, Taguette codes byte ranges of the text of an HTML
document, qualcode codes code-point ranges of the canonical text. So a coding here is
``(transcript, line, code)`` on a line that holds one speaker turn, and each tool gets
it in its own terms:

* qualcode: ``start``/``end`` code points of the turn's words (after ``I: ``/``IP: ``)
  in a codings CSV that ``qualcode import-codings`` reads;
* qualitative-coding: the code on that line of the document's codes file (the file its
  editor shows beside the text), comma-separated when a line has several;
* Taguette: UTF-8 byte offsets of the same words in the text of the HTML document it
  is given (one ``<p>`` per non-blank line, nothing between them).

Every tool therefore stores the same number of codings over the same words; only
qualitative-coding's passage includes the speaker label, because it cannot code less
than a line.
"""

from __future__ import annotations

import csv
import html
import io
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from benchmarks.corpus import _sentences, make_vocabulary

CODER = "kodare1"
INTERVIEWER = "I"
PARTICIPANT = "IP"
INTERVIEWER_WORDS = (5, 30)
PARTICIPANT_WORDS = (20, 80)


@dataclass(frozen=True)
class Transcript:
    """One transcript file: a header line, then turns of one line each, a blank line
    between blocks."""

    name: str
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    @property
    def filename(self) -> str:
        return f"{self.name}.txt"

    def turn_lines(self) -> list[int]:
        """Numbers (0-based) of the lines that hold a turn."""
        return [number for number, line in enumerate(self.lines) if _label(line) is not None]


@dataclass(frozen=True, order=True)
class Coding:
    transcript: int
    line: int
    code: str


def _label(line: str) -> str | None:
    head, sep, _ = line.partition(": ")
    return head if sep and head in (INTERVIEWER, PARTICIPANT) else None


def spoken_range(line: str) -> tuple[int, int]:
    """Code-point range of a turn line's words, speaker label left out."""
    label = _label(line)
    if label is None:
        raise ValueError(f"not a turn line: {line[:40]!r}")
    return len(label) + 2, len(line)


def code_keys(count: int) -> list[str]:
    """Flat code keys every tool accepts (qualitative-coding allows ``[A-Za-z0-9_-]``)."""
    return [f"tema{number:02d}" for number in range(1, count + 1)]


def make_transcripts(count: int, words: int, seed: int) -> list[Transcript]:
    """``count`` interviews of exactly ``words`` spoken words each, pseudo-Swedish words
    drawn Zipf-like (``benchmarks.corpus``), alternating interviewer and participant."""
    if count < 1 or words < INTERVIEWER_WORDS[0]:
        raise ValueError("need at least one transcript of a few words")
    rng = random.Random(seed)
    vocabulary = make_vocabulary(rng)
    cumulative = list(accumulate(1 / rank for rank in range(1, len(vocabulary) + 1)))
    out = []
    for number in range(1, count + 1):
        lines = [f"Intervju {number:04d}", ""]
        remaining = words
        speaker = INTERVIEWER
        while remaining:
            bounds = INTERVIEWER_WORDS if speaker == INTERVIEWER else PARTICIPANT_WORDS
            size = min(remaining, rng.randint(*bounds))
            spoken = rng.choices(vocabulary, cum_weights=cumulative, k=size)
            lines += [f"{speaker}: {_sentences(rng, spoken)}", ""]
            remaining -= size
            speaker = PARTICIPANT if speaker == INTERVIEWER else INTERVIEWER
        out.append(Transcript(f"intervju_{number:04d}", tuple(lines[:-1])))
    return out


def make_codings(
    transcripts: Sequence[Transcript], count: int, codes: Sequence[str], seed: int
) -> list[Coding]:
    """``count`` distinct codings of random turn lines with random codes, sorted."""
    places = [(index, line) for index, t in enumerate(transcripts) for line in t.turn_lines()]
    if count > len(places) * len(codes):
        raise ValueError(f"{count} codings do not fit on {len(places)} lines x {len(codes)} codes")
    rng = random.Random(seed)
    made: set[Coding] = set()
    while len(made) < count:
        index, line = rng.choice(places)
        made.add(Coding(index, line, rng.choice(codes)))
    return sorted(made)


# --- qualcode ------------------------------------------------------------------


def qualcode_codebook(codes: Sequence[str]) -> str:
    """A flat YAML codebook for ``qualcode codebook apply``."""
    body = "".join(
        f"  - key: {key}\n    name: Tema {key[4:]}\n    definition: Syntetisk kod.\n"
        for key in codes
    )
    return f"codebook: Peers benchmark\nversion: 1\nlanguage: sv\ncodes:\n{body}"


def line_starts(text: str) -> list[int]:
    """Code-point offset of each line's start in ``text``."""
    starts = [0]
    for line in text.split("\n")[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    return starts


def qualcode_csv(
    transcripts: Sequence[Transcript], codings: Iterable[Coding], titles: Sequence[str]
) -> str:
    """The codings as the CSV ``qualcode import-codings`` reads (transcript by title)."""
    starts = [line_starts(t.text) for t in transcripts]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["transcript", "coder", "code", "start", "end"])
    for coding in codings:
        transcript = transcripts[coding.transcript]
        first, last = spoken_range(transcript.lines[coding.line])
        base = starts[coding.transcript][coding.line]
        writer.writerow([titles[coding.transcript], CODER, coding.code, base + first, base + last])
    return out.getvalue()


# --- qualitative-coding ----------------------------------------------------------


def qc_codes_files(transcripts: Sequence[Transcript], codings: Iterable[Coding]) -> dict[str, str]:
    """Per transcript file name with codings, the codes file a coder would save: one
    line per line of the document, that line's codes joined by ``, ``."""
    by_line: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for coding in codings:
        by_line[coding.transcript][coding.line].append(coding.code)
    out = {}
    for index, lines in sorted(by_line.items()):
        transcript = transcripts[index]
        rows = [", ".join(lines.get(number, [])) for number in range(len(transcript.lines))]
        out[transcript.filename] = "\n".join(rows) + "\n"
    return out


# --- Taguette ----------------------------------------------------------------------


def taguette_html(transcript: Transcript) -> str:
    """The transcript as the HTML document Taguette stores: one paragraph per non-blank
    line and nothing between paragraphs, so its text is the lines laid end to end."""
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in transcript.lines if line)
    return f"<html><body>{paragraphs}</body></html>"


def taguette_offsets(transcript: Transcript) -> dict[int, int]:
    """UTF-8 byte offset of each non-blank line in the text of :func:`taguette_html`."""
    offsets: dict[int, int] = {}
    position = 0
    for number, line in enumerate(transcript.lines):
        if line:
            offsets[number] = position
            position += len(line.encode("utf-8"))
    return offsets


def taguette_highlight(
    transcript: Transcript, offsets: dict[int, int], line: int
) -> tuple[int, int]:
    """Byte range of a turn line's words in the document's text."""
    text = transcript.lines[line]
    first, last = spoken_range(text)
    base = offsets[line]
    return (
        base + len(text[:first].encode("utf-8")),
        base + len(text[:last].encode("utf-8")),
    )


def expected_quote(transcript: Transcript, line: int) -> str:
    """The words a coding of ``line`` covers in qualcode and Taguette."""
    text = transcript.lines[line]
    first, last = spoken_range(text)
    return text[first:last]
