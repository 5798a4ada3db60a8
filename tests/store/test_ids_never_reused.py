"""SQLite never hands a deleted row's id to a new row (migration 0003)."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa

from qualcode.services.project import open_project
from qualcode.store.database import Database
from qualcode.store.engine import make_engine
from qualcode.store.migrate import upgrade
from qualcode.store.schema import Base

LOGGED_TABLES = {"codings", "memos", "codes", "coders", "events", "transcripts"}


def _tables(engine: sa.Engine) -> dict[str, tuple[bool, frozenset[str]]]:
    """Per table: AUTOINCREMENT or not, and its constraint clauses in any order."""
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name != 'alembic_version'"
        ).all()
    out = {}
    for name, sql in rows:
        flat = " ".join(sql.replace('"', "").split())
        flat = flat[: flat.rindex(")")].rstrip()  # the table's closing parenthesis
        clauses = frozenset(part.strip() for part in re.split(r", CONSTRAINT ", flat)[1:])
        out[name] = ("AUTOINCREMENT" in flat, clauses)
    return out


def _indexes(engine: sa.Engine) -> set[str]:
    with engine.connect() as connection:
        return set(
            connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            ).scalars()
        )


def test_migrated_tables_equal_the_models_with_autoincrement(tmp_path: Path) -> None:
    migrated = make_engine(f"sqlite+pysqlite:///{tmp_path / 'm.db'}")
    upgrade(migrated)
    modelled = sa.create_engine(f"sqlite:///{tmp_path / 'c.db'}")
    Base.metadata.create_all(modelled)
    assert _tables(migrated) == _tables(modelled)
    assert _indexes(migrated) == _indexes(modelled)
    assert all(_tables(migrated)[name][0] for name in LOGGED_TABLES)
    # and a project `qualcode init` creates (from the models, stamped) is the same
    created = Database.create_sqlite(tmp_path / "created.db", name="p", language="sv")
    try:
        assert _tables(created.engine) == _tables(migrated)
        assert _indexes(created.engine) == _indexes(migrated)
    finally:
        created.close()


def test_an_0002_database_keeps_its_rows_and_never_reuses_a_logged_id(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    engine = make_engine(f"sqlite+pysqlite:///{folder / 'qualcode.db'}")
    upgrade(engine, "0002")
    with engine.begin() as c:
        for statement in (
            "INSERT INTO project (id, uuid, name, language, settings, created_at) "
            "VALUES (1, 'p', 'old', 'sv', '{}', CURRENT_TIMESTAMP)",
            "INSERT INTO transcripts (id, uuid, title, mode, language, version, created_at) "
            "VALUES (1, 't', 'T', 'interview', 'sv', 1, CURRENT_TIMESTAMP)",
            "INSERT INTO text_versions (id, uuid, transcript_id, version, text, sha256, length, "
            "word_count, transformations, created_at) VALUES (1, 'v', 1, 1, 'Hej hej', 'x', 7, 2,"
            " '{}', CURRENT_TIMESTAMP)",
            "INSERT INTO codes (id, uuid, key, name, labels, exclusive, patterns, retired, "
            "position) VALUES (1, 'c', 'BIC', 'B', '{}', false, '[]', false, 0)",
            "INSERT INTO coders (id, uuid, name, created_at) VALUES (1, 'k', 'anna', "
            "CURRENT_TIMESTAMP)",
            'INSERT INTO codings (id, uuid, transcript_id, version_id, code_id, coder_id, start, "end",'
            " quote, quote_sha256, needs_review, created_at) VALUES (1, 'g', 1, 1, 1, 1, 0, 3, "
            "'Hej', 'h', false, CURRENT_TIMESTAMP)",
            "INSERT INTO memos (id, uuid, coding_id, author_id, text, created_at, updated_at) "
            "VALUES (1, 'm', 1, 1, 'on the coding', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
            # coding 2 existed once and was removed: the log still names it
            "INSERT INTO events (id, uuid, at, coder_id, kind, action, entity, entity_id) "
            "VALUES (1, 'e', CURRENT_TIMESTAMP, 1, 'do', 'coding.remove', 'coding', 2)",
        ):
            c.exec_driver_sql(statement)
    engine.dispose()

    from qualcode.services import coding, memos

    with open_project(folder) as project:
        assert [m.text for m in memos.list_memos(project)] == ["on the coding"]
        made = coding.apply_code(project, transcript="T", code="BIC", start=4, end=7, coder="anna")
        assert made.id == 3
        with project.database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
