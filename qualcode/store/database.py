"""The handle on one project database: opening, creating and transactions.

``Database.write()`` is the one way to change data: it opens a session in a write
transaction that commits when the block ends, so every user action is committed at
once or not at all. Each thread opens its own sessions through the same handle.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from qualcode.domain.errors import Conflict, StoreError
from qualcode.store.engine import (
    WRITE_OPTION,
    check_reachable,
    create_sqlite_file,
    describe_url,
    has_tables,
    make_engine,
    sqlite_is_read_only,
    sqlite_url,
)
from qualcode.store.errors import clash_sentence, write_failure_sentence
from qualcode.store.migrate import create_schema, ensure_current
from qualcode.store.schema import ProjectRow
from qualcode.store.text_cache import VersionTexts
from qualcode.store.watch import CHANNEL, ChangeWatcher, make_watcher


class Database:
    """An open, current-schema project database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.url = str(engine.url)
        self._read_sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )
        # recently read transcript texts (immutable once written): store/text_cache.py
        self.texts = VersionTexts()

    @property
    def where(self) -> str:
        return describe_url(self.url)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @classmethod
    def open(cls, url: str) -> Database:
        """Open an existing project database, upgrading an older schema."""
        engine = make_engine(url)
        try:
            check_reachable(engine)
            ensure_current(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine)

    @classmethod
    def create(cls, url: str, *, name: str, language: str) -> Database:
        """Create the schema and the project row in an empty database."""
        engine = make_engine(url)
        try:
            check_reachable(engine)
            if has_tables(engine):
                raise StoreError(f"{describe_url(url)} already holds tables; not creating over it")
            create_schema(engine)
            database = cls(engine)
            with database.write() as session:
                session.add(ProjectRow(name=name, language=language, settings={}))
        except BaseException:
            engine.dispose()
            raise
        return database

    @classmethod
    def create_sqlite(cls, path: Path, *, name: str, language: str) -> Database:
        create_sqlite_file(path)
        try:
            return cls.create(sqlite_url(path), name=name, language=language)
        except BaseException:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            raise

    def close(self) -> None:
        self.engine.dispose()

    def watch(self) -> ChangeWatcher:
        """A watcher that tells when anybody changed this database (close it after)."""
        return make_watcher(self.engine.url.render_as_string(hide_password=False))

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        with self._read_sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session in one write transaction, committed when the block ends."""
        if sqlite_is_read_only(self.url):
            raise StoreError(f"{self.where} is read-only; make the file writable to change it")
        try:
            with self._write_sessions.begin() as session:
                yield session
                if self.dialect == "postgresql":
                    # delivered at commit to every open TUI (store/watch.py)
                    session.execute(text(f"NOTIFY {CHANNEL}"))
        except IntegrityError as exc:
            raise Conflict(clash_sentence(exc)) from exc
        except OperationalError as exc:
            raise StoreError(write_failure_sentence(exc, self.where)) from exc
