"""Who is coding: resolving the coder name and creating coders on first use."""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping

from sqlalchemy.orm import Session

from qualcode.domain.records import Coder
from qualcode.services.project import Project
from qualcode.store.repositories import coders as coder_repo
from qualcode.store.repositories import events


def default_coder_name(environ: Mapping[str, str] = os.environ) -> str:
    """QUALCODE_CODER if set, else the login name."""
    name = environ.get("QUALCODE_CODER")
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "coder"


def ensure_coder(session: Session, name: str) -> Coder:
    """The coder called ``name``, created (and logged) on first use; two processes
    using a new name at once share one coder."""
    coder = coder_repo.find_coder(session, name)
    if coder is not None:
        return coder
    coder, made = coder_repo.ensure_coder(session, name)
    if made:
        events.record_event(
            session,
            action="coder.create",
            entity="coder",
            entity_id=coder.id,
            coder_id=coder.id,
            after={"name": coder.name, "uuid": coder.uuid},
        )
    return coder


def list_coders(project: Project) -> list[Coder]:
    with project.database.read() as session:
        return coder_repo.list_coders(session)


def coders_with_codings(project: Project) -> set[str]:
    """Names of the coders who have coded something."""
    with project.database.read() as session:
        return coder_repo.names_with_codings(session)
