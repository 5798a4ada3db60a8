"""The word index as a use case: stored at import (``services.importing``), built here
for a text version that lacks it (a project merged in, an index made by another
lemmatizer), and read by ``lemma:`` search, word counts and KWIC instead of
lemmatising every transcript.

Building reads the texts in one transaction, lemmatises outside any transaction and
writes each batch in a short one, so other writers wait milliseconds, not minutes.
The index is derived data (it follows from the text and the lemmatizer), so building it
records no event and undo never touches it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Collection

from sqlalchemy.orm import Session

from qualcode.services.project import Project
from qualcode.store.repositories import word_index as index_repo

BATCH = 200  # text versions lemmatised, then written, per write transaction


def ensure_lemma_index(project: Project) -> int:
    """Index every current text version not yet indexed (by this lemmatizer); how many
    were indexed."""
    from qualcode import nlp  # simplemma only when the index needs building

    with project.database.read() as session:
        missing = index_repo.unindexed(session, nlp.LEMMATIZER)
    for first in range(0, len(missing), BATCH):
        with project.database.read() as session:
            batch = index_repo.texts(session, missing[first : first + BATCH])
        built: list[index_repo.IndexedVersion] = []
        for language in sorted({language for _, language, _ in batch}):
            same = [(vid, text) for vid, lang, text in batch if lang == language]
            indexed = nlp.indexed_words([text for _, text in same], language)
            built += [
                (vid, nlp.LEMMATIZER, *row) for (vid, _), row in zip(same, indexed, strict=True)
            ]
        with project.database.write() as session:
            still = set(index_repo.unindexed(session, nlp.LEMMATIZER))
            # another process may have built some meanwhile
            index_repo.replace(session, [item for item in built if item[0] in still])
    return len(missing)


def lemma_spans(
    project: Project, lemmas: Collection[str], transcript_ids: Collection[int] | None = None
) -> dict[str, dict[int, list[tuple[int, int]]]]:
    """lemma (lower case) -> transcript id -> ``(start, end)`` of each word with exactly
    that lemma in the transcript's current text, from the index (built first if
    needed)."""
    ensure_lemma_index(project)
    wanted = {lemma.lower() for lemma in lemmas}
    found: dict[str, dict[int, list[tuple[int, int]]]] = {lemma: {} for lemma in wanted}
    with project.database.read() as session:
        rows = index_repo.containing(session, wanted, transcript_ids)
    for tid, _, stored, spans in rows:
        for lemma, at in _words_where(stored, spans, lambda found: found in wanted).items():
            found[lemma][tid] = at
    return found


def form_spans(session: Session, asked: str) -> dict[int, list[tuple[int, int]]] | None:
    """transcript id -> ``(start, end)`` of each word that is a form of ``asked``: its
    lemma is ``asked`` or the lemma of ``asked`` (``placeringarna`` finds what
    ``placering`` finds), or a compound ending in it (``lvu-placering``), judged in the
    transcript's language as ``nlp.lemma_matches`` does. None when a current text is
    not indexed by this lemmatizer (then the caller reads the texts)."""
    from qualcode import nlp  # simplemma only when a query asks for lemmas

    if index_repo.unindexed(session, nlp.LEMMATIZER):
        return None
    asked = asked.lower()
    wanted: dict[str, set[str]] = {}  # language -> the lemmas asked for

    def lemmas_in(language: str) -> set[str]:
        if language not in wanted:
            wanted[language] = {asked, nlp.index_lemma(asked, language)}
        return wanted[language]

    needles = {asked} | {nlp.index_lemma(asked, language) for language in nlp.SUPPORTED}
    judged: dict[tuple[str, str], bool] = {}  # (lemma, language) -> a form of asked?

    found: dict[int, list[tuple[int, int]]] = {}
    for tid, language, stored, spans in index_repo.containing(session, needles):
        targets = lemmas_in(language)

        def matches(lemma: str, language: str = language, targets: set[str] = targets) -> bool:
            key = (lemma, language)
            if key not in judged:
                judged[key] = any(nlp.lemma_matches(lemma, w, language) for w in targets)
            return judged[key]

        at = [
            span for spans_of in _words_where(stored, spans, matches).values() for span in spans_of
        ]
        if at:
            found[tid] = sorted(at)
    return found


def _words_where(
    stored: str, packed: bytes, keep: Callable[[str], bool]
) -> dict[str, list[tuple[int, int]]]:
    """lemma -> the ``(start, end)`` of each word of a version whose lemma ``keep``s."""
    from qualcode import nlp

    lemmas = stored.split(" ") if stored else []
    chosen = {lemma for lemma in set(lemmas) if keep(lemma)}
    if not chosen:
        return {}
    spans = nlp.unpack_spans(packed)
    found: dict[str, list[tuple[int, int]]] = {}
    for position, lemma in enumerate(lemmas):
        if lemma in chosen:
            found.setdefault(lemma, []).append(spans[position])
    return found


def words_within(
    starts: list[int], ends: list[int], start: int, end: int
) -> tuple[int, int] | None:
    """The positions ``[first, last)`` of the indexed words lying within ``start``-``end``
    of a text, or None when a word is cut by either end (then the caller counts that
    passage from its text)."""
    first = bisect_left(ends, start + 1)  # the first word ending after start
    last = bisect_left(starts, end)  # the first word starting at or after end
    if first < len(starts) and starts[first] < start:
        return None
    if last > 0 and ends[last - 1] > end:
        return None
    return first, max(first, last)
