"""Coders: the people whose codings are kept apart for agreement."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from qualcode.domain.errors import InvalidInput, NotFound
from qualcode.domain.records import Coder
from qualcode.store.schema import CoderRow


def _record(row: CoderRow) -> Coder:
    return Coder(row.id, row.uuid, row.name)


def list_coders(session: Session) -> list[Coder]:
    return [_record(r) for r in session.scalars(select(CoderRow).order_by(CoderRow.name))]


# built once, columns rather than the mapped row: every coding looks its coder up
_FIND_CODER: Any = select(CoderRow.id, CoderRow.uuid, CoderRow.name).where(
    CoderRow.name == bindparam("name")
)


def find_coder(session: Session, name: str) -> Coder | None:
    row = session.execute(_FIND_CODER, {"name": name}).first()
    return Coder(*row) if row else None


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
