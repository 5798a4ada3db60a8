"""ids never reused: AUTOINCREMENT on the SQLite tables the event log refers to

Revision ID: 0003
Revises: 0002

Without AUTOINCREMENT, SQLite gives the id of the newest deleted row to the next row,
so undoing a removal could meet a different row under the same id. SQLite cannot add
AUTOINCREMENT to a table in place: each table is rebuilt (create, copy, drop, rename),
with foreign keys switched off around the migration (``qualcode.store.migrate``) so
that dropping the old table cascades nowhere. PostgreSQL sequences never reuse an id:
nothing to do there.
"""

from alembic import op
from sqlalchemy import text

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# table -> the entity name its rows have in the event log
TABLES = {
    "cases": "case",
    "transcripts": "transcript",
    "speakers": "speaker",
    "codes": "code",
    "coders": "coder",
    "codings": "coding",
    "memos": "memo",
    "attributes": "attribute",
    "events": "event",
    "collections": "collection",
    "collection_items": "collection_item",
}


def _rebuild(autoincrement: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for table, entity in TABLES.items():
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass
        if not autoincrement:
            continue
        # the counter starts above every id the table or the log has ever named, so
        # not even a row deleted before this migration gives its id away
        highest = bind.execute(
            text(
                f'SELECT max(coalesce((SELECT max(id) FROM "{table}"), 0),'
                " coalesce((SELECT max(entity_id) FROM events WHERE entity = :entity), 0))"
            ),
            {"entity": entity},
        ).scalar()
        bind.execute(text("DELETE FROM sqlite_sequence WHERE name = :name"), {"name": table})
        bind.execute(
            text("INSERT INTO sqlite_sequence (name, seq) VALUES (:name, :seq)"),
            {"name": table, "seq": highest},
        )
    problems = bind.execute(text("PRAGMA foreign_key_check")).fetchall()
    if problems:
        raise RuntimeError(f"foreign keys broken by the rebuild: {problems[:5]}")


def upgrade() -> None:
    _rebuild(True)


def downgrade() -> None:
    _rebuild(False)
