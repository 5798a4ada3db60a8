"""Reading the project's code tree."""

from __future__ import annotations

from qualcode.domain.records import Code
from qualcode.services.project import Project
from qualcode.store.repositories import codes as code_repo


def list_codes(project: Project, *, include_retired: bool = True) -> list[Code]:
    """All codes in codebook order (parents before their children)."""
    with project.database.read() as session:
        return code_repo.list_codes(session, include_retired=include_retired)


def coding_counts(project: Project) -> dict[str, int]:
    """Number of codings per code key, over all coders."""
    with project.database.read() as session:
        return code_repo.coding_counts(session)
