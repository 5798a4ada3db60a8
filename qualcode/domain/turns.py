"""Finding speaker turns, paragraphs and paragraph-sized segments in canonical text.

Speaker labels and timestamps stay in the text; a turn is a span that starts at its
label. A line-initial ``Label:`` counts as a speaker when the label recurs in the text
or is a known interview role ("I", "IP1", "Moderator 1", "Intervjuare"…), so header
lines ("Datum: …") and one-off sentences with a colon are not mistaken for speakers.
Documents (reports, case notes, mode ``document``) ask for more: see
``_document_speakers`` and docs/decisions.md, "Speakers in documents".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

MAX_SEGMENT = 2000
SUMMARY_MARKERS = ("[Sammanfattning]", "[Summary]")

_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_STAMP = rf"(?:\[{_TIME}\]|\({_TIME}\)|{_TIME})"
LABEL_LINE = re.compile(
    rf"^(?P<before>{_STAMP}[ \t]+)?"
    rf"(?:\[(?P<bracketed>[A-ZÅÄÖÉÜ][^\]\n:]{{0,39}})\]"
    rf"|(?P<label>[A-ZÅÄÖÉÜ][\w.\- ]{{0,39}}?)[ \t]*:)"
    rf"(?P<after>[ \t]*{_STAMP})?[ \t]*",
    re.MULTILINE,
)
_KNOWN_ROLE = re.compile(
    r"^(?:I|IP\s?\d*|P\s?\d+|R\d*|Int|Intervjuare|Interviewer|Moderator(?: \d+)?|Forskare|"
    r"Researcher|Respondent|Informant|Deltagare(?: \d+)?|Participant(?: \d+)?)$",
    re.IGNORECASE,
)
# Documents (reports, case notes) hold tables and "Field: value" lines, so there a
# label must name a person's role (optionally lettered or numbered: "Handläggare B").
_PERSON_ROLE = re.compile(
    r"^(?:socialsekreterare|handläggare|socionom|familjehemssekreterare|enhetschef|chef|"
    r"gruppledare|tolk|förälder|vårdnadshavare|mamma|pappa|social worker|caseworker|"
    r"case worker|interpreter|parent|guardian|mother|father|manager)"
    r"(?:\s*(?:[A-ZÅÄÖ]|\d+))?$",
    re.IGNORECASE,
)
# First words of labels that are form fields, table rows or notes, never speakers.
_FIELD_WORDS = frozenset(
    ("anm", "anmärkning", "antal", "andel", "bilaga", "datum", "figur", "fotnot",
     "kommentar", "kommun", "källa", "län", "not", "ort", "plats", "summa", "svar",
     "tabell", "tid", "totalt", "år", "comment", "count", "date", "figure", "footnote",
     "note", "number", "place", "source", "table", "time", "total", "year")
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]{2,}")
_MODERATOR = re.compile(r"moderat|facilitat|samtalsledare", re.IGNORECASE)
_INTERVIEWER = re.compile(
    r"^(?:I|Int|Intervjuare|Interviewer|Forskare|Researcher)\b", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]*\s+")


@dataclass(frozen=True, slots=True)
class FoundTurn:
    start: int
    end: int
    speaker_label: str | None
    timestamp_ms: int | None
    verbatim: bool


def parse_timestamp(stamp: str) -> int:
    """Milliseconds in ``[hh:]mm:ss[.fff]`` (brackets or parentheses allowed)."""
    stamp = stamp.strip("[]() \t")
    fraction = 0
    if "." in stamp or "," in stamp:
        stamp, frac = re.split(r"[.,]", stamp)
        fraction = int(frac.ljust(3, "0")[:3])
    parts = [int(p) for p in stamp.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    hours, minutes, seconds = parts
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + fraction


def infer_role(label: str) -> str:
    if _MODERATOR.search(label):
        return "moderator"
    if _INTERVIEWER.search(label):
        return "interviewer"
    return "participant"


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the non-blank lines, one per line, without surrounding whitespace."""
    spans = []
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = offset + (len(line) - len(line.lstrip()))
            spans.append((start, start + len(stripped)))
        offset += len(line) + 1
    return spans


def _label_of(match: re.Match[str]) -> str:
    return (match.group("bracketed") or match.group("label") or "").strip()


def find_speaker_labels(
    text: str,
    pattern: re.Pattern[str] | None = None,
    confirmed: Collection[str] = (),
    *,
    document: bool = False,
) -> set[str]:
    """Labels that are speakers: recurring, known roles or ``confirmed`` by the file's
    own markup (or all that ``pattern`` matches). A ``document`` asks for more (see
    ``_document_speakers``)."""
    if pattern is not None:
        return {m.group("label").strip() for m in pattern.finditer(text)}
    if document:
        return _document_speakers(text, confirmed)
    counts = Counter(_label_of(m) for m in LABEL_LINE.finditer(text))
    speakers = {
        label
        for label, n in counts.items()
        if label and (n >= 2 or _KNOWN_ROLE.match(label) or label in confirmed)
    }
    # "Socialsekreterare B" may speak once, but "Socialsekreterare A" recurring confirms it
    families = {_family(label) for label in speakers} - {None}
    return speakers | {label for label in counts if label and _family(label) in families}


