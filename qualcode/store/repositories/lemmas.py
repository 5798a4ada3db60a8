"""The lemma index: every word of a text version with its lemma, for ``lemma:`` search
(and word lists) without running a lemmatizer at query time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from qualcode.store.repositories.transcripts import insert_rows
from qualcode.store.schema import (
    CURRENT_VERSION,
    Base,
    LemmaIndexedRow,
    LemmaRow,
    TextVersionRow,
    TranscriptRow,
)


def unindexed(session: Session, lemmatizer: str) -> list[int]:
    """Current text versions not in the index (or indexed by another lemmatizer)."""
    query = (
        select(TextVersionRow.id)
        .join(TranscriptRow, CURRENT_VERSION)
        .outerjoin(LemmaIndexedRow, LemmaIndexedRow.version_id == TextVersionRow.id)
        .where((LemmaIndexedRow.version_id.is_(None)) | (LemmaIndexedRow.lemmatizer != lemmatizer))
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


def drop_indexes(session: Session, version_ids: Collection[int]) -> None:
    """Take these text versions out of the index (to index them again)."""
    if not version_ids:
        return
    tables = Base.metadata.tables
    for table in ("lemmas", "lemma_indexed"):
        column = tables[table].c.version_id
        session.execute(delete(tables[table]).where(column.in_(list(version_ids))))


def add_indexes(
    session: Session, lemmatizer: str, items: Iterable[tuple[int, list[tuple[int, int, str]]]]
) -> None:
    """Index text versions not in the index: ``(version_id, words)`` with words
    ``(start, end, lemma)``, the rows of all of them by one ``executemany`` a table."""
    items = list(items)
    insert_rows(
        session,
        "lemma_indexed",
        ({"version_id": vid, "lemmatizer": lemmatizer} for vid, _ in items),
    )
    insert_rows(
        session,
        "lemmas",
        (
            {"version_id": vid, "start": start, "end": end, "lemma": lemma[:200]}
            for vid, words in items
            for start, end, lemma in words
        ),
    )


def spans(
    session: Session, lemmas: Collection[str], transcript_ids: Collection[int] | None = None
) -> dict[str, dict[int, list[tuple[int, int]]]]:
    """lemma -> transcript id -> ``(start, end)`` of its words in the current versions,
    in text order; read from the index (``ix_lemmas_lemma_version``)."""
    found: dict[str, dict[int, list[tuple[int, int]]]] = {lemma: {} for lemma in lemmas}
    query = (
        select(LemmaRow.lemma, TextVersionRow.transcript_id, LemmaRow.start, LemmaRow.end)
        .join(TextVersionRow, TextVersionRow.id == LemmaRow.version_id)
        .join(TranscriptRow, CURRENT_VERSION)
        .where(LemmaRow.lemma.in_(list(lemmas)))
        .order_by(LemmaRow.lemma, TextVersionRow.transcript_id, LemmaRow.start)
    )
    if transcript_ids is not None:
        query = query.where(TranscriptRow.id.in_(list(transcript_ids)))
    grouped: dict[str, dict[int, list[tuple[int, int]]]] = defaultdict(dict)
    for lemma, tid, start, end in session.execute(query):
        grouped[lemma].setdefault(tid, []).append((start, end))
    found.update(grouped)
    return found


def vocabulary(session: Session) -> list[str]:
    """Every distinct lemma in the index (a corpus has tens of thousands, not millions)."""
    return list(session.scalars(select(LemmaRow.lemma).distinct()))


def transcript_languages(session: Session) -> dict[int, str]:
    return {
        tid: language
        for tid, language in session.execute(select(TranscriptRow.id, TranscriptRow.language))
    }
