"""Retrieval: the passages a query matches, with speaker, codes and context.

The query is parsed (``qualcode.domain.query``), its code keys checked against the
codebook, the data loaded in a few bulk reads, and the query evaluated in memory
(``qualcode.domain.retrieval``). ``coder:`` terms combined with AND at the top level
decide whose codings count; anywhere else they are refused, because "passages coded X
or coded by anna" has no sensible reading.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy.orm import Session

from qualcode.domain import query as q
from qualcode.domain.errors import InvalidInput, NotFound
from qualcode.domain.records import Code
from qualcode.domain.retrieval import Doc, DocCoding, LemmaFinder, evaluate
from qualcode.domain.spans import Intervals
from qualcode.domain.turns import LABEL_LINE
from qualcode.services.lemmas import ensure_lemma_index, form_spans
from qualcode.services.project import Project
from qualcode.store.repositories import coders as coder_repo
from qualcode.store.repositories import codes as code_repo
from qualcode.store.repositories.retrieval import load_docs

ORDERS = ("transcript", "code")


@dataclass(frozen=True, slots=True)
class Passage:
    """One matching stretch of a transcript, ready to read or quote."""

    transcript_id: int
    transcript: str
    mode: str
    start: int
    end: int
    text: str
    speaker: str | None  # the pseudonym when one is set, else the label
    role: str | None
    timestamp_ms: int | None
    verbatim: bool  # False when any of it lies in a written summary
    codes: tuple[tuple[str, str], ...]  # (code key, coder) of the codings it overlaps
    before: str = ""  # context: the sentences before, as asked
    after: str = ""


@dataclass(frozen=True)
class Retrieval:
    query: str
    passages: tuple[Passage, ...]
    by_code: dict[str, int]
    by_transcript: dict[str, int]
    # the codes the query names, each with its descendants (what its themes hold)
    named_codes: dict[str, frozenset[str]] = field(default_factory=dict)
    coders: tuple[str, ...] = ()  # whose codings counted; () = every coder's


def retrieve(
    project: Project,
    text: str,
    *,
    context: int = 0,
    order: str = "transcript",
    coders: Sequence[str] = (),
) -> Retrieval:
    """The passages matching the query ``text``, each with ``context`` sentences around.

    Only the codings of ``coders`` count (all coders' when empty); ``coder:`` terms in
    the query itself take precedence, being the more specific request."""
    if order not in ORDERS:
        raise InvalidInput(f"order by one of {', '.join(ORDERS)}, not {order!r}")
    if context < 0:
        raise InvalidInput("context must be 0 or more sentences")
    parsed = q.parse(text)
    coders = _top_level_coders(parsed) or list(coders)
    needs_units = context > 0 or any(isinstance(n, q.Near) for n in q.walk(parsed))
    lemmas = {n.lemma.lower() for n in q.walk(parsed) if isinstance(n, q.Lemma)}
    if lemmas:
        ensure_lemma_index(project)  # built once, on the first lemma: query that needs it
    with project.database.read() as session:
        coder_ids = _coder_ids(session, coders) if coders else None
        found = matching_spans(session, parsed, coder_ids, with_units=needs_units)
        descendants = _descendants(code_repo.list_codes(session), q.code_keys(parsed))
        # only the transcripts with results need their text, speakers and every code
        details = {
            doc.transcript_id: doc
            for doc in load_docs(
                session,
                code_ids=None,
                coder_ids=coder_ids,
                with_units=context > 0,
                transcript_ids=list(found),
            )
        }
    passages = [
        passage_at(details[tid], start, end, details[tid].codings, context)
        for tid, spans in found.items()
        for start, end in spans
    ]
    if order == "code":
        passages.sort(key=lambda p: (p.codes[0][0] if p.codes else "~", p.transcript_id, p.start))
    return Retrieval(
        query=q.to_text(parsed),
        passages=tuple(passages),
        by_code=dict(Counter(key for p in passages for key in {k for k, _ in p.codes})),
        by_transcript=dict(Counter(p.transcript for p in passages)),
        named_codes=descendants,
        coders=tuple(coders),
    )


def matching_spans(
    session: Session,
    parsed: q.Query,
    coder_ids: Collection[int] | None,
    *,
    with_units: bool | None = None,
) -> dict[int, Intervals]:
    """The intervals ``parsed`` matches per transcript id, counting the codings of
    ``coder_ids`` (None: every coder); ``coder:`` terms are left to the caller."""
    if with_units is None:
        with_units = any(isinstance(n, q.Near) for n in q.walk(parsed))
    codes = code_repo.list_codes(session)
    descendants = _descendants(codes, q.code_keys(parsed))
    code_ids = {c.id for c in codes if c.key in set().union(*descendants.values())}
    kinds = {type(node) for node in q.walk(parsed)}
    # attr: needs the turns too: a speaker linked to a case has that case's values
    speakers = any(
        (isinstance(n, q.Filter) and n.field in ("speaker", "role")) or isinstance(n, q.Attr)
        for n in q.walk(parsed)
    )
    lemmas = {n.lemma.lower() for n in q.walk(parsed) if isinstance(n, q.Lemma)}
    indexed = _indexed_lemma_spans(session, lemmas) if lemmas else {}
    docs = load_docs(
        session,
        code_ids=code_ids,
        coder_ids=coder_ids,
        with_units=with_units,
        with_turns=speakers,
        # without a complete index, lemmas are found in the text itself
        with_text=q.Phrase in kinds or (bool(lemmas) and indexed is None),
        transcript_ids=_candidates(parsed, indexed) if indexed else None,
    )
    finder = _indexed_finder(indexed) if indexed is not None else _lemma_finder()
    return evaluate(parsed, docs, descendants, finder)


def coder_scope(session: Session, parsed: q.Query) -> set[int] | None:
    """The ids of the coders a query's top-level ``coder:`` terms name (None: all);
    ``coder:`` anywhere else is refused."""
    names = _top_level_coders(parsed)
    return _coder_ids(session, names) if names else None


def passages_for(
    project: Project, spans: Sequence[tuple[int, int, int]], *, context: int = 0
) -> list[Passage]:
    """The passages at ``(transcript_id, start, end)`` spans, in the order given."""
    with project.database.read() as session:
        docs = {
            doc.transcript_id: doc
            for doc in load_docs(
                session,
                code_ids=None,
                coder_ids=None,
                with_units=context > 0,
                transcript_ids=sorted({tid for tid, _, _ in spans}),
            )
        }
    return [
        passage_at(docs[tid], start, end, docs[tid].codings, context) for tid, start, end in spans
    ]


def _top_level_coders(parsed: q.Query) -> list[str]:
    top = parsed.operands if isinstance(parsed, q.And) else (parsed,)
    coders = [n.value for n in top if isinstance(n, q.Filter) and n.field == "coder"]
    nested = [n for n in q.walk(parsed) if isinstance(n, q.Filter) and n.field == "coder"]
    if len(nested) != len(coders):
        raise InvalidInput("coder: can only be combined with AND at the top of a query")
    return coders


def _descendants(codes: list[Code], keys: Iterable[str]) -> dict[str, frozenset[str]]:
    children: dict[str | None, list[str]] = {}
    for code in codes:
        children.setdefault(code.parent_key, []).append(code.key)
    known = {code.key for code in codes}
    result = {}
    for key in sorted(keys):
        if key not in known:
            raise NotFound(f"the query names {key!r}, which is not a code in the codebook")
        found, stack = set(), [key]
        while stack:
            current = stack.pop()
            found.add(current)
            stack.extend(children.get(current, []))
        result[key] = frozenset(found)
    return result


def _coder_ids(session: Session, names: list[str]) -> set[int]:
    ids = set()
    for name in names:
        coder = coder_repo.find_coder(session, name)
        if coder is None:
            raise NotFound(f"the query names coder {name!r}, who has no codings here")
        ids.add(coder.id)
    return ids


def _indexed_lemma_spans(
    session: Session, lemmas: Collection[str]
) -> dict[str, dict[int, list[tuple[int, int]]]] | None:
    """For each query lemma, the words of every transcript that are a form of it, read
    from the word index (``services.lemmas.form_spans``). None when the index is
    incomplete (then the text is read)."""
    found: dict[str, dict[int, list[tuple[int, int]]]] = {}
    for asked in lemmas:
        spans = form_spans(session, asked)
        if spans is None:
            return None
        found[asked] = spans
    return found


def _candidates(
    parsed: q.Query, words: dict[str, dict[int, list[tuple[int, int]]]]
) -> set[int] | None:
    """The only transcripts that can match, when the query requires a lemma (a lemma:
    query, or one ANDed at the top): those holding that lemma, from the index. None:
    every transcript (the query can match without any particular word)."""
    top = parsed.operands if isinstance(parsed, q.And) else (parsed,)
    required = [words[n.lemma.lower()] for n in top if isinstance(n, q.Lemma)]
    if not required:
        return None
    return set.intersection(*(set(by_transcript) for by_transcript in required))


def _indexed_finder(found: dict[str, dict[int, list[tuple[int, int]]]]) -> LemmaFinder:
    """Words by lemma from the lemma index, read once for every lemma the query names."""

    def find(doc: Doc, lemma: str) -> list[tuple[int, int]]:
        return found.get(lemma.lower(), {}).get(doc.transcript_id, [])

    return find


def _lemma_finder() -> LemmaFinder:
    from qualcode import nlp  # simplemma only when a query asks for lemmas

    @lru_cache(maxsize=256)
    def lemmas_of(text: str, language: str) -> tuple[tuple[int, int, str], ...]:
        return tuple(
            (start, end, nlp.lemma(word, language)) for start, end, word in nlp.words(text)
        )

    def find(doc: Doc, lemma: str) -> list[tuple[int, int]]:
        # the query's word is lemmatised too: lemma:placeringarna finds what
        # lemma:placering finds; compounds ending in the lemma count (LVU-placering)
        wanted = {lemma.lower(), nlp.lemma(lemma, doc.language)}
        return [
            (s, e)
            for s, e, found in lemmas_of(doc.text, doc.language)
            if any(nlp.lemma_matches(found, w, doc.language) for w in wanted)
        ]

    return find


def passage_at(
    doc: Doc, start: int, end: int, codings: Iterable[DocCoding], context: int
) -> Passage:
    """The passage ``[start, end)`` of ``doc`` with its speaker, codes and context."""
    turn = next((t for t in doc.turns if t.start <= start < t.end), None)
    overlapping = [t for t in doc.turns if t.start < end and start < t.end]
    before = after = ""
    if context and doc.units:
        starts = [s for s, _ in doc.units]
        first = max(bisect.bisect_right(starts, start) - 1 - context, 0)
        last = min(bisect.bisect_left(starts, end) - 1 + context, len(doc.units) - 1)
        # context stays within the speaker's turn: the words around a quote are the
        # same person's, never the next speaker's label and reply
        low = turn.start if turn else 0
        label = LABEL_LINE.match(doc.text, low) if turn and turn.speaker else None
        low = label.end() if label and label.end() <= start else low
        high = max((t.end for t in overlapping), default=doc.length)
        before = doc.text[max(min(doc.units[first][0], start), low) : start]
        after = doc.text[end : max(min(doc.units[last][1], high), end)]
    return Passage(
        transcript_id=doc.transcript_id,
        transcript=doc.title,
        mode=doc.mode,
        start=start,
        end=end,
        text=doc.text[start:end],
        speaker=(turn.pseudonym or turn.speaker) if turn else None,
        role=turn.role if turn else None,
        timestamp_ms=turn.timestamp_ms if turn else None,
        verbatim=all(t.verbatim for t in overlapping),
        codes=tuple(
            sorted({(c.code_key, c.coder) for c in codings if c.start < end and start < c.end})
        ),
        before=before,
        after=after,
    )
