"""Memos attached to the project, a transcript, a code or a coding."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from qualcode.domain.errors import NotFound
from qualcode.domain.records import Memo
from qualcode.store.schema import CodeRow, CoderRow, MemoRow, TranscriptRow, new_uuid, utcnow

TARGET_COLUMNS = {"transcript": "transcript_id", "code": "code_id", "coding": "coding_id"}


def _record(row: MemoRow, author: str | None, target_ref: str | None) -> Memo:
    target = next(
        (name for name, column in TARGET_COLUMNS.items() if getattr(row, column) is not None),
        "project",
    )
    return Memo(
        row.id, row.uuid, target, target_ref, row.text, author, row.created_at, row.updated_at
    )


def _target_ref(session: Session, row: MemoRow) -> str | None:
    if row.transcript_id is not None:
        return session.scalar(
            select(TranscriptRow.title).where(TranscriptRow.id == row.transcript_id)
        )
    if row.code_id is not None:
        return session.scalar(select(CodeRow.key).where(CodeRow.id == row.code_id))
    if row.coding_id is not None:
        return str(row.coding_id)
    return None


def add_memo(
    session: Session, *, target: str, target_id: int | None, text: str, author_id: int | None
) -> int:
    row = MemoRow(text=text, author_id=author_id)
    if target != "project":
        setattr(row, TARGET_COLUMNS[target], target_id)
    session.add(row)
    session.flush()
    return row.id


def get_memo(session: Session, memo_id: int) -> Memo:
    row = session.get(MemoRow, memo_id)
    if row is None:
        raise NotFound(f"no memo with id {memo_id}")
    author = session.get(CoderRow, row.author_id).name if row.author_id else None  # type: ignore[union-attr]
    return _record(row, author, _target_ref(session, row))


def list_memos(
    session: Session, *, target: str | None = None, target_id: int | None = None
) -> list[Memo]:
    query = select(MemoRow, CoderRow.name).outerjoin(CoderRow, CoderRow.id == MemoRow.author_id)
    if target == "project":
        query = query.where(
            MemoRow.transcript_id.is_(None), MemoRow.code_id.is_(None), MemoRow.coding_id.is_(None)
        )
    elif target is not None:
        column = getattr(MemoRow, TARGET_COLUMNS[target])
        query = query.where(column.is_not(None) if target_id is None else column == target_id)
    rows = session.execute(query.order_by(MemoRow.id)).all()
    return [_record(row, author, _target_ref(session, row)) for row, author in rows]


def update_memo(session: Session, memo_id: int, text: str) -> None:
    row = session.get(MemoRow, memo_id)
    if row is None:
        raise NotFound(f"no memo with id {memo_id}")
    row.text = text
    row.updated_at = utcnow()
    session.flush()


def delete_memo(session: Session, memo_id: int) -> None:
    row = session.get(MemoRow, memo_id)
    if row is None:
        raise NotFound(f"no memo with id {memo_id}")
    session.delete(row)
    session.flush()


def snapshot(session: Session, memo_id: int) -> dict[str, Any]:
    row = session.get(MemoRow, memo_id)
    if row is None:
        raise NotFound(f"no memo with id {memo_id}")
    return {
        "id": row.id,
        "uuid": row.uuid,
        "transcript_id": row.transcript_id,
        "code_id": row.code_id,
        "coding_id": row.coding_id,
        "author_id": row.author_id,
        "text": row.text,
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
    }


def snapshots_for_coding(session: Session, coding_id: int) -> list[dict[str, Any]]:
    ids = session.scalars(select(MemoRow.id).where(MemoRow.coding_id == coding_id)).all()
    return [snapshot(session, memo_id) for memo_id in ids]


def restore(session: Session, data: dict[str, Any]) -> int:
    row = MemoRow(
        **{
            **data,
            "created_at": datetime.fromisoformat(data["created_at"]),
            "updated_at": datetime.fromisoformat(data["updated_at"]),
        }
    )
    session.add(row)
    session.flush()
    return row.id


def exists(session: Session, memo_id: int) -> bool:
    return session.get(MemoRow, memo_id) is not None


def move_to_coding(session: Session, memo_ids: list[int], coding_id: int) -> None:
    """Attach memos to another coding (a merged duplicate's memos go to the coding kept)."""
    for memo_id in memo_ids:
        row = session.get(MemoRow, memo_id)
        if row is not None:
            row.coding_id = coding_id
    session.flush()


def snapshot_or_none(session: Session, memo_id: int) -> dict[str, Any] | None:
    return snapshot(session, memo_id) if exists(session, memo_id) else None


def add_coding_memos(session: Session, memos: list[tuple[int, str, int]]) -> None:
    """Insert ``(coding id, text, author id)`` memos in one statement."""
    if not memos:
        return
    now = utcnow()
    session.execute(
        insert(MemoRow),
        [
            {"uuid": new_uuid(), "coding_id": coding_id, "text": text, "author_id": author,
             "created_at": now, "updated_at": now}
            for coding_id, text, author in memos
        ],
    )  # fmt: skip
