"""Codings: a code applied by a coder to a span of a transcript's text."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.orm import Session

from qualcode.domain.errors import NotFound
from qualcode.domain.records import Coding
from qualcode.domain.text import sha256_text
from qualcode.store.schema import (
    Base,
    CodeRow,
    CoderRow,
    CodingRow,
    TranscriptRow,
    new_uuid,
    new_uuids,
    utcnow,
)


@dataclass(frozen=True, slots=True)
class CodingFilter:
    """Which codings to list; ``None`` means no restriction on that field."""

    transcript_ids: Collection[int] | None = None
    code_ids: Collection[int] | None = None
    coder_ids: Collection[int] | None = None


# plain columns in the order of Coding's fields: building ORM objects for tens of
# thousands of rows only to copy them would double a listing's time (built once:
# statements are immutable and reused)
_QUERY: Any = (
    select(
        CodingRow.id,
        CodingRow.uuid,
        CodingRow.transcript_id,
        TranscriptRow.title,
        CodeRow.key,
        CoderRow.name,
        CodingRow.start,
        CodingRow.end,
        CodingRow.quote,
        CodingRow.quote_sha256,
        CodingRow.needs_review,
        CodingRow.created_at,
    )
    .join(TranscriptRow, TranscriptRow.id == CodingRow.transcript_id)
    .join(CodeRow, CodeRow.id == CodingRow.code_id)
    .join(CoderRow, CoderRow.id == CodingRow.coder_id)
)


# Statements built once and given their values at execution: building an INSERT with
# .values() per call, on the mapped class, costs more than running it (cache keys and
# the ORM's bulk bookkeeping); the table's Core insert skips both.
_INSERT_CODING: Any = insert(Base.metadata.tables["codings"]).returning(
    Base.metadata.tables["codings"].c.id
)


def add_coding(
    session: Session,
    *,
    transcript_id: int,
    version_id: int,
    code_id: int,
    coder_id: int,
    start: int,
    end: int,
    quote: str,
) -> dict[str, Any]:
    """Insert a coding; returns its snapshot (see ``snapshot``) without reading it back."""
    values: dict[str, Any] = {
        "uuid": new_uuid(),
        "transcript_id": transcript_id,
        "version_id": version_id,
        "code_id": code_id,
        "coder_id": coder_id,
        "start": start,
        "end": end,
        "quote": quote,
        "quote_sha256": sha256_text(quote),
        "needs_review": False,
        "created_at": utcnow(),
    }
    coding_id = session.execute(_INSERT_CODING, values).scalar_one()
    return {"id": coding_id, **values, "created_at": values["created_at"].isoformat()}


def add_codings(session: Session, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Insert many codings with one ``executemany``; each row holds ``add_coding``'s
    arguments. Returns their snapshots, in the order given."""
    if not rows:
        return []
    now = utcnow()
    values = [
        {
            "uuid": uuid,
            **row,
            "quote_sha256": sha256_text(row["quote"]),
            "needs_review": False,
            "created_at": now,
        }
        for uuid, row in zip(new_uuids(len(rows)), rows, strict=True)
    ]
    # The table, not the mapped class, and no RETURNING: SQLite then gets one
    # cursor.executemany (with RETURNING in parameter order SQLAlchemy falls back to a
    # statement per row there). The new ids are read back by uuid: every id the
    # insert took is above the largest committed before it.
    before = session.scalar(select(func.max(CodingRow.id))) or 0
    session.execute(insert(Base.metadata.tables["codings"]), values)
    new = session.execute(select(CodingRow.uuid, CodingRow.id).where(CodingRow.id > before))
    ids = {uuid: coding_id for uuid, coding_id in new}
    stamp = now.isoformat()
    return [{"id": ids[row["uuid"]], **row, "created_at": stamp} for row in values]


