"""Rows written and read in bulk by REFI-QDA import and export, keeping uuids.

An imported project keeps the file's GUIDs as the rows' uuids, so a later export
(or a re-import elsewhere) names the same things the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from qualcode.domain.text import sha256_text
from qualcode.store.schema import (
    CURRENT_VERSION,
    AttributeRow,
    AttributeValueRow,
    Base,
    CaseRow,
    CodeRow,
    CoderRow,
    CodingRow,
    MemoRow,
    SpeakerRow,
    TextVersionRow,
    TranscriptRow,
    new_uuid,
    utcnow,
)


def uuids_in(session: Session, table: Any, uuids: Sequence[str]) -> set[str]:
    """Which of ``uuids`` the table ``table`` (a mapped class) already holds."""
    found: set[str] = set()
    wanted = list(uuids)
    for index in range(0, len(wanted), 500):
        found.update(
            session.scalars(select(table.uuid).where(table.uuid.in_(wanted[index : index + 500])))
        )
    return found


def ids_by_uuid(session: Session, table: Any) -> dict[str, int]:
    return {uuid: row_id for uuid, row_id in session.execute(select(table.uuid, table.id))}


def ids_by_name(session: Session, table: Any, column: str) -> dict[str, int]:
    return {
        name: row_id for name, row_id in session.execute(select(getattr(table, column), table.id))
    }


def add_coder(session: Session, name: str, uuid: str) -> int:
    row = CoderRow(name=name, uuid=uuid)
    session.add(row)
    session.flush()
    return row.id


def add_code(session: Session, *, uuid: str, key: str, parent_id: int | None, **fields: Any) -> int:
    row = CodeRow(uuid=uuid, key=key, parent_id=parent_id, **fields)
    session.add(row)
    session.flush()
    return row.id


def add_case(session: Session, name: str, uuid: str) -> int:
    row = CaseRow(name=name, uuid=uuid)
    session.add(row)
    session.flush()
    return row.id


def add_attribute(session: Session, name: str, value_type: str, scope: str, uuid: str) -> int:
    row = AttributeRow(name=name, value_type=value_type, scope=scope, uuid=uuid)
    session.add(row)
    session.flush()
    return row.id


def add_values(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(AttributeValueRow), [{"uuid": new_uuid(), **row} for row in rows])


def add_codings(session: Session, rows: list[dict[str, Any]]) -> dict[str, int]:
    """Insert codings (each with its uuid); returns uuid -> id."""
    if not rows:
        return {}
    table = Base.metadata.tables["codings"]
    ids = session.scalars(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
    ).all()
    return {row["uuid"]: row_id for row, row_id in zip(rows, ids, strict=True)}


def add_memos(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        now = utcnow()
        session.execute(
            insert(MemoRow),
            [{"created_at": now, "updated_at": now, **row} for row in rows],
        )


def titles(session: Session) -> set[str]:
    return set(session.scalars(select(TranscriptRow.title)))


def restore_speakers(
    session: Session, wanted: dict[int, dict[str, tuple[str | None, str | None]]]
) -> None:
    """Give transcripts' speakers the roles and pseudonyms an export recorded (speakers
    the text no longer has are left alone); changed rows only."""
    ids = [transcript_id for transcript_id, speakers in wanted.items() if speakers]
    for index in range(0, len(ids), 500):
        rows = session.scalars(
            select(SpeakerRow).where(SpeakerRow.transcript_id.in_(ids[index : index + 500]))
        )
        for row in rows:
            if row.label in wanted[row.transcript_id]:
                role, pseudonym = wanted[row.transcript_id][row.label]
                if role is not None and role != row.role:
                    row.role = role
                if pseudonym != row.pseudonym:
                    row.pseudonym = pseudonym
    session.flush()


def add_transcripts(session: Session, rows: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Insert transcripts with their first text version (``text`` and ``encoding`` in
    each row); returns ``(transcript id, version id)`` in the rows' order."""
    if not rows:
        return []
    tables = Base.metadata.tables
    now = utcnow()
    transcript_table = tables["transcripts"]
    transcript_ids = session.scalars(
        insert(transcript_table).returning(transcript_table.c.id, sort_by_parameter_order=True),
        [
            {
                **{k: v for k, v in row.items() if k not in ("text", "encoding")},
                "version": 1,
                "created_at": now,
            }
            for row in rows
        ],
    ).all()
    version_table = tables["text_versions"]
    version_ids = session.scalars(
        insert(version_table).returning(version_table.c.id, sort_by_parameter_order=True),
        [
            {
                "uuid": new_uuid(),
                "transcript_id": transcript_id,
                "version": 1,
                "text": row["text"],
                "sha256": sha256_text(row["text"]),
                "length": len(row["text"]),
                "word_count": len(row["text"].split()),
                "encoding": row["encoding"],
                "transformations": {},
                "created_at": now,
            }
            for transcript_id, row in zip(transcript_ids, rows, strict=True)
        ],
    ).all()
    return list(zip(transcript_ids, version_ids, strict=True))


