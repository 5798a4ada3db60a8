"""Evaluating a parsed query over a corpus: which passages of which transcripts match.

Every term yields, per transcript, a set of character intervals:

- a code (or group, with its descendants): the spans coded with it;
- ``speaker:``/``role:``: the turns of that speaker or role;
- ``transcript:``, ``mode:``, ``coder:``: the whole transcript when it qualifies
  (``coder:`` restricts which codings are loaded before evaluation, so here it only
  keeps the transcript);
- ``attr:``: the passages whose attributes qualify — the turns of a speaker linked to a
  case by that case's values, the rest of the transcript by the transcript's (the rule
  is ``qualcode.domain.cases.passage_attributes``);
- ``text:``/``lemma:``: the occurrences of the phrase or lemma.

``OR`` is the union, ``NOT`` the complement within each transcript, and ``AND`` the
intersection — except that a ``text:`` or ``lemma:`` operand of ``AND`` keeps the
passages of the other operands that *contain* an occurrence, rather than cutting them
down to the words themselves. ``A OVERLAPS B`` gives each passage of A joined with the
passages of B it overlaps; ``A NEAR/N B`` joins passages of A and B whose sentences are
at most N sentences apart. The matching passages are the connected stretches of the
final set. See docs/query.md for the user's view.
"""

from __future__ import annotations

import bisect
import operator
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from qualcode.domain import query as q
from qualcode.domain.cases import Resolved
from qualcode.domain.spans import Intervals, complement, intersect, merge


@dataclass(frozen=True, slots=True)
class DocTurn:
    start: int
    end: int
    speaker: str | None
    pseudonym: str | None
    role: str | None
    timestamp_ms: int | None
    verbatim: bool


@dataclass(frozen=True, slots=True)
class DocCoding:
    id: int
    code_key: str
    coder: str
    start: int
    end: int


