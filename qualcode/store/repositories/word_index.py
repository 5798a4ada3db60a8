"""The word index: each text version's word forms and word offsets in one row
(``WordIndexRow``), and the lemma of each distinct form (``WordLemmaRow``), for
``lemma:`` search, word counts and KWIC without running a lemmatizer over the texts."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from qualcode.store.repositories.transcripts import IN_LIST, insert_rows
from qualcode.store.schema import (
    CURRENT_VERSION,
    TextVersionRow,
    TranscriptRow,
    WordIndexRow,
    WordLemmaRow,
)

LONGEST_FORM = 200  # longer forms get no stored lemma (the caller lemmatises them)


def unindexed(session: Session) -> list[int]:
    """Current text versions without a row in the index."""
    query = (
        select(TextVersionRow.id)
        .join(TranscriptRow, CURRENT_VERSION)
        .outerjoin(WordIndexRow, WordIndexRow.version_id == TextVersionRow.id)
        .where(WordIndexRow.version_id.is_(None))
        .order_by(TextVersionRow.id)
    )
    return list(session.scalars(query))


def unlemmatised(session: Session, lemmatizer: str) -> list[tuple[int, str]]:
    """``(version_id, language)`` of the current versions whose forms have no lemmas by
    ``lemmatizer`` yet (or no index row at all)."""
    query = (
        select(TextVersionRow.id, TranscriptRow.language)
        .join(TranscriptRow, CURRENT_VERSION)
        .outerjoin(WordIndexRow, WordIndexRow.version_id == TextVersionRow.id)
        .where(WordIndexRow.lemmatizer.is_(None) | (WordIndexRow.lemmatizer != lemmatizer))
        .order_by(TextVersionRow.id)
    )
    return [(vid, language) for vid, language in session.execute(query)]


def texts(session: Session, version_ids: Collection[int]) -> list[tuple[int, str]]:
    """``(version_id, text)`` of these versions."""
    query = (
        select(TextVersionRow.id, TextVersionRow.text)
        .where(TextVersionRow.id.in_(list(version_ids)))
        .order_by(TextVersionRow.id)
    )
    return [(vid, text) for vid, text in session.execute(query)]


def add(session: Session, items: Iterable[tuple[int, str, bytes]]) -> None:
    """Index text versions that have no row yet: ``(version_id, forms, spans)``."""
    insert_rows(
        session,
        "word_index",
        ({"version_id": vid, "words": words, "spans": spans} for vid, words, spans in items),
    )


def forms(session: Session, version_ids: Collection[int]) -> list[tuple[int, str]]:
    """``(version_id, forms)`` of these versions' index rows."""
    query = select(WordIndexRow.version_id, WordIndexRow.words).where(
        WordIndexRow.version_id.in_(list(version_ids))
    )
    return [(vid, words) for vid, words in session.execute(query)]


def known_forms(session: Session, lemmatizer: str, language: str) -> set[str]:
    query = select(WordLemmaRow.form).where(
        WordLemmaRow.lemmatizer == lemmatizer, WordLemmaRow.language == language
    )
    return set(session.scalars(query))


def add_lemmas(session: Session, lemmatizer: str, language: str, lemmas: dict[str, str]) -> None:
    """Store the lemmas of forms that have none by ``lemmatizer`` yet."""
    insert_rows(
        session,
        "word_lemmas",
        (
            {"lemmatizer": lemmatizer, "language": language, "form": form, "lemma": lemma}
            for form, lemma in lemmas.items()
            if len(form) <= LONGEST_FORM
        ),
    )


def mark_lemmatised(session: Session, lemmatizer: str, version_ids: Collection[int]) -> None:
    """Record that these versions' forms have lemmas by ``lemmatizer``; the lemmas of
    any other lemmatizer go (nothing reads them)."""
    session.execute(delete(WordLemmaRow).where(WordLemmaRow.lemmatizer != lemmatizer))
    ids = list(version_ids)
    for first in range(0, len(ids), IN_LIST):
        session.execute(
            update(WordIndexRow)
            .where(WordIndexRow.version_id.in_(ids[first : first + IN_LIST]))
            .values(lemmatizer=lemmatizer)
        )


def lemmas(
    session: Session, lemmatizer: str, language: str, containing: Collection[str] | None = None
) -> dict[str, str]:
    """form -> lemma for ``language``; with ``containing``, only the forms whose lemma
    contains one of those strings (every form of a lemma, compounds ending in it
    included)."""
    query = select(WordLemmaRow.form, WordLemmaRow.lemma).where(
        WordLemmaRow.lemmatizer == lemmatizer, WordLemmaRow.language == language
    )
    if containing is not None:
        if not containing:
            return {}
        query = query.where(
            or_(*(WordLemmaRow.lemma.contains(n, autoescape=True) for n in sorted(containing)))
        )
    return {form: lemma for form, lemma in session.execute(query)}


def current_forms(
    session: Session, transcript_ids: Collection[int] | None = None
) -> list[tuple[int, str, str]]:
    """``(transcript id, language, forms)`` of the current versions' index rows."""
    query = (
        select(TranscriptRow.id, TranscriptRow.language, WordIndexRow.words)
        .join(TextVersionRow, CURRENT_VERSION)
        .join(WordIndexRow, WordIndexRow.version_id == TextVersionRow.id)
        .order_by(TranscriptRow.id)
    )
    if transcript_ids is not None:
        query = query.where(TranscriptRow.id.in_(list(transcript_ids)))
    return [(tid, language, words) for tid, language, words in session.execute(query)]


def current_spans(session: Session, transcript_ids: Collection[int]) -> dict[int, bytes]:
    """transcript id -> the packed word offsets of its current version."""
    found: dict[int, bytes] = {}
    ids = sorted(transcript_ids)
    for first in range(0, len(ids), IN_LIST):
        query = (
            select(TranscriptRow.id, WordIndexRow.spans)
            .join(TextVersionRow, CURRENT_VERSION)
            .join(WordIndexRow, WordIndexRow.version_id == TextVersionRow.id)
            .where(TranscriptRow.id.in_(ids[first : first + IN_LIST]))
        )
        found.update((tid, spans) for tid, spans in session.execute(query))
    return found
