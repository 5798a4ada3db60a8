"""The word index: each text version's word forms, lemmas and word offsets in one
row (``WordIndexRow``), for ``lemma:`` search, word counts and KWIC without running a
lemmatizer at query time."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from qualcode.store.repositories.transcripts import IN_LIST, insert_rows
from qualcode.store.schema import CURRENT_VERSION, TextVersionRow, TranscriptRow, WordIndexRow

# ``(version_id, lemmatizer, words, lemmas, spans)``: one text version's row
IndexedVersion = tuple[int, str, str, str, bytes]


def unindexed(session: Session, lemmatizer: str) -> list[int]:
    """Current text versions not in the index (or indexed by another lemmatizer)."""
    query = (
        select(TextVersionRow.id)
        .join(TranscriptRow, CURRENT_VERSION)
        .outerjoin(WordIndexRow, WordIndexRow.version_id == TextVersionRow.id)
        .where((WordIndexRow.version_id.is_(None)) | (WordIndexRow.lemmatizer != lemmatizer))
        .order_by(TextVersionRow.id)
    )
    return list(session.scalars(query))


def texts(session: Session, version_ids: Collection[int]) -> list[tuple[int, str, str]]:
    """``(version_id, language, text)`` of these versions."""
    query = (
        select(TextVersionRow.id, TranscriptRow.language, TextVersionRow.text)
        .join(TranscriptRow, TranscriptRow.id == TextVersionRow.transcript_id)
        .where(TextVersionRow.id.in_(list(version_ids)))
        .order_by(TextVersionRow.id)
    )
    return [(vid, language, text) for vid, language, text in session.execute(query)]


def add(session: Session, items: Iterable[IndexedVersion]) -> None:
    """Index text versions that are not in the index yet: a row each."""
    insert_rows(
        session,
        "word_index",
        (
            {
                "version_id": vid,
                "lemmatizer": tool,
                "words": words,
                "lemmas": lemmas,
                "spans": spans,
            }
            for vid, tool, words, lemmas, spans in items
        ),
    )


def replace(session: Session, items: Sequence[IndexedVersion]) -> None:
    """Index these text versions again (or for the first time)."""
    ids = [item[0] for item in items]
    for first in range(0, len(ids), IN_LIST):
        chunk = ids[first : first + IN_LIST]
        session.execute(delete(WordIndexRow).where(WordIndexRow.version_id.in_(chunk)))
    add(session, items)


def containing(
    session: Session, needles: Collection[str], transcript_ids: Collection[int] | None = None
) -> list[tuple[int, str, str, bytes]]:
    """``(transcript_id, language, lemmas, spans)`` of the current versions whose lemmas
    contain any of ``needles`` as a substring (a superset of the words with those
    lemmas, compounds ending in them included: the caller decides on each word)."""
    if not needles:
        return []
    query = (
        select(TranscriptRow.id, TranscriptRow.language, WordIndexRow.lemmas, WordIndexRow.spans)
        .join(TextVersionRow, CURRENT_VERSION)
        .join(WordIndexRow, WordIndexRow.version_id == TextVersionRow.id)
        .where(or_(*(WordIndexRow.lemmas.contains(n, autoescape=True) for n in needles)))
        .order_by(TranscriptRow.id)
    )
    if transcript_ids is not None:
        query = query.where(TranscriptRow.id.in_(list(transcript_ids)))
    return [
        (tid, language, lemmas, spans) for tid, language, lemmas, spans in session.execute(query)
    ]


def current_words(
    session: Session, transcript_ids: Collection[int] | None = None
) -> dict[int, tuple[str, str, bytes]]:
    """transcript id -> ``(words, lemmas, spans)`` of its current version, for those
    indexed by any lemmatizer (the forms and offsets do not depend on it)."""
    query = (
        select(TranscriptRow.id, WordIndexRow.words, WordIndexRow.lemmas, WordIndexRow.spans)
        .join(TextVersionRow, CURRENT_VERSION)
        .join(WordIndexRow, WordIndexRow.version_id == TextVersionRow.id)
    )
    if transcript_ids is not None:
        query = query.where(TranscriptRow.id.in_(list(transcript_ids)))
    return {tid: (words, lemmas, spans) for tid, words, lemmas, spans in session.execute(query)}
