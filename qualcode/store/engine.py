"""Engine factory and schema checks: SQLite per project by default, any URL for teams.

SQLite runs in WAL mode with foreign keys on and a busy timeout; write transactions
start with ``BEGIN IMMEDIATE`` so two processes (a TUI and a CLI) never deadlock on a
lock upgrade. The project file is created readable and writable by its owner only.
No engine is created at import time.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from qualcode.domain.errors import StoreError
from qualcode.store.errors import LOCK_WAIT_SECONDS

DB_FILENAME = "qualcode.db"
BUSY_TIMEOUT_MS = LOCK_WAIT_SECONDS * 1000
WRITE_OPTION = "qualcode_write"


def sqlite_url(path: Path) -> str:
    return f"sqlite+pysqlite:///{path}"


def describe_url(url: str) -> str:
    """The URL without its password, fit for an error message."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def create_sqlite_file(path: Path) -> None:
    """Create an empty database file with mode 0600 (SQLite gives its -wal and -shm
    files the same permissions)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def sqlite_is_read_only(url: str) -> bool:
    """True when the project file lacks its owner's write bit.

    Checked on the mode bits rather than with ``os.access`` so a file the user marked
    read-only stays protected even for root.
    """
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or not parsed.database:
        return False
    try:
        mode = os.stat(parsed.database).st_mode
    except FileNotFoundError:
        return False
    return not mode & stat.S_IWUSR


def make_engine(url: str) -> Engine:
    """Build an engine for ``url`` with qualcode's connection settings."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"cannot understand database URL {url!r}") from exc
    if parsed.drivername.startswith("sqlite"):
        if not parsed.database or parsed.database == ":memory:":
            raise StoreError("an in-memory SQLite database cannot hold a project; give a file")
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    connect_args: dict[str, Any] = {}
    if parsed.drivername.startswith("postgresql"):
        connect_args["connect_timeout"] = 5
        # a writer waits at most this long for a row another writer holds, then gets
        # a sentence to retry (store/errors.py) instead of hanging behind a long write
        connect_args["options"] = f"-c lock_timeout={BUSY_TIMEOUT_MS}"
    try:
        return create_engine(url, connect_args=connect_args, pool_pre_ping=True)
    except (ArgumentError, ImportError) as exc:
        raise StoreError(f"cannot use database URL {describe_url(url)}: {exc}") from exc


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling defers BEGIN and cannot take a write lock up
    # front; take over as SQLAlchemy's documentation recommends.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # a read-only file cannot switch modes; reads still work without WAL
        with contextlib.suppress(sqlite3.OperationalError):
            cursor.execute("PRAGMA journal_mode=WAL")
        # FULL makes each committed action survive power loss, not just a crash.
        cursor.execute("PRAGMA synchronous=FULL")
        # 64 MiB page cache (the default is 2 MiB): listings of whole code groups
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


def check_reachable(engine: Engine) -> None:
    """Connect once so an unreachable server is reported clearly, up front."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StoreError(
            f"cannot connect to database {describe_url(str(engine.url))}: {reason}"
        ) from exc
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot open database {describe_url(str(engine.url))}: {exc}") from exc


def stored_revision(engine: Engine) -> str | None:
    """The Alembic revision recorded in the database, or None for an empty database."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def has_tables(engine: Engine) -> bool:
    with engine.connect() as connection:
        return bool(inspect(connection).get_table_names())
