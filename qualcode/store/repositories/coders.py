"""Coders: the people whose codings are kept apart for agreement."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain.errors import InvalidInput, NotFound
from qualcode.domain.records import Coder
from qualcode.store.schema import CoderRow


def _record(row: CoderRow) -> Coder:
    return Coder(row.id, row.uuid, row.name)


def list_coders(session: Session) -> list[Coder]:
    return [_record(r) for r in session.scalars(select(CoderRow).order_by(CoderRow.name))]


def find_coder(session: Session, name: str) -> Coder | None:
    row = session.scalars(select(CoderRow).where(CoderRow.name == name)).first()
    return _record(row) if row else None


def get_coder(session: Session, name: str) -> Coder:
    coder = find_coder(session, name)
    if coder is None:
        raise NotFound(f"no coder named {name!r}")
    return coder


def add_coder(session: Session, name: str) -> Coder:
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInput(f"a coder name must be 1 to 100 characters (got {name!r})")
    row = CoderRow(name=name)
    session.add(row)
    session.flush()
    return _record(row)


def name_of(session: Session, coder_id: int | None) -> str | None:
    if coder_id is None:
        return None
    return session.scalar(select(CoderRow.name).where(CoderRow.id == coder_id))
