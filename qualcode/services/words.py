"""Word frequencies and keyword in context over the passages of a query (or whole
transcripts), with stop words from spaCy's language data that a project may edit.

Words are counted as ``nlp.words`` finds them, lower-cased, or as their lemmas
(``nlp.lemma``), read from the word index (``services.lemmas``: each text's forms and
offsets, stored at import, and each distinct form's lemma); a passage cutting a word,
or a text the index lacks, is counted from its text. The result of a count is a
``MatrixResult`` (rows = words, columns = the groups compared), so it prints, exports
and drills down like a matrix.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from qualcode import nlp
from qualcode.domain import query as q
from qualcode.domain import table_words
from qualcode.domain.analysis import Axis, KwicLine, MatrixResult, axis_in
from qualcode.domain.errors import InvalidInput
from qualcode.domain.retrieval import phrase_spans
from qualcode.domain.spans import Intervals
from qualcode.domain.turns import LABEL_LINE
from qualcode.domain.word_index import forms_of, unpack_offsets, words_within
from qualcode.services.coders import ensure_coder
from qualcode.services.lemmas import ensure_lemma_index, ensure_word_index, form_spans
from qualcode.services.project import Project
from qualcode.services.retrieval import coder_scope, matching_spans
from qualcode.store.repositories import analysis as repo
from qualcode.store.repositories import events
from qualcode.store.repositories import project as project_repo
from qualcode.store.repositories import word_index as index_repo

SETTING = "stop_words"
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class WordRequest:
    where: str | None = None  # count in the passages of this query; None: whole texts
    groups: tuple[str, ...] = ()  # queries whose passages are compared, column by column
    lemmas: bool = False
    stop_words: bool = True
    min_length: int = 3
    min_count: int = 2
    limit: int | None = 50
    language: str = "en"  # of the table's words


# ---------------------------------------------------------------- stop words


def project_stop_words(project: Project) -> dict[str, list[str]]:
    """The project's own changes to the stop-word lists: ``{"add": [...], "remove":
    [...]}``."""
    settings = project.settings.get(SETTING, {})
    if not isinstance(settings, dict):
        return {"add": [], "remove": []}
    return {
        "add": sorted(settings.get("add", [])),
        "remove": sorted(settings.get("remove", [])),
    }


def edit_stop_words(
    project: Project, *, add: Sequence[str] = (), remove: Sequence[str] = (), coder: str
) -> dict[str, list[str]]:
    """Add words to the stop-word list or take spaCy's out of it (for this project)."""
    added = {w.strip().lower() for w in add if w.strip()}
    removed = {w.strip().lower() for w in remove if w.strip()}
    if added & removed:
        raise InvalidInput(f"{sorted(added & removed)[0]!r} cannot be both added and removed")
    with project.database.write() as session:
        current = project_repo.get_project(session).settings.get(SETTING, {}) or {}
        before = {
            "add": sorted(current.get("add", [])),
            "remove": sorted(current.get("remove", [])),
        }
        after = {
            "add": sorted((set(before["add"]) | added) - removed),
            "remove": sorted((set(before["remove"]) | removed) - added),
        }
        project_repo.set_setting(session, SETTING, after)
        events.record_event(
            session,
            action="stop_words.edit",
            entity="project",
            entity_id=None,
            coder_id=ensure_coder(session, coder).id,
            before=before,
            after=after,
        )
    return after


def stop_words(project: Project, languages: Iterable[str]) -> frozenset[str]:
    edits = project_stop_words(project)
    found: set[str] = set()
    for language in set(languages):
        found |= nlp.stop_words(language)
    return frozenset((found | set(edits["add"])) - set(edits["remove"]))


# ---------------------------------------------------------------- the text to count


@dataclass(frozen=True)
class _Piece:
    transcript_id: int
    title: str
    language: str
    start: int
    end: int
    text: str


