"""The project's pseudonymisation list: names, municipalities and places to replace in
every export. Kept in the project settings so every coder and export shares it."""

from __future__ import annotations

from qualcode.domain.errors import InvalidInput
from qualcode.services.coders import ensure_coder
from qualcode.services.project import Project
from qualcode.store.repositories import events
from qualcode.store.repositories import project as project_repo

SETTING = "pseudonyms"


def pseudonym_list(project: Project) -> dict[str, str]:
    with project.database.read() as session:
        return dict(project_repo.get_project(session).settings.get(SETTING, {}))


def set_pseudonym(project: Project, term: str, replacement: str | None, *, coder: str) -> None:
    """Add or change a term's replacement; ``None`` removes the term from the list."""
    term = term.strip()
    if not term:
        raise InvalidInput("the term to replace is empty")
    if replacement is not None and term.casefold() in replacement.casefold().split():
        raise InvalidInput(f"the replacement for {term!r} must not contain the term itself")
    with project.database.write() as session:
        current = dict(project_repo.get_project(session).settings.get(SETTING, {}))
        before = current.get(term)
        if replacement is None:
            if term not in current:
                raise InvalidInput(f"{term!r} is not on the pseudonymisation list")
            del current[term]
        else:
            current[term] = replacement.strip()
        project_repo.set_setting(session, SETTING, current)
        who = ensure_coder(session, coder)
        events.record_event(
            session,
            action="pseudonym.set",
            entity="project",
            entity_id=None,
            coder_id=who.id,
            before={"term": term, "replacement": before},
            after={"term": term, "replacement": replacement},
        )