def existing_keys(
    session: Session, version_ids: Collection[int]
) -> set[tuple[int, int, int, int, int]]:
    """``(version_id, code_id, coder_id, start, end)`` of every coding on these text
    versions: one query for a bulk duplicate check instead of one per row."""
    found: set[tuple[int, int, int, int, int]] = set()
    ids = sorted(version_ids)
    for first in range(0, len(ids), 500):  # bounded IN lists on every engine
        query = select(
            CodingRow.version_id,
            CodingRow.code_id,
            CodingRow.coder_id,
            CodingRow.start,
            CodingRow.end,
        ).where(CodingRow.version_id.in_(ids[first : first + 500]))
        found.update((a, b, c, d, e) for a, b, c, d, e in session.execute(query))
    return found


def from_snapshot(data: dict[str, Any], title: str, code_key: str, coder: str) -> Coding:
    """The record for a coding just written, from its snapshot and the names it needs."""
    return Coding(
        id=data["id"],
        uuid=data["uuid"],
        transcript_id=data["transcript_id"],
        transcript_title=title,
        code_key=code_key,
        coder=coder,
        start=data["start"],
        end=data["end"],
        quote=data["quote"],
        quote_sha256=data["quote_sha256"],
        needs_review=data["needs_review"],
        created_at=datetime.fromisoformat(data["created_at"]),
    )


_FIND_CODING: Any = select(CodingRow.id).where(
    CodingRow.version_id == bindparam("version_id"),
    CodingRow.code_id == bindparam("code_id"),
    CodingRow.coder_id == bindparam("coder_id"),
    CodingRow.start == bindparam("start"),
    CodingRow.end == bindparam("end"),
)


def find_coding(
    session: Session, *, version_id: int, code_id: int, coder_id: int, start: int, end: int
) -> int | None:
    return session.scalar(
        _FIND_CODING,
        {
            "version_id": version_id,
            "code_id": code_id,
            "coder_id": coder_id,
            "start": start,
            "end": end,
        },
    )


def get_coding(session: Session, coding_id: int) -> Coding:
    row = session.execute(_QUERY.where(CodingRow.id == coding_id)).first()
    if row is None:
        raise NotFound(f"no coding with id {coding_id}")
    return Coding(*row)


def list_codings(session: Session, where: CodingFilter = CodingFilter()) -> list[Coding]:
    query = _QUERY
    if where.transcript_ids is not None:
        query = query.where(CodingRow.transcript_id.in_(list(where.transcript_ids)))
    if where.code_ids is not None:
        query = query.where(CodingRow.code_id.in_(list(where.code_ids)))
    if where.coder_ids is not None:
        query = query.where(CodingRow.coder_id.in_(list(where.coder_ids)))
    query = query.order_by(CodingRow.transcript_id, CodingRow.start, CodingRow.end, CodingRow.id)
    return [Coding(*row) for row in session.execute(query)]


def snapshot(session: Session, coding_id: int) -> dict[str, Any]:
    """Every column of a coding as JSON-safe values, for the event log and undo."""
    row = session.get(CodingRow, coding_id)
    if row is None:
        raise NotFound(f"no coding with id {coding_id}")
    return {
        "id": row.id,
        "uuid": row.uuid,
        "transcript_id": row.transcript_id,
        "version_id": row.version_id,
        "code_id": row.code_id,
        "coder_id": row.coder_id,
        "start": row.start,
        "end": row.end,
        "quote": row.quote,
        "quote_sha256": row.quote_sha256,
        "needs_review": row.needs_review,
        "created_at": row.created_at.isoformat(),
    }


def restore(session: Session, data: dict[str, Any]) -> int:
    """Put back a deleted coding exactly as its snapshot recorded it (same id and uuid)."""
    row = CodingRow(**{**data, "created_at": datetime.fromisoformat(data["created_at"])})
    session.add(row)
    session.flush()
    return row.id


