"""Bulk reads for retrieval: every transcript's current text, turns, units, codings and
attributes in a handful of queries, as the domain's ``Doc`` records."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from qualcode.domain.retrieval import Doc, DocCoding, DocTurn
from qualcode.store.repositories.cases import attribute_context
from qualcode.store.schema import (
    CURRENT_VERSION,
    CodeRow,
    CoderRow,
    CodingRow,
    SpeakerRow,
    TextVersionRow,
    TranscriptRow,
    TurnRow,
    UnitRow,
)


# Core rows, not the ORM's: retrieval reads whole corpora, and the ORM's per-row
# bookkeeping cost more than the queries
def load_docs(
    session: Session,
    *,
    code_ids: Collection[int] | None,
    coder_ids: Collection[int] | None,
    with_units: bool,
    transcript_ids: Collection[int] | None = None,
    with_turns: bool = True,
    with_text: bool = True,
) -> list[Doc]:
    """Documents for evaluation. ``code_ids``/``coder_ids`` limit the codings loaded
    (None = all); ``transcript_ids`` limits the transcripts; turns, units and texts are
    read only when asked for (a text left out is empty)."""
    query = (
        select(
            TranscriptRow.id,
            TranscriptRow.title,
            TranscriptRow.mode,
            TranscriptRow.language,
            TextVersionRow.id,
            TextVersionRow.text if with_text else literal(""),
            TextVersionRow.length,
        )
        .join(TextVersionRow, CURRENT_VERSION)
        .order_by(TranscriptRow.id)
    )
    if transcript_ids is not None:
        query = query.where(TranscriptRow.id.in_(list(transcript_ids)))
    rows = session.connection().execute(query).all()
    version_ids = [row[4] for row in rows]
    turns = _turns(session, version_ids) if with_turns else {}
    units = _units(session, version_ids) if with_units else {}
    codings = _codings(session, version_ids, code_ids, coder_ids)
    context = attribute_context(session)
    return [
        Doc(
            transcript_id=tid,
            title=title,
            mode=mode,
            language=language,
            text=text,
            attributes={**context.for_transcript(tid), "mode": mode},
            speaker_attributes={
                label: {**values, "mode": mode}
                for label, values in context.for_speakers(tid).items()
            },
            codings=codings.get(version_id, ()),
            turns=turns.get(version_id, ()),
            units=units.get(version_id, ()),
            text_length=length,
        )
        for tid, title, mode, language, version_id, text, length in rows
    ]


def _turns(session: Session, version_ids: list[int]) -> dict[int, list[DocTurn]]:
    found: dict[int, list[DocTurn]] = defaultdict(list)
    query = (
        select(
            TurnRow.version_id,
            TurnRow.start,
            TurnRow.end,
            SpeakerRow.label,
            SpeakerRow.pseudonym,
            SpeakerRow.role,
            TurnRow.timestamp_ms,
            TurnRow.verbatim,
        )
        .outerjoin(SpeakerRow, SpeakerRow.id == TurnRow.speaker_id)
        .where(TurnRow.version_id.in_(version_ids))
        .order_by(TurnRow.version_id, TurnRow.ordinal)
    )
    for (
        version_id,
        start,
        end,
        label,
        pseudonym,
        role,
        stamp,
        verbatim,
    ) in session.connection().execute(query).all():
        found[version_id].append(DocTurn(start, end, label, pseudonym, role, stamp, verbatim))
    return found


def _units(session: Session, version_ids: list[int]) -> dict[int, list[tuple[int, int]]]:
    found: dict[int, list[tuple[int, int]]] = defaultdict(list)
    query = (
        select(UnitRow.version_id, UnitRow.start, UnitRow.end)
        .where(UnitRow.version_id.in_(version_ids))
        .order_by(UnitRow.version_id, UnitRow.ordinal)
    )
    for version_id, start, end in session.connection().execute(query).all():
        found[version_id].append((start, end))
    return found


def _codings(
    session: Session,
    version_ids: list[int],
    code_ids: Collection[int] | None,
    coder_ids: Collection[int] | None,
) -> dict[int, list[DocCoding]]:
    found: dict[int, list[DocCoding]] = defaultdict(list)
    query = (
        select(
            CodingRow.version_id,
            CodingRow.id,
            CodeRow.key,
            CoderRow.name,
            CodingRow.start,
            CodingRow.end,
        )
        .join(CodeRow, CodeRow.id == CodingRow.code_id)
        .join(CoderRow, CoderRow.id == CodingRow.coder_id)
        .where(CodingRow.version_id.in_(version_ids))
        .order_by(CodingRow.version_id, CodingRow.start, CodingRow.id)
    )
    if code_ids is not None:
        query = query.where(CodingRow.code_id.in_(list(code_ids)))
    if coder_ids is not None:
        query = query.where(CodingRow.coder_id.in_(list(coder_ids)))
    for version_id, coding_id, key, coder, start, end in session.connection().execute(query).all():
        found[version_id].append(DocCoding(coding_id, key, coder, start, end))
    return found
