"""Bringing a database to the current schema, and refusing one from the future.

A database records its Alembic revision. An older one is upgraded on open (SQLite
files are backed up first); a revision this qualcode does not know means a newer
qualcode wrote it, and opening it could corrupt data, so it is refused.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url

from qualcode.domain.errors import StoreError
from qualcode.store.engine import describe_url, has_tables, stored_revision

# The newest revision in migrations/versions; a test keeps the two in step.
SCHEMA_HEAD = "0007"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _config(connection: object):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return {rev.revision for rev in script.walk_revisions()}


def create_schema(engine: Engine) -> None:
    """Give an empty database the current schema, stamped at ``SCHEMA_HEAD``.

    The tables come straight from the models, as Alembic recommends for a new database:
    replaying every migration (and importing Alembic) took most of `qualcode init`'s
    time. The migrations remain the way older databases move forward; a test keeps a
    migrated database and a created one identical, table by table and index by index.
    """
    from qualcode.store.schema import Base

    with engine.begin() as connection:
        Base.metadata.create_all(connection)
        connection.execute(
            text(
                "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
            )
        )
        connection.execute(
            text("INSERT INTO alembic_version (version_num) VALUES (:head)"), {"head": SCHEMA_HEAD}
        )


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run migrations up to ``revision`` in one transaction."""
    from alembic import command

    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # a migration may rebuild a table (SQLite cannot alter one in place); with
            # foreign keys on, dropping the old table would cascade into its children.
            # The pragma only takes effect outside a transaction, hence the raw cursor.
            _pragma(connection, "PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                command.upgrade(_config(connection), revision)
        finally:
            if sqlite:
                _pragma(connection, "PRAGMA foreign_keys=ON")


def _pragma(connection: Connection, statement: str) -> None:
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(statement)
    finally:
        cursor.close()


def ensure_current(engine: Engine) -> None:
    """Upgrade an older project database; refuse a newer or foreign one."""
    where = describe_url(str(engine.url))
    revision = stored_revision(engine)
    if revision == SCHEMA_HEAD:
        return
    if revision is None:
        if has_tables(engine):
            raise StoreError(f"{where} is not a qualcode project database")
        raise StoreError(f"{where} holds no qualcode project; create one with `qualcode init`")
    if revision not in known_revisions():
        raise StoreError(
            f"{where} was written by a newer qualcode (schema revision {revision}; this "
            f"version knows up to {SCHEMA_HEAD}); upgrade qualcode to open it"
        )
    _backup_sqlite(engine, revision)
    upgrade(engine)


def _backup_sqlite(engine: Engine, revision: str) -> None:
    url = make_url(str(engine.url))
    if not url.drivername.startswith("sqlite") or not url.database:
        return
    source = Path(url.database)
    backup = source.with_name(f"{source.name}.before-{SCHEMA_HEAD}-from-{revision}.bak")
    # checkpoint the WAL first so the copy holds every committed change
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy2(source, backup)
    backup.chmod(0o600)