# ---------------------------------------------------------------- reading for export


@dataclass(frozen=True, slots=True)
class CodingRowData:
    uuid: str
    transcript_id: int
    code_uuid: str
    coder_id: int
    start: int
    end: int
    quote: str
    needs_review: bool
    created_at: datetime
    id: int


def codings(
    session: Session, transcript_ids: Sequence[int], coder_ids: Sequence[int] | None
) -> list[CodingRowData]:
    query: Any = (
        select(
            CodingRow.uuid,
            CodingRow.transcript_id,
            CodeRow.uuid,
            CodingRow.coder_id,
            CodingRow.start,
            CodingRow.end,
            CodingRow.quote,
            CodingRow.needs_review,
            CodingRow.created_at,
            CodingRow.id,
        )
        .join(CodeRow, CodeRow.id == CodingRow.code_id)
        .join(
            TranscriptRow,
            (TranscriptRow.id == CodingRow.transcript_id),
        )
        .join(
            TextVersionRow,
            (TextVersionRow.id == CodingRow.version_id)
            & (TextVersionRow.version == TranscriptRow.version),
        )
        .where(CodingRow.transcript_id.in_(list(transcript_ids)))
        .order_by(CodingRow.transcript_id, CodingRow.start, CodingRow.end, CodingRow.id)
    )
    if coder_ids is not None:
        query = query.where(CodingRow.coder_id.in_(list(coder_ids)))
    return [CodingRowData(*row) for row in session.execute(query)]


@dataclass(frozen=True, slots=True)
class MemoRowData:
    uuid: str
    transcript_id: int | None
    code_id: int | None
    coding_id: int | None
    author_id: int | None
    text: str
    created_at: datetime
    updated_at: datetime


def memos(session: Session) -> list[MemoRowData]:
    query = select(
        MemoRow.uuid,
        MemoRow.transcript_id,
        MemoRow.code_id,
        MemoRow.coding_id,
        MemoRow.author_id,
        MemoRow.text,
        MemoRow.created_at,
        MemoRow.updated_at,
    ).order_by(MemoRow.id)
    return [MemoRowData(*row) for row in session.execute(query)]


@dataclass(frozen=True, slots=True)
class TranscriptRowData:
    id: int
    uuid: str
    title: str
    mode: str
    language: str
    date: str | None
    participants: int | None
    case_id: int | None
    created_at: datetime
    text: str


def transcripts(session: Session) -> list[TranscriptRowData]:
    query: Any = (
        select(
            TranscriptRow.id,
            TranscriptRow.uuid,
            TranscriptRow.title,
            TranscriptRow.mode,
            TranscriptRow.language,
            TranscriptRow.date,
            TranscriptRow.participants,
            TranscriptRow.case_id,
            TranscriptRow.created_at,
            TextVersionRow.text,
        )
        .join(
            TextVersionRow,
            CURRENT_VERSION,
        )
        .order_by(TranscriptRow.id)
    )
    return [TranscriptRowData(*row) for row in session.execute(query)]


