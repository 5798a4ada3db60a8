"""Backing up a SQLite project while it is open: a dated copy in ``backups/``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from qualcode.domain.errors import InvalidInput
from qualcode.services.project import Project
from qualcode.store.backup import backup_sqlite


def backup_project(project: Project, output: str | Path | None = None) -> Path:
    """Copy the project database to ``output`` (a file, or a folder to put a dated file
    in); by default ``<project>/backups/qualcode-YYYY-MM-DD-HHMMSS.db``, mode 0600."""
    stamp = datetime.now().strftime("%Y-%m-%d-%H%M%S")
    name = f"qualcode-{stamp}.db"
    if output is None:
        if project.directory is None:
            raise InvalidInput("this project has no folder; give the backup file with -o")
        folder = project.directory / "backups"
        folder.mkdir(mode=0o700, exist_ok=True)
        target = folder / name
    else:
        target = Path(output)
        if target.is_dir():
            target = target / name
    if target.exists():
        raise InvalidInput(f"{target} exists already; a backup never overwrites a file")
    return backup_sqlite(project.database, target)
