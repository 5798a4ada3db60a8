"""What every screen needs to reach the data: the open project, who is coding, and
the language to show code labels in."""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.services.project import Project


@dataclass(frozen=True)
class Workbench:
    project: Project
    coder: str
    language: str
