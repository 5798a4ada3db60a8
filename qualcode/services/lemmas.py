"""The word index as a use case. An import stores each text's word forms and offsets
(``services.importing``); here the index is built for a text version that lacks it
(one merged in, or stored by an older qualcode), and the lemma of each distinct form
is found the first time a query needs lemmas, once per form, not per word. ``lemma:``
search, word counts and KWIC then read the index instead of lemmatising every
transcript.

Building reads in one transaction, lemmatises outside any transaction and writes each
batch in a short one, so other writers wait milliseconds, not minutes. The index is
derived data (it follows from the text and the lemmatizer), so building it records no
event and undo never touches it.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from qualcode.domain.word_index import index_text, positions_in, span_at
from qualcode.services.project import Project
from qualcode.store.repositories import word_index as index_repo

BATCH = 200  # text versions read, then indexed and written, per write transaction


def ensure_word_index(project: Project) -> int:
    """Index the forms and offsets of every current text version lacking them; how
    many were indexed (no lemmatizer needed)."""
    with project.database.read() as session:
        missing = index_repo.unindexed(session)
    for first in range(0, len(missing), BATCH):
        with project.database.read() as session:
            batch = index_repo.texts(session, missing[first : first + BATCH])
        built = [(vid, *index_text(text)) for vid, text in batch]
        with project.database.write() as session:
            still = set(index_repo.unindexed(session))  # another process may have built some
            index_repo.add(session, [item for item in built if item[0] in still])
    return len(missing)


def ensure_lemma_index(project: Project) -> int:
    """The word index of every current text version, with the lemma of each of its
    forms (by ``nlp.LEMMATIZER``); how many versions needed either."""
    from qualcode import nlp  # simplemma only when lemmas are missing

    indexed = set(_missing_index(project))
    ensure_word_index(project)
    with project.database.read() as session:
        todo = index_repo.unlemmatised(session, nlp.LEMMATIZER)
    known: dict[str, set[str]] = {}
    for first in range(0, len(todo), BATCH):
        batch = todo[first : first + BATCH]
        with project.database.read() as session:
            words = dict(index_repo.forms(session, [vid for vid, _ in batch]))
            for language in {language for _, language in batch} - set(known):
                known[language] = index_repo.known_forms(session, nlp.LEMMATIZER, language)
        found: dict[str, dict[str, str]] = {}
        for language in sorted({language for _, language in batch}):
            distinct: set[str] = set()
            for vid, lang in batch:
                if lang == language:
                    distinct.update(words.get(vid, "").split(" "))
            distinct.discard("")
            found[language] = {
                form: nlp.lemma(form, language) for form in distinct - known[language]
            }
        with project.database.write() as session:
            for language, lemmas in found.items():
                # another process may have stored some of these forms meanwhile
                there = index_repo.known_forms(session, nlp.LEMMATIZER, language)
                index_repo.add_lemmas(
                    session,
                    nlp.LEMMATIZER,
                    language,
                    {form: lemma for form, lemma in lemmas.items() if form not in there},
                )
                known[language] = there | set(lemmas)
            index_repo.mark_lemmatised(session, nlp.LEMMATIZER, [vid for vid, _ in batch])
    return len(indexed | {vid for vid, _ in todo})


def _missing_index(project: Project) -> list[int]:
    with project.database.read() as session:
        return index_repo.unindexed(session)


def lemma_spans(
    project: Project, lemmas: Collection[str], transcript_ids: Collection[int] | None = None
) -> dict[str, dict[int, list[tuple[int, int]]]]:
    """lemma (lower case) -> transcript id -> ``(start, end)`` of each word with exactly
    that lemma in the transcript's current text, from the index (built first if
    needed)."""
    from qualcode import nlp

    ensure_lemma_index(project)
    found: dict[str, dict[int, list[tuple[int, int]]]] = {}
    with project.database.read() as session:
        for wanted in {lemma.lower() for lemma in lemmas}:
            forms = {
                language: {
                    form
                    for form, lemma in index_repo.lemmas(
                        session, nlp.LEMMATIZER, language, {wanted}
                    ).items()
                    if lemma == wanted
                }
                for language in _languages(session, transcript_ids)
            }
            found[wanted] = _spans_of(session, forms, transcript_ids)
    return found


def form_spans(session: Session, asked: str) -> dict[int, list[tuple[int, int]]] | None:
    """transcript id -> ``(start, end)`` of each word that is a form of ``asked``: its
    lemma is ``asked`` or the lemma of ``asked`` (``placeringarna`` finds what
    ``placering`` finds), or a compound ending in it (``lvu-placering``), judged in the
    transcript's language as ``nlp.lemma_matches`` does. None when a current text's
    words or lemmas are not in the index (then the caller reads the texts)."""
    from qualcode import nlp  # simplemma only when a query asks for lemmas

    if index_repo.unlemmatised(session, nlp.LEMMATIZER):
        return None
    asked = asked.lower()
    forms: dict[str, set[str]] = {}
    for language in _languages(session, None):
        targets = {asked, nlp.lemma(asked, language)}
        # every form whose lemma contains a target, then judged as a form of it
        candidates = index_repo.lemmas(session, nlp.LEMMATIZER, language, targets)
        matches = {
            lemma: any(nlp.lemma_matches(lemma, w, language) for w in targets)
            for lemma in set(candidates.values())
        }
        forms[language] = {form for form, lemma in candidates.items() if matches[lemma]}
    return _spans_of(session, forms, None)


def _languages(session: Session, transcript_ids: Collection[int] | None) -> set[str]:
    return {language for _, language, _ in _rows(session, transcript_ids)}


def _rows(session: Session, transcript_ids: Collection[int] | None) -> list[tuple[int, str, str]]:
    # one read of the forms per session and transcript choice: a query asks for a few
    # lemmas, each of which reads them
    key = None if transcript_ids is None else frozenset(transcript_ids)
    cache: dict[object, list[tuple[int, str, str]]] = session.info.setdefault("word_forms", {})
    if key not in cache:
        cache[key] = index_repo.current_forms(session, transcript_ids)
    return cache[key]


def _spans_of(
    session: Session, forms: dict[str, set[str]], transcript_ids: Collection[int] | None
) -> dict[int, list[tuple[int, int]]]:
    """transcript id -> the ``(start, end)`` of its words with one of the forms of its
    language, in text order."""
    positions: dict[int, list[int]] = {}
    for tid, language, stored in _rows(session, transcript_ids):
        hits = positions_in(stored, forms.get(language, ()))
        if hits:
            positions[tid] = hits
    spans = index_repo.current_spans(session, positions) if positions else {}
    return {
        tid: [span_at(spans[tid], position) for position in at] for tid, at in positions.items()
    }
