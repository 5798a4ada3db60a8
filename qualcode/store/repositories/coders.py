"""Coders: the people whose codings are kept apart for agreement."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain.errors import InvalidInput, NotFound
from qualcode.domain.records import Coder
from qualcode.store.repositories.first_use import insert_or_get
from qualcode.store.schema import CoderRow, CodingRow, new_uuid, utcnow


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


def check_name(name: str) -> str:
    """The name as stored; refuses an empty or over-long one."""
    stripped = name.strip()
    if not stripped or len(stripped) > 100:
        raise InvalidInput(f"a coder name must be 1 to 100 characters (got {name!r})")
    return stripped


def add_coder(session: Session, name: str) -> Coder:
    row = CoderRow(name=check_name(name))
    session.add(row)
    session.flush()
    return _record(row)


def names_with_codings(session: Session) -> set[str]:
    """The coders who have at least one coding."""
    found = select(CoderRow.name).where(
        select(CodingRow.id).where(CodingRow.coder_id == CoderRow.id).exists()
    )
    return set(session.scalars(found))


def ensure_coder(session: Session, name: str) -> tuple[Coder, bool]:
    """The coder called ``name``, created when missing even while another process
    creates the same name; and whether this call created it."""
    name = check_name(name)
    coder_id, made = insert_or_get(
        session, CoderRow, "name", {"name": name, "uuid": new_uuid(), "created_at": utcnow()}
    )
    row = session.get(CoderRow, coder_id)
    assert row is not None
    return _record(row), made


def name_of(session: Session, coder_id: int | None) -> str | None:
    if coder_id is None:
        return None
    return session.scalar(select(CoderRow.name).where(CoderRow.id == coder_id))
