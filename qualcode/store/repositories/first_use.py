"""Rows created on first use (a coder's name, a case), safely under concurrency.

Two processes that use the same new name at once must both succeed and share one
row. ``INSERT … ON CONFLICT DO NOTHING`` lets the database settle the race: the
loser's insert waits for the winner's transaction and then does nothing, and the
select that follows (a new statement, so a fresh snapshot under READ COMMITTED)
finds the winner's row. SQLite and PostgreSQL both speak this form.
"""

from __future__ import annotations

import importlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session


def insert_or_get(
    session: Session, row_class: Any, unique: str, values: dict[str, Any]
) -> tuple[int, bool]:
    """The id of the row whose ``unique`` column equals ``values[unique]``, inserted
    with ``values`` when missing; and whether this call inserted it."""
    # the engine's own dialect module only: importing PostgreSQL's (with its asyncpg
    # driver) costs every SQLite command ~20 ms of start-up
    dialect = session.get_bind().dialect.name
    make = importlib.import_module(f"sqlalchemy.dialects.{dialect}").insert
    table = row_class.__table__
    statement = (
        make(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[unique])
        .returning(table.c.id)
    )
    made = session.execute(statement).scalar()
    if made is not None:
        return made, True
    found = session.scalar(select(table.c.id).where(table.c[unique] == values[unique]))
    assert found is not None, "a row that conflicted must exist"
    return found, False
