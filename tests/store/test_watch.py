"""An open view learns of others' changes: data_version on SQLite, NOTIFY on PostgreSQL."""

from __future__ import annotations

import time

from qualcode.services import coding
from qualcode.services.freshness import watch_changes
from qualcode.services.project import Project, open_project
from tests.conftest import ProjectPlace


def _soon(check) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def test_a_change_by_another_handle_is_seen_within_a_second(
    coded_project: Project, place: ProjectPlace
) -> None:
    watcher = watch_changes(coded_project)
    try:
        assert not watcher.changed()
        with open_project(place.directory, place.db_url) as other:
            coding.apply_code(other, transcript="Fokus", code="BIC", start=0, end=5, coder="bo")
        assert _soon(watcher.changed)
        assert not watcher.changed()  # told once per change
    finally:
        watcher.close()
