"""Bulk reads for analysis (matrices, co-occurrence, word counts): plain columns of the
current text versions, a handful of queries for the whole corpus."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from qualcode.store.schema import (
    CURRENT_VERSION,
    AttributeRow,
    AttributeValueRow,
    CaseRow,
    CoderRow,
    CodingRow,
    SpeakerRow,
    TextVersionRow,
    TranscriptRow,
    TurnRow,
    UnitRow,
)


@dataclass(frozen=True, slots=True)
class CorpusTranscript:
    id: int
    title: str
    mode: str
    language: str
    case: str | None
    version_id: int
    length: int


@dataclass(frozen=True, slots=True)
class CorpusTurn:
    transcript_id: int
    start: int
    end: int
    speaker_id: int | None
    speaker: str | None  # the pseudonym when one is set, else the label
    label: str | None
    role: str | None


@dataclass(frozen=True, slots=True)
class AttributeValues:
    """One attribute's values: on transcripts, and on cases (by case name)."""

    name: str
    value_type: str
    by_transcript: dict[int, str | float | bool]
    by_case: dict[str, str | float | bool]


def transcripts(session: Session) -> list[CorpusTranscript]:
    query = (
        select(
            TranscriptRow.id,
            TranscriptRow.title,
            TranscriptRow.mode,
            TranscriptRow.language,
            CaseRow.name,
            TextVersionRow.id,
            TextVersionRow.length,
        )
        .join(TextVersionRow, CURRENT_VERSION)
        .outerjoin(CaseRow, CaseRow.id == TranscriptRow.case_id)
        .order_by(TranscriptRow.id)
    )
    return [CorpusTranscript(*row) for row in session.execute(query)]


def codings(
    session: Session, *, coder_ids: Collection[int] | None, code_ids: Collection[int] | None
) -> list[tuple[int, int, int, int, int, int]]:
    """``(coding id, transcript id, code id, coder id, start, end)`` of the codings on
    current text versions by ``coder_ids`` (of ``code_ids``; None: all)."""
    current = select(TextVersionRow.id).join(TranscriptRow, CURRENT_VERSION).scalar_subquery()
    query = select(
        CodingRow.id,
        CodingRow.transcript_id,
        CodingRow.code_id,
        CodingRow.coder_id,
        CodingRow.start,
        CodingRow.end,
    ).where(CodingRow.version_id.in_(current))
    # without a coder filter SQLite scans the table in order, faster than the index
    if coder_ids is not None:
        query = query.where(CodingRow.coder_id.in_(list(coder_ids)))
    if code_ids is not None:
        query = query.where(CodingRow.code_id.in_(list(code_ids)))
    return _plain_rows(session, query)


def _plain_rows(session: Session, query: Select[*tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows of a query of integer columns straight from the driver's cursor:
    tens of thousands of rows through SQLAlchemy's result objects cost more than the
    query. The parameters are ids, so they are written into the SQL as literals."""
    connection = session.connection()
    sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def coders_with_codings(session: Session) -> dict[str, int]:
    """Coder name → id of every coder with at least one coding."""
    query = (
        select(CoderRow.name, CoderRow.id)
        .where(select(CodingRow.id).where(CodingRow.coder_id == CoderRow.id).exists())
        .order_by(CoderRow.name)
    )
    return {name: coder_id for name, coder_id in session.execute(query)}


def turns(session: Session) -> list[CorpusTurn]:
    """The turns of the current text versions, in order."""
    query = (
        select(
            TranscriptRow.id,
            TurnRow.start,
            TurnRow.end,
            SpeakerRow.id,
            func.coalesce(SpeakerRow.pseudonym, SpeakerRow.label),
            SpeakerRow.label,
            SpeakerRow.role,
        )
        .join(TextVersionRow, TextVersionRow.id == TurnRow.version_id)
        .join(TranscriptRow, CURRENT_VERSION)
        .outerjoin(SpeakerRow, SpeakerRow.id == TurnRow.speaker_id)
        .order_by(TranscriptRow.id, TurnRow.ordinal)
    )
    return [CorpusTurn(*row) for row in session.execute(query)]


def speaker_turns(session: Session) -> list[tuple[int, int, int]]:
    """``(transcript id, start, end)`` of the current versions' turns that have a
    speaker (whose label starts them), in order: ``turns`` without the speakers."""
    query = (
        select(TranscriptRow.id, TurnRow.start, TurnRow.end)
        .join(TextVersionRow, TextVersionRow.id == TurnRow.version_id)
        .join(TranscriptRow, CURRENT_VERSION)
        .where(TurnRow.speaker_id.is_not(None))
        .order_by(TranscriptRow.id, TurnRow.ordinal)
    )
    return [(tid, start, end) for tid, start, end in session.execute(query)]


def sentence_starts(session: Session) -> list[tuple[int, int]]:
    """``(transcript id, start)`` of the sentence units of the current versions."""
    query = (
        select(TranscriptRow.id, UnitRow.start)
        .join(TextVersionRow, TextVersionRow.id == UnitRow.version_id)
        .join(TranscriptRow, CURRENT_VERSION)
        .order_by(TranscriptRow.id, UnitRow.start)
    )
    return [(tid, start) for tid, start in session.execute(query)]


def texts(session: Session, transcript_ids: Collection[int] | None = None) -> dict[int, str]:
    query = select(TranscriptRow.id, TextVersionRow.text).join(TextVersionRow, CURRENT_VERSION)
    if transcript_ids is not None:
        query = query.where(TranscriptRow.id.in_(list(transcript_ids)))
    return {tid: text for tid, text in session.execute(query)}


def attribute_names(session: Session) -> list[str]:
    return list(session.scalars(select(AttributeRow.name).order_by(AttributeRow.name)))


def attribute_values(session: Session, name: str) -> AttributeValues | None:
    definition = session.execute(
        select(AttributeRow.id, AttributeRow.value_type).where(AttributeRow.name == name)
    ).first()
    if definition is None:
        return None
    attribute_id, value_type = definition
    query = (
        select(
            AttributeValueRow.transcript_id,
            CaseRow.name,
            AttributeValueRow.value_text,
            AttributeValueRow.value_number,
        )
        .outerjoin(CaseRow, CaseRow.id == AttributeValueRow.case_id)
        .where(AttributeValueRow.attribute_id == attribute_id)
    )
    by_transcript: dict[int, str | float | bool] = {}
    by_case: dict[str, str | float | bool] = {}
    for transcript_id, case, text, number in session.execute(query):
        value: str | float | bool
        if value_type == "number":
            if number is None:
                continue
            value = float(number)
        elif value_type == "boolean":
            value = text == "true"
        elif text is None:
            continue
        else:
            value = text
        if transcript_id is not None:
            by_transcript[transcript_id] = value
        elif case is not None:
            by_case[case] = value
    return AttributeValues(name, value_type, by_transcript, by_case)
