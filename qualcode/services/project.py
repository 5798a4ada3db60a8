"""Creating, finding and opening projects.

A project is a folder holding ``qualcode.db`` (SQLite, the default) or, for teams,
any SQLAlchemy database URL. The folder is created readable by its owner only:
transcripts about children and families are sensitive.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from qualcode.domain.errors import InvalidInput, StoreError
from qualcode.store.database import Database
from qualcode.store.engine import DB_FILENAME, sqlite_url
from qualcode.store.repositories import events
from qualcode.store.repositories.project import get_project

LANGUAGES = ("sv", "en")


@dataclass
class Project:
    """An open project: its database and, for folder projects, the folder."""

    database: Database
    directory: Path | None

    @property
    def exports_dir(self) -> Path:
        return (self.directory or Path.cwd()) / "exports"

    @property
    def language(self) -> str:
        with self.database.read() as session:
            return get_project(session).language

    @property
    def settings(self) -> Mapping[str, object]:
        with self.database.read() as session:
            return get_project(session).settings

    def close(self) -> None:
        self.database.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def locate(
    directory: str | Path | None = None,
    db_url: str | None = None,
    environ: Mapping[str, str] = os.environ,
) -> tuple[Path | None, str]:
    """Where the project is: explicit arguments first, then QUALCODE_DB /
    QUALCODE_PROJECT, then the current folder."""
    url = db_url or environ.get("QUALCODE_DB") or None
    folder = directory or environ.get("QUALCODE_PROJECT") or None
    path = Path(folder).expanduser() if folder else None
    if url:
        return path, url
    path = path or Path.cwd()
    return path, sqlite_url(path / DB_FILENAME)


def init_project(
    directory: str | Path | None = None,
    *,
    db_url: str | None = None,
    language: str = "sv",
    name: str | None = None,
) -> Project:
    """Create a new project (folder with a database, or a database at ``db_url``)."""
    if language not in LANGUAGES:
        raise InvalidInput(
            f"unsupported language {language!r}; choose one of {', '.join(LANGUAGES)}"
        )
    path, url = locate(directory, db_url, environ={} if directory else os.environ)
    if db_url is None and url.startswith("sqlite") and path is not None:
        _make_private_folder(path)
        db_file = path / DB_FILENAME
        if db_file.exists():
            raise InvalidInput(f"{path} is already a qualcode project")
        (path / "exports").mkdir(mode=0o700, exist_ok=True)
        database = Database.create_sqlite(
            db_file, name=name or path.resolve().name, language=language
        )
    else:
        database = Database.create(url, name=name or "qualcode project", language=language)
    with database.write() as session:
        events.record_event(
            session,
            action="project.create",
            entity="project",
            entity_id=None,
            coder_id=None,
            after={"name": name, "language": language},
        )
    return Project(database, path)


def open_project(directory: str | Path | None = None, db_url: str | None = None) -> Project:
    """Open an existing project; the error says what to do when there is none."""
    path, url = locate(directory, db_url)
    if not (db_url or os.environ.get("QUALCODE_DB")):
        assert path is not None
        if not path.is_dir():
            raise InvalidInput(f"project folder {path} does not exist")
        if not (path / DB_FILENAME).is_file():
            raise InvalidInput(
                f"{path} is not a qualcode project (no {DB_FILENAME}); "
                f"create one with `qualcode init {path}`"
            )
    try:
        database = Database.open(url)
    except StoreError:
        raise
    return Project(database, path)


def _make_private_folder(path: Path) -> None:
    if path.exists() and not path.is_dir():
        raise InvalidInput(f"{path} exists and is not a folder")
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