def _pieces(project: Project, query: q.Query | None) -> list[_Piece]:
    """The passages of ``query`` (whole transcripts without one), with their text; the
    speaker labels at the start of turns are blanked out, since nobody said them."""
    with project.database.read() as session:
        transcripts = {t.id: t for t in repo.transcripts(session)}
        found = _found(session, transcripts, query)
        texts = repo.texts(session, list(found))
        labels = _labels(session, texts)
    for tid, spans in labels.items():
        texts[tid] = _blanked(texts[tid], spans)
    return [
        _Piece(tid, transcripts[tid].title, transcripts[tid].language, s, e, texts[tid][s:e])
        for tid in sorted(found)
        for s, e in found[tid]
    ]


def _found(
    session: Session, transcripts: dict[int, Any], query: q.Query | None
) -> dict[int, Intervals]:
    """The passages of ``query`` per transcript id (whole transcripts without one)."""
    if query is None:
        return {tid: ((0, t.length),) for tid, t in transcripts.items() if t.length}
    return matching_spans(session, query, coder_scope(session, query))


def _labels(session: Session, texts: dict[int, str]) -> dict[int, list[tuple[int, int]]]:
    """transcript id -> the spans of the speaker labels starting its turns."""
    labels: dict[int, list[tuple[int, int]]] = {}
    for tid, start, end in repo.speaker_turns(session):
        if tid in texts:
            match = LABEL_LINE.match(texts[tid], start)
            if match and match.end() <= end:
                labels.setdefault(tid, []).append((start, match.end()))
    return labels


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    parts, reach = [], 0
    for start, end in spans:
        parts += [text[reach:start], " " * (end - start)]
        reach = end
    return "".join([*parts, text[reach:]])


def _parse(text: str | None, what: str) -> q.Query | None:
    """The query of ``--where`` or ``--group`` (``coder:`` joined by AND at its top
    chooses whose codings its code terms mean, as in retrieval)."""
    if text is None or not text.strip():
        return None
    return q.parse(text)


# ---------------------------------------------------------------- frequencies


def word_frequencies(project: Project, request: WordRequest) -> MatrixResult:
    """How often each word (or lemma) occurs, overall or per group."""
    if request.min_length < 1 or request.min_count < 1:
        raise InvalidInput("--min-length and --min-count take 1 or more")
    where = _parse(request.where, "--where")
    groups = [(text, _parse(text, "--group")) for text in request.groups]
    language, said = request.language, table_words.words(request.language)
    columns: list[tuple[str, q.Query | None]] = [
        (text, _both(where, group)) for text, group in groups
    ]
    if not columns:
        columns = [(q.to_text(where) if where else said["all_passages"], where)]
    indexed = _indexed_counts(project, [query for _, query in columns], request)
    if indexed is None:  # a text not indexed (a concurrent revision): count the texts
        pieces = [_pieces(project, query) for _, query in columns]
        languages = {p.language for column in pieces for p in column}
        stop = stop_words(project, languages) if request.stop_words else frozenset()
        counts = [_count(column, request.lemmas, stop) for column in pieces]
    else:
        counts, stop = indexed
    totals: Counter[str] = Counter()
    for column in counts:
        totals.update(column)
    chosen = [
        word
        for word, total in sorted(totals.items(), key=lambda item: (-item[1], item[0]))
        if total >= request.min_count
        and len(word) >= request.min_length
        and word not in stop
        and not word.isdigit()
    ]
    if request.limit is not None:
        chosen = chosen[: request.limit]
    make = q.Lemma if request.lemmas else q.Phrase
    what = "lemmas" if request.lemmas else "words"
    rows = axis_in(Axis(what, tuple(chosen), tuple(make(w) for w in chosen)), language)
    header = axis_in(
        Axis("passages", tuple(label for label, _ in columns), tuple(c for _, c in columns)),
        language,
    )
    cells = tuple(tuple(column[word] for column in counts) for word in chosen)
    one = said["lemma" if request.lemmas else "word"]
    return MatrixResult(
        title=said["by_frequency"].format(what=rows.dimension),
        language=language,
        rows=rows,
        columns=header,
        measure="occurrences",
        cells=cells,
        row_totals=tuple(totals[word] for word in chosen),
        column_totals=tuple(sum(column.values()) for column in counts),
        total=sum(totals.values()),
        coders=(),
        pooled=False,
        where=q.to_text(where) if where else None,
        note=said["words_note"].format(
            What=rows.dimension.capitalize(),
            letters=request.min_length,
            times=request.min_count,
            stop=said["stop_left_out" if request.stop_words else "stop_kept"],
            one=one,
        ),
        counted_text=said["occurrences"].format(one=one),
    )


