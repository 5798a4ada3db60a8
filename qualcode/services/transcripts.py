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


def text_sha256(project: Project, transcript_id: int) -> str:
    """The SHA-256 of a transcript's current text: whether it was revised, without
    reading the text."""
    with project.database.read() as session:
        return transcript_repo.current_sha256(session, transcript_id)
