"""Keeping an open view fresh: telling when the CLI or another coder changed the project."""

from __future__ import annotations

from qualcode.services.project import Project
from qualcode.store.watch import ChangeWatcher

__all__ = ["ChangeWatcher", "watch_changes"]


def watch_changes(project: Project) -> ChangeWatcher:
    """A watcher whose ``changed()`` is true after any committed change by anyone."""
    return project.database.watch()