def _both(where: q.Query | None, group: q.Query | None) -> q.Query | None:
    if where is None or group is None:
        return where or group
    return q.And((where, group))


def _count(pieces: Iterable[_Piece], lemmas: bool, stop: frozenset[str]) -> Counter[str]:
    """Word (or lemma) counts; a stop word is left out as a form and as a lemma, so
    "ska" does not come back as the lemma "skola"."""
    by_language: dict[str, list[str]] = {}
    for piece in pieces:
        by_language.setdefault(piece.language, []).append(piece.text)
    counted: Counter[str] = Counter()
    for language, texts in by_language.items():
        # one regex pass over all the language's passages, lower-cased once
        words = Counter(nlp.WORD.findall("\n".join(texts).lower()))
        for word, n in words.items():
            if word not in stop:
                counted[nlp.lemma(word, language) if lemmas else word] += n
    return counted


def _indexed_counts(
    project: Project, queries: Sequence[q.Query | None], request: WordRequest
) -> tuple[list[Counter[str]], frozenset[str]] | None:
    """What ``_count`` counts in the passages of each query, and the stop words, read
    from the word index (built first for any text lacking it) instead of finding and
    lemmatising every word again: the forms of the words lying within each passage, less
    the speaker labels'. A passage that cuts a word is counted from its text, as
    ``_count`` does. None when a text is not indexed."""
    # words need only the forms; lemmas need the lemma of each form as well
    (ensure_lemma_index if request.lemmas else ensure_word_index)(project)
    lemma_of: dict[str, dict[str, str]] = {}  # language -> form -> lemma, from the index
    with project.database.read() as session:
        transcripts = {t.id: t for t in repo.transcripts(session)}
        founds = [_found(session, transcripts, query) for query in queries]
        wanted: set[int] = set().union(*founds)
        every = len(wanted) == len(transcripts)
        indexed = {
            tid: forms
            for tid, _, forms in index_repo.current_forms(session, None if every else wanted)
        }
        if not wanted <= set(indexed):
            return None
        packed = index_repo.current_spans(session, wanted)
        texts = repo.texts(session, None if every else list(wanted))
        labels = _labels(session, texts)
        languages = {transcripts[tid].language for tid in wanted}
        if request.lemmas:
            from qualcode.nlp import LEMMATIZER

            for language in languages:
                lemma_of[language] = index_repo.lemmas(session, LEMMATIZER, language)
    stop = stop_words(project, languages) if request.stop_words else frozenset()
    # per column, per language: the forms counted; one transcript's words in memory
    # at a time (a list of a million forms is ~60 MB)
    by_column: list[dict[str, Counter[str]]] = [{} for _ in founds]
    for tid in sorted(wanted):
        offsets = unpack_offsets(packed.pop(tid))
        starts, ends = offsets[0::2], offsets[1::2]
        spoken = forms_of(indexed.pop(tid))
        # a speaker label's words become "" (nobody said them): then every slice of
        # the forms counts what was said
        for low, high in labels.get(tid, ()):
            first, last = bisect_left(ends, low + 1), bisect_left(starts, high)
            spoken[first:last] = [""] * (last - first)
        words = _Indexed(spoken, starts, ends)
        language = transcripts[tid].language
        for found, forms_by_language in zip(founds, by_column, strict=True):
            if tid in found:
                counter = forms_by_language.setdefault(language, Counter())
                _count_passages(counter, words, found[tid], texts[tid], labels.get(tid, []))
    counts = []
    for forms_by_language in by_column:
        counted: Counter[str] = Counter()
        for language, by_form in forms_by_language.items():
            mapping = lemma_of.get(language, {})
            for form, n in by_form.items():
                if not form or form in stop:
                    continue
                if request.lemmas:
                    counted[mapping.get(form) or nlp.lemma(form, language)] += n
                else:
                    counted[form] += n
        counts.append(counted)
    return counts, stop


