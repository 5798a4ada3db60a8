"""A consistent copy of a SQLite project database while it is in use.

SQLite's online backup API copies the pages of a live database as one consistent
snapshot (a writer in another process may commit meanwhile; the copy restarts or
waits, never mixes). The copy is written to a temporary file beside the target, checked
with ``PRAGMA quick_check`` and renamed into place, readable by its owner only.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from pathlib import Path

from qualcode.domain.errors import InvalidInput
from qualcode.store.database import Database


def backup_sqlite(database: Database, target: Path) -> Path:
    if database.dialect != "sqlite":
        raise InvalidInput(
            f"backup copies SQLite projects; {database.where} is {database.dialect} "
            "(use the server's own tools, e.g. pg_dump)"
        )
    folder = target.parent
    if not folder.is_dir():
        raise InvalidInput(f"cannot write {target}: folder {folder} does not exist")
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    temp = Path(temp_name)
    try:
        os.chmod(temp, 0o600)
        raw = database.engine.raw_connection()
        try:
            source = raw.driver_connection
            assert isinstance(source, sqlite3.Connection)
            with contextlib.closing(sqlite3.connect(temp)) as copy:
                source.backup(copy, pages=1024)
                verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
                # a backup is one file: no -wal beside it
                copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            raw.close()
        if verdict != "ok":
            raise InvalidInput(f"the backup copy failed its integrity check: {verdict}")
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return target
