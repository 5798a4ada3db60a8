"""`qualcode backup`: a consistent, private, dated copy of a project in use."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.domain.errors import InvalidInput
from qualcode.services.backup import backup_project
from qualcode.services.project import Project
from qualcode.store.repositories import coders as coder_repo
from tests.conftest import ProjectPlace


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as copy:
        return int(copy.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_backup_while_a_write_is_under_way_holds_the_committed_state(
    sqlite_coded_project: Project,
) -> None:
    project = sqlite_coded_project
    with project.database.write() as session:
        coder_repo.add_coder(session, "halfway")  # not committed while the copy is made
        written = backup_project(project)
    assert written.parent == project.directory / "backups"  # type: ignore[operator]
    assert written.name.startswith("qualcode-") and written.suffix == ".db"
    assert written.stat().st_mode & 0o777 == 0o600
    assert _count(written, "transcripts") == 1 and _count(written, "codes") > 30
    with sqlite3.connect(written) as copy:
        names = {row[0] for row in copy.execute("SELECT name FROM coders")}
    assert "halfway" not in names
    with pytest.raises(InvalidInput, match="exists already"):
        backup_project(project, written)


def test_backup_command_and_postgresql_refusal(place: ProjectPlace, tmp_path: Path) -> None:
    place.init(language="sv").close()
    target = tmp_path / "copy.db"
    done = CliRunner().invoke(app, [*place.cli_args, "backup", "-o", str(target)])
    if place.db_url is None:
        assert done.exit_code == 0, done.output
        assert _count(target, "project") == 1
    else:
        assert done.exit_code == 1 and "pg_dump" in done.output
        assert not target.exists()