@dataclass(frozen=True)
class Doc:
    """What evaluation needs of one transcript (loaded by the retrieval service)."""

    transcript_id: int
    title: str
    mode: str
    language: str
    text: str
    # the attributes of passages whose speaker has no case of their own
    attributes: Mapping[str, Resolved]
    codings: Sequence[DocCoding] = ()
    turns: Sequence[DocTurn] = ()
    units: Sequence[tuple[int, int]] = ()
    # the text's length when ``text`` was not loaded (a query without text: terms)
    text_length: int | None = None
    # speaker label -> the attributes of that speaker's passages, for speakers linked to
    # a case (their case's values come before the transcript's cases')
    speaker_attributes: Mapping[str, Mapping[str, Resolved]] = field(default_factory=dict)
    _unit_starts: list[int] = field(default_factory=list, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._unit_starts.extend(start for start, _ in self.units)

    @property
    def length(self) -> int:
        return self.text_length if self.text_length is not None else len(self.text)

    def sentence_index(self, offset: int) -> int:
        """The number of the sentence holding ``offset`` (0 before the first)."""
        return max(bisect.bisect_right(self._unit_starts, offset) - 1, 0)


# (doc, lemma) -> spans of the words with that lemma; given by the caller (spaCy lives
# outside the domain)
LemmaFinder = Callable[[Doc, str], Iterable[tuple[int, int]]]


def evaluate(
    query: q.Query,
    docs: Sequence[Doc],
    descendants: Mapping[str, frozenset[str]],
    find_lemma: LemmaFinder | None = None,
) -> dict[int, Intervals]:
    """The matching intervals per transcript id (transcripts with none are left out).

    ``descendants`` maps each code key the query names to itself and every key below it.
    """
    evaluator = _Evaluator(descendants, find_lemma)
    found = {doc.transcript_id: evaluator.eval(query, doc) for doc in docs}
    return {tid: spans for tid, spans in found.items() if spans}


class _Evaluator:
    def __init__(self, descendants: Mapping[str, frozenset[str]], find_lemma: LemmaFinder | None):
        self.descendants = descendants
        self.find_lemma = find_lemma

    def eval(self, node: q.Query, doc: Doc) -> Intervals:
        match node:
            case q.Code(key):
                keys = self.descendants.get(key, frozenset({key}))
                return merge((c.start, c.end) for c in doc.codings if c.code_key in keys)
            case q.Filter(field_name, value):
                return self._filter(field_name, value, doc)
            case q.Attr(name, op, value):
                return _attr_spans(doc, name, op, value)
            case q.Phrase(text):
                return merge(phrase_spans(doc.text, text))
            case q.Lemma(lemma):
                if self.find_lemma is None:
                    return ()
                return merge(self.find_lemma(doc, lemma.lower()))
            case q.Not(operand):
                return complement(self.eval(operand, doc), doc.length)
            case q.Or(operands):
                return merge(span for op in operands for span in self.eval(op, doc))
            case q.And(operands):
                return self._and(operands, doc)
            case q.Overlaps(left, right):
                return _joined(self.eval(left, doc), self.eval(right, doc), _overlap)
            case q.Near(left, right, distance):
                near = _near_within(doc, distance)
                return _joined(self.eval(left, doc), self.eval(right, doc), near)
        raise TypeError(f"not a query node: {node!r}")

    def _filter(self, name: str, value: str, doc: Doc) -> Intervals:
        whole: Intervals = ((0, doc.length),) if doc.length else ()
        if name == "speaker":
            wanted = value.casefold()
            return merge(
                (t.start, t.end)
                for t in doc.turns
                if wanted in {(t.speaker or "").casefold(), (t.pseudonym or "").casefold()}
            )
        if name == "role":
            return merge((t.start, t.end) for t in doc.turns if t.role == value)
        if name == "transcript":
            return whole if value in (doc.title, str(doc.transcript_id)) else ()
        if name == "mode":
            return whole if doc.mode == value else ()
        return whole  # coder: applied when the codings were loaded

    def _and(self, operands: tuple[q.Query, ...], doc: Doc) -> Intervals:
        containing: list[q.Query] = [op for op in operands if isinstance(op, q.Phrase | q.Lemma)]
        spanning: list[q.Query] = [op for op in operands if not isinstance(op, q.Phrase | q.Lemma)]
        if not spanning:
            spanning, containing = containing, []
        result = self.eval(spanning[0], doc)
        for op in spanning[1:]:
            if not result:
                return ()
            result = intersect(result, self.eval(op, doc))
        for op in containing:
            occurrences = self.eval(op, doc)
            result = tuple(
                part
                for part in result
                if any(part[0] <= s and e <= part[1] for s, e in occurrences)
            )
        return result


def _attr_spans(doc: Doc, name: str, op: str, wanted: str) -> Intervals:
    """The passages whose attribute ``name`` compares true with ``wanted``."""
    whole: Intervals = ((0, doc.length),) if doc.length else ()
    if not doc.speaker_attributes:
        return whole if _compare(doc.attributes.get(name), op, wanted) else ()
    own = [
        (t.start, t.end, doc.speaker_attributes[t.speaker])
        for t in doc.turns
        if t.speaker is not None and t.speaker in doc.speaker_attributes
    ]
    spans: list[tuple[int, int]] = []
    if _compare(doc.attributes.get(name), op, wanted):
        spans.extend(complement(merge((s, e) for s, e, _ in own), doc.length))
    spans.extend((s, e) for s, e, values in own if _compare(values.get(name), op, wanted))
    return merge(spans)


def phrase_spans(text: str, phrase: str) -> Iterable[tuple[int, int]]:
    """Occurrences of ``phrase``: its words in order, whole words, any case, any run of
    whitespace between them; a word ending in ``*`` is a prefix (``placer*`` finds
    placera, placering, placeringarna)."""
    words = phrase.split()
    if not words:
        return ()
    pattern = r"(?<!\w)" + r"\s+".join(_word_pattern(w) for w in words) + r"(?!\w)"
    return ((m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE))


def _word_pattern(word: str) -> str:
    if word.endswith("*") and word.rstrip("*"):
        return re.escape(word.rstrip("*")) + r"[\w-]*"
    return re.escape(word)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _near_within(doc: Doc, distance: int) -> Callable[[tuple[int, int], tuple[int, int]], bool]:
    def near(a: tuple[int, int], b: tuple[int, int]) -> bool:
        if _overlap(a, b):
            return True
        first, second = (a, b) if a[0] <= b[0] else (b, a)
        gap = doc.sentence_index(second[0]) - doc.sentence_index(first[1] - 1)
        return gap <= distance

    return near


def _joined(
    left: Intervals, right: Intervals, related: Callable[[tuple[int, int], tuple[int, int]], bool]
) -> Intervals:
    """Each passage of ``left`` joined with every related passage of ``right``."""
    spans = []
    for a in left:
        for b in right:
            if related(a, b):
                spans.append((min(a[0], b[0]), max(a[1], b[1])))
    return merge(spans)


def _compare(actual: Resolved | None, op: str, wanted: str) -> bool:
    """``actual <op> wanted``; a missing value matches nothing (missing is not zero), a
    multi-valued one (cases that disagree) matches when any of its values does."""
    if actual is None:
        return False
    if isinstance(actual, tuple):
        return any(_compare(one, op, wanted) for one in actual)
    left: object
    right: object
    if isinstance(actual, bool):
        left, right = actual, wanted.strip().lower() in ("true", "ja", "yes", "1")
    elif isinstance(actual, int | float):
        try:
            left, right = float(actual), float(wanted.replace(",", "."))
        except ValueError:
            return False
    else:
        left, right = str(actual).casefold(), wanted.casefold()
        if op not in ("=", "!="):
            try:
                left, right = date.fromisoformat(str(actual)), date.fromisoformat(wanted)
            except ValueError:
                return False
    try:
        return bool(_OPERATORS[op](left, right))
    except TypeError:
        return False


# the comparison ``attr:`` filters make, for other filters over attribute values
compare_attribute = _compare

_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