@dataclass(frozen=True, slots=True)
class _Indexed:
    """One transcript's indexed words: forms ("" for a speaker label's words) and the
    words' offsets."""

    forms: list[str]
    starts: Sequence[int]  # arrays of the words' offsets
    ends: Sequence[int]


def _count_passages(
    counter: Counter[str],
    words: _Indexed,
    passages: Intervals,
    text: str,
    labels: list[tuple[int, int]],
) -> None:
    """Add the forms of the words within ``passages`` to ``counter`` (labels' as "");
    a passage cutting a word is counted from its text instead, as ``_count`` does."""
    for start, end in passages:
        within = words_within(words.starts, words.ends, start, end)
        if within is None:
            piece = _blanked(text, labels)[start:end] if labels else text[start:end]
            counter.update(nlp.WORD.findall(piece.lower()))
        else:
            counter.update(words.forms[within[0] : within[1]])


# ---------------------------------------------------------------- keyword in context


def kwic(
    project: Project,
    term: str,
    *,
    width: int = 40,
    where: str | None = None,
    limit: int | None = None,
) -> tuple[str, list[KwicLine]]:
    """Each occurrence of ``term`` with ``width`` characters either side. ``term`` is a
    word or phrase (``på is``), a prefix (``placer*``), ``text:…`` or ``lemma:WORD``
    (every form, compounds ending in it too)."""
    if width < 1:
        raise InvalidInput("--width takes 1 or more characters")
    text = term.strip()
    if not text:
        raise InvalidInput("give a word, a phrase, a prefix (placer*) or lemma:WORD")
    lemma = None
    if text.casefold().startswith("lemma:"):
        lemma = text[6:].strip().strip('"')
        if not lemma or " " in lemma:
            raise InvalidInput("lemma: takes one word")
    elif text.casefold().startswith("text:"):
        text = text[5:].strip().strip('"')
    parsed = _parse(where, "--where")
    lines: list[KwicLine] = []
    if lemma is not None:
        ensure_lemma_index(project)
    with project.database.read() as session:
        transcripts = {t.id: t for t in repo.transcripts(session)}
        scope = matching_spans(session, parsed, coder_scope(session, parsed)) if parsed else None
        # the words of the lemma from the word index; only their transcripts are read
        indexed = form_spans(session, lemma) if lemma is not None else None
        chosen = list(scope) if scope is not None else None
        if indexed is not None:
            chosen = [tid for tid in indexed if scope is None or tid in scope]
        texts = repo.texts(session, chosen)
    for tid in sorted(texts):
        body, language = texts[tid], transcripts[tid].language
        if indexed is not None:
            hits = indexed.get(tid, [])
        elif lemma is not None:
            wanted = {lemma.lower(), nlp.lemma(lemma, language)}
            hits = [
                (s, e)
                for s, e, word in nlp.words(body)
                if any(nlp.lemma_matches(nlp.lemma(word, language), w, language) for w in wanted)
            ]
        else:
            hits = list(phrase_spans(body, text))
        for start, end in hits:
            if scope is not None and not any(s <= start and end <= e for s, e in scope[tid]):
                continue
            lines.append(
                KwicLine(
                    transcript_id=tid,
                    transcript=transcripts[tid].title,
                    start=start,
                    end=end,
                    left=_flat(body[max(0, start - width) : start])[-width:],
                    keyword=_flat(body[start:end]),
                    right=_flat(body[end : end + width])[:width],
                )
            )
            if limit is not None and len(lines) >= limit:
                return _shown(lemma, text), lines
    return _shown(lemma, text), lines


def _shown(lemma: str | None, text: str) -> str:
    return f"lemma:{lemma}" if lemma is not None else text


def _flat(text: str) -> str:
    """Line breaks and runs of spaces as one space, so lines stay aligned."""
    return _SPACE.sub(" ", text)
