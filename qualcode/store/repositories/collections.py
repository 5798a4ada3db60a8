"""Quote collections and their items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.domain.errors import Conflict, NotFound
from qualcode.store.schema import CollectionItemRow, CollectionRow, TranscriptRow


@dataclass(frozen=True, slots=True)
class CollectionInfo:
    id: int
    name: str
    title: str | None
    items: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Item:
    id: int
    uuid: str
    position: int
    theme: str
    transcript_id: int
    transcript: str
    version_id: int
    start: int
    end: int
    verbatim_text: str
    edited_text: str | None
    note: str | None

    @property
    def text(self) -> str:
        return self.edited_text if self.edited_text is not None else self.verbatim_text


def create(session: Session, name: str, title: str | None) -> int:
    if session.scalar(select(CollectionRow.id).where(CollectionRow.name == name)) is not None:
        raise Conflict(f"a collection named {name!r} exists already")
    row = CollectionRow(name=name, title=title)
    session.add(row)
    session.flush()
    return row.id


def get_id(session: Session, name: str) -> int:
    found = session.scalar(select(CollectionRow.id).where(CollectionRow.name == name))
    if found is None:
        raise NotFound(f"no collection named {name!r}")
    return found


def list_collections(session: Session) -> list[CollectionInfo]:
    query = (
        select(CollectionRow, func.count(CollectionItemRow.id))
        .outerjoin(CollectionItemRow, CollectionItemRow.collection_id == CollectionRow.id)
        .group_by(CollectionRow.id)
        .order_by(CollectionRow.name)
    )
    return [
        CollectionInfo(r.id, r.name, r.title, n, r.created_at) for r, n in session.execute(query)
    ]


def info(session: Session, collection_id: int) -> CollectionInfo:
    row = session.get(CollectionRow, collection_id)
    if row is None:
        raise NotFound(f"no collection with id {collection_id}")
    count = session.scalar(
        select(func.count(CollectionItemRow.id)).where(
            CollectionItemRow.collection_id == collection_id
        )
    )
    return CollectionInfo(row.id, row.name, row.title, count or 0, row.created_at)


def items(session: Session, collection_id: int) -> list[Item]:
    query = (
        select(CollectionItemRow, TranscriptRow.title)
        .join(TranscriptRow, TranscriptRow.id == CollectionItemRow.transcript_id)
        .where(CollectionItemRow.collection_id == collection_id)
        .order_by(CollectionItemRow.position, CollectionItemRow.id)
    )
    return [_item(row, title) for row, title in session.execute(query)]


def get_item(session: Session, collection_id: int, item_id: int) -> Item:
    found = session.execute(
        select(CollectionItemRow, TranscriptRow.title)
        .join(TranscriptRow, TranscriptRow.id == CollectionItemRow.transcript_id)
        .where(CollectionItemRow.id == item_id, CollectionItemRow.collection_id == collection_id)
    ).first()
    if found is None:
        raise NotFound(f"the collection has no item {item_id}")
    return _item(*found)


def add_item(session: Session, collection_id: int, **values: Any) -> int:
    last = session.scalar(
        select(func.max(CollectionItemRow.position)).where(
            CollectionItemRow.collection_id == collection_id
        )
    )
    row = CollectionItemRow(collection_id=collection_id, position=(last or 0) + 1, **values)
    session.add(row)
    session.flush()
    return row.id


def update_item(session: Session, item_id: int, **values: Any) -> None:
    row = session.get(CollectionItemRow, item_id)
    if row is None:
        raise NotFound(f"no collection item {item_id}")
    for name, value in values.items():
        setattr(row, name, value)
    session.flush()


def delete_item(session: Session, item_id: int) -> None:
    row = session.get(CollectionItemRow, item_id)
    if row is None:
        raise NotFound(f"no collection item {item_id}")
    session.delete(row)
    session.flush()


def renumber(session: Session, collection_id: int, ordered_ids: list[int]) -> None:
    for position, item_id in enumerate(ordered_ids, start=1):
        update_item(session, item_id, position=position)


def in_version(session: Session, version_id: int) -> list[tuple[int, int, int, str]]:
    """(id, start, end, verbatim) of every item on one text version, for re-anchoring."""
    query = select(
        CollectionItemRow.id,
        CollectionItemRow.start,
        CollectionItemRow.end,
        CollectionItemRow.verbatim_text,
    ).where(CollectionItemRow.version_id == version_id)
    return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]


def _item(row: CollectionItemRow, title: str) -> Item:
    return Item(
        row.id,
        row.uuid,
        row.position,
        row.theme,
        row.transcript_id,
        title,
        row.version_id,
        row.start,
        row.end,
        row.verbatim_text,
        row.edited_text,
        row.note,
    )