def _document_speakers(text: str, confirmed: Collection[str]) -> set[str]:
    """Speakers in a document: labels confirmed by the file's markup, and otherwise
    only labels with at least one line that reads as speech (two words or more, more
    letters than digits) which either name a person's role ("Handläggare",
    "Socialsekreterare A", "IP2") or are a short name (at most three words, not a
    field word such as "Kommentar" or "Antal") that recurs. Table rows ("Antal barn
    inskrivna i MV: 454") and fields ("Kommun: Norrvik") are text, not turns."""
    said: dict[str, list[str]] = {}
    for match in LABEL_LINE.finditer(text):
        line_end = text.find("\n", match.end())
        said.setdefault(_label_of(match), []).append(
            text[match.end() : len(text) if line_end < 0 else line_end]
        )
    return {
        label
        for label, lines in said.items()
        if label
        and (
            label in confirmed
            or (
                any(map(_reads_as_speech, lines))
                and bool(
                    _KNOWN_ROLE.match(label)
                    or _PERSON_ROLE.match(label)
                    or (len(lines) >= 2 and _short_name(label))
                )
            )
        )
    }


def _reads_as_speech(line: str) -> bool:
    words = _WORD.findall(line)
    return len(words) >= 2 and sum(map(len, words)) > sum(c.isdigit() for c in line)


def _short_name(label: str) -> bool:
    words = label.split()
    return len(words) <= 3 and words[0].lower().rstrip(".") not in _FIELD_WORDS


def _family(label: str) -> str | None:
    """The label without a trailing letter or number ("Deltagare 3" -> "Deltagare")."""
    match = re.fullmatch(r"(.+?)\s*(?:[A-ZÅÄÖ]|\d+)", label)
    return match.group(1) if match else None


def find_turns(
    text: str,
    pattern: re.Pattern[str] | None = None,
    confirmed: Collection[str] = (),
    *,
    document: bool = False,
) -> list[FoundTurn]:
    """Turns in text order. A turn runs from its label to the end of the last paragraph
    before the next label or summary marker; a summary paragraph is its own
    non-verbatim turn. Text before the first label belongs to no turn. In a
    ``document`` a label needs stronger evidence to be a speaker."""
    matcher = pattern or LABEL_LINE
    speakers = find_speaker_labels(text, pattern, confirmed, document=document)
    starts: list[tuple[int, str | None, int | None, bool]] = []
    for start, end in paragraphs(text):
        line = text[start:end]
        if line.startswith(SUMMARY_MARKERS):
            starts.append((start, None, None, False))
            continue
        match = matcher.match(text, start)
        if match and match.start() == start:
            label = match.group("label").strip() if pattern else _label_of(match)
            if label in speakers:
                stamp = match.groupdict().get("before") or match.groupdict().get("after") or ""
                timestamp = parse_timestamp(stamp) if stamp.strip() else None
                starts.append((start, label, timestamp, True))
                continue
        if starts and starts[-1][1] is None and not starts[-1][3]:
            # a summary covers only its own paragraph; what follows has no speaker
            starts.append((start, None, None, True))
    turns = []
    para_ends = [end for _, end in paragraphs(text)]
    for index, (start, label, timestamp, verbatim) in enumerate(starts):
        limit = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        end = max((e for e in para_ends if start < e <= limit), default=start)
        turns.append(FoundTurn(start, end, label, timestamp, verbatim))
    return _merge_unattributed(turns)


def _merge_unattributed(turns: list[FoundTurn]) -> list[FoundTurn]:
    merged: list[FoundTurn] = []
    for turn in turns:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and turn.speaker_label is None
            and turn.verbatim
            and previous.speaker_label is None
            and previous.verbatim
        ):
            merged[-1] = FoundTurn(previous.start, turn.end, None, None, True)
        else:
            merged.append(turn)
    return merged


def split_segment(
    text: str, start: int, end: int, limit: int = MAX_SEGMENT
) -> list[tuple[int, int]]:
    """Cut ``[start, end)`` into pieces of at most ``limit`` characters, at the last
    sentence end before the limit (else the last space, else hard)."""
    pieces = []
    while end - start > limit:
        window = text[start : start + limit]
        cut = max((m.end() for m in _SENTENCE_END.finditer(window)), default=0)
        if cut <= 0:
            cut = window.rfind(" ") + 1
        if cut <= 0:
            cut = limit
        pieces.append((start, start + cut))
        start += cut
    pieces.append((start, end))
    return [(s, e) for s, e in pieces if e > s]


def segments(text: str, turns: list[FoundTurn]) -> list[tuple[int, int, int | None]]:
    """Paragraph segments ``(start, end, turn_index)`` covering every non-blank line."""
    result: list[tuple[int, int, int | None]] = []
    turn_index = 0
    for start, end in paragraphs(text):
        while turn_index < len(turns) and turns[turn_index].end <= start:
            turn_index += 1
        inside = (
            turn_index if turn_index < len(turns) and turns[turn_index].start <= start else None
        )
        result.extend((s, e, inside) for s, e in split_segment(text, start, end))
    return result
