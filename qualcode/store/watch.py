"""Noticing that somebody else changed the project, cheaply enough to ask twice a second.

SQLite keeps a counter, ``PRAGMA data_version``, that changes when another connection
commits; one connection kept open for the purpose reads it. PostgreSQL has no such
counter: every write transaction (``Database.write``) sends ``NOTIFY`` on a channel,
and a connection that LISTENs on it collects the notices without blocking.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy.engine import make_url

CHANNEL = "qualcode_changed"


class ChangeWatcher:
    """``changed()`` says whether the project changed since the last call."""

    def changed(self) -> bool:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class _SqliteWatcher(ChangeWatcher):
    def __init__(self, path: str) -> None:
        self._connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._seen = self._version()

    def _version(self) -> int:
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        now = self._version()
        moved, self._seen = now != self._seen, now
        return moved

    def close(self) -> None:
        self._connection.close()


class _PostgresWatcher(ChangeWatcher):
    def __init__(self, url: str) -> None:
        import psycopg

        parsed = make_url(url).set(drivername="postgresql")
        self._connection: Any = psycopg.connect(
            parsed.render_as_string(hide_password=False), autocommit=True, connect_timeout=5
        )
        self._connection.execute(f"LISTEN {CHANNEL}")

    def changed(self) -> bool:
        return bool(list(self._connection.notifies(timeout=0, stop_after=1000)))

    def close(self) -> None:
        self._connection.close()


def make_watcher(url: str) -> ChangeWatcher:
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        assert parsed.database
        return _SqliteWatcher(parsed.database)
    return _PostgresWatcher(url)