def delete_coding(session: Session, coding_id: int) -> None:
    row = session.get(CodingRow, coding_id)
    if row is None:
        raise NotFound(f"no coding with id {coding_id}")
    session.delete(row)
    session.flush()


@dataclass(frozen=True, slots=True)
class Anchor:
    id: int
    start: int
    end: int
    quote: str
    needs_review: bool


def in_version(session: Session, version_id: int) -> list[Anchor]:
    """Every coding of one text version, with what re-anchoring needs."""
    rows = session.execute(
        select(
            CodingRow.id, CodingRow.start, CodingRow.end, CodingRow.quote, CodingRow.needs_review
        )
        .where(CodingRow.version_id == version_id)
        .order_by(CodingRow.id)
    )
    return [Anchor(*row) for row in rows]


def move_to_version(
    session: Session, coding_id: int, *, version_id: int, start: int, end: int, needs_review: bool
) -> None:
    """Point a coding at a new text version; its quote keeps the words as coded."""
    row = session.get(CodingRow, coding_id)
    if row is None:
        raise NotFound(f"no coding with id {coding_id}")
    row.version_id, row.start, row.end, row.needs_review = version_id, start, end, needs_review


def exists(session: Session, coding_id: int) -> bool:
    return session.get(CodingRow, coding_id) is not None


def recode(
    session: Session, source_code_id: int, target_code_id: int
) -> tuple[list[int], list[dict[str, Any]]]:
    """Give every coding of one code to another. A coding that would duplicate one the
    same coder already has on the target is deleted instead; returns the moved ids and
    the deleted snapshots."""
    target_spans = {
        (row.version_id, row.coder_id, row.start, row.end)
        for row in session.scalars(select(CodingRow).where(CodingRow.code_id == target_code_id))
    }
    moved: list[int] = []
    dropped: list[dict[str, Any]] = []
    for row in session.scalars(select(CodingRow).where(CodingRow.code_id == source_code_id)).all():
        if (row.version_id, row.coder_id, row.start, row.end) in target_spans:
            dropped.append(snapshot(session, row.id))
            session.delete(row)
        else:
            row.code_id = target_code_id
            moved.append(row.id)
    session.flush()
    return moved, dropped


def coding_spans(session: Session) -> list[tuple[str, str, str, int, int]]:
    """``(transcript title, coder, code key, start, end)`` of every coding: what counts
    and coverage need, without the quotes."""
    query = (
        select(TranscriptRow.title, CoderRow.name, CodeRow.key, CodingRow.start, CodingRow.end)
        .join(TranscriptRow, TranscriptRow.id == CodingRow.transcript_id)
        .join(CodeRow, CodeRow.id == CodingRow.code_id)
        .join(CoderRow, CoderRow.id == CodingRow.coder_id)
    )
    return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]


def snapshot_or_none(session: Session, coding_id: int) -> dict[str, Any] | None:
    return snapshot(session, coding_id) if exists(session, coding_id) else None


def set_code(session: Session, coding_ids: Collection[int], code_id: int) -> None:
    """Give these codings another code (merging codes, and undoing a merge)."""
    for coding_id in coding_ids:
        row = session.get(CodingRow, coding_id)
        if row is None:
            raise NotFound(f"no coding with id {coding_id}")
        row.code_id = code_id
    session.flush()


def ids_with_code(session: Session, code_id: int) -> list[int]:
    return list(
        session.scalars(
            select(CodingRow.id).where(CodingRow.code_id == code_id).order_by(CodingRow.id)
        )
    )


def existing_spans(
    session: Session, version_ids: Collection[int]
) -> set[tuple[int, int, int, int, int]]:
    """``(version, code, coder, start, end)`` of every coding on these text versions."""
    query = select(
        CodingRow.version_id, CodingRow.code_id, CodingRow.coder_id, CodingRow.start, CodingRow.end
    ).where(CodingRow.version_id.in_(list(version_ids)))
    return {tuple(row) for row in session.execute(query)}  # type: ignore[misc]
