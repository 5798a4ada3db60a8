"""Reading transcripts: the list, and one transcript's text with its structure."""

from __future__ import annotations

from qualcode.domain.records import Transcript, TranscriptText
from qualcode.services.project import Project
from qualcode.store.repositories import transcripts as transcript_repo


def list_transcripts(project: Project) -> list[Transcript]:
    with project.database.read() as session:
        return transcript_repo.list_transcripts(session)


def transcript_text(project: Project, ref: str | int) -> TranscriptText:
    """The current text version of a transcript (by id or title) with speakers,
    turns, paragraph segments and sentence units."""
    with project.database.read() as session:
        return transcript_repo.get_text(session, ref)