def cases(session: Session) -> list[tuple[int, str, str]]:
    """(id, uuid, name) of every case."""
    rows: Any = session.execute(select(CaseRow.id, CaseRow.uuid, CaseRow.name).order_by(CaseRow.id))
    return [tuple(row) for row in rows]


def coders(session: Session) -> list[tuple[int, str, str]]:
    rows: Any = session.execute(
        select(CoderRow.id, CoderRow.uuid, CoderRow.name).order_by(CoderRow.id)
    )
    return [tuple(row) for row in rows]


def attributes(session: Session) -> list[tuple[int, str, str, str, str]]:
    """(id, uuid, name, value_type, scope) of every attribute."""
    query = select(
        AttributeRow.id,
        AttributeRow.uuid,
        AttributeRow.name,
        AttributeRow.value_type,
        AttributeRow.scope,
    ).order_by(AttributeRow.id)
    rows: Any = session.execute(query)
    return [tuple(row) for row in rows]


def attribute_values(
    session: Session,
) -> list[tuple[int, int | None, int | None, str | None, float | None]]:
    """(attribute id, transcript id, case id, text, number) of every value."""
    query = select(
        AttributeValueRow.attribute_id,
        AttributeValueRow.transcript_id,
        AttributeValueRow.case_id,
        AttributeValueRow.value_text,
        AttributeValueRow.value_number,
    ).order_by(AttributeValueRow.id)
    rows: Any = session.execute(query)
    return [tuple(row) for row in rows]


def speakers(session: Session) -> dict[int, list[tuple[str, str, str | None]]]:
    """Transcript id -> its speakers' (label, role, pseudonym), in one query."""
    found: dict[int, list[tuple[str, str, str | None]]] = {}
    query = select(
        SpeakerRow.transcript_id, SpeakerRow.label, SpeakerRow.role, SpeakerRow.pseudonym
    ).order_by(SpeakerRow.id)
    for transcript_id, label, role, pseudonym in session.execute(query):
        found.setdefault(transcript_id, []).append((label, role, pseudonym))
    return found


# ---------------------------------------------------------------- matching for a merge


def coding_keys_by_uuid(
    session: Session, uuids: Sequence[str]
) -> dict[str, tuple[int, tuple[int, int, int, int, int]]]:
    """uuid -> (id, (version id, code id, coder id, start, end)) of those codings here."""
    found: dict[str, tuple[int, tuple[int, int, int, int, int]]] = {}
    wanted = list(uuids)
    for index in range(0, len(wanted), 500):
        query = select(
            CodingRow.uuid,
            CodingRow.id,
            CodingRow.version_id,
            CodingRow.code_id,
            CodingRow.coder_id,
            CodingRow.start,
            CodingRow.end,
        ).where(CodingRow.uuid.in_(wanted[index : index + 500]))
        for uuid, row_id, version_id, code_id, coder_id, start, end in session.execute(query):
            found[uuid] = (row_id, (version_id, code_id, coder_id, start, end))
    return found


def memo_texts_by_uuid(session: Session, uuids: Sequence[str]) -> dict[str, str]:
    """uuid -> text of those memos here."""
    found: dict[str, str] = {}
    wanted = list(uuids)
    for index in range(0, len(wanted), 500):
        query = select(MemoRow.uuid, MemoRow.text).where(
            MemoRow.uuid.in_(wanted[index : index + 500])
        )
        found.update((uuid, text) for uuid, text in session.execute(query))
    return found


def memo_ids_by_uuid(session: Session, uuids: Sequence[str]) -> dict[str, int]:
    """uuid -> id of those memos here."""
    found: dict[str, int] = {}
    wanted = list(uuids)
    for index in range(0, len(wanted), 500):
        query = select(MemoRow.uuid, MemoRow.id).where(
            MemoRow.uuid.in_(wanted[index : index + 500])
        )
        found.update((uuid, row_id) for uuid, row_id in session.execute(query))
    return found
