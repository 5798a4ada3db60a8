"""Speakers of a transcript: their roles and pseudonyms, editable after import."""

from __future__ import annotations

from qualcode.domain.errors import InvalidInput
from qualcode.domain.records import SPEAKER_ROLES, Speaker
from qualcode.services.coders import ensure_coder
from qualcode.services.project import Project
from qualcode.store.repositories import events
from qualcode.store.repositories import transcripts as transcript_repo


def list_speakers(project: Project, transcript: str | int) -> list[Speaker]:
    with project.database.read() as session:
        return list(transcript_repo.get_text(session, transcript).speakers)


def update_speaker(
    project: Project,
    transcript: str | int,
    label: str,
    *,
    coder: str,
    role: str | None = None,
    pseudonym: str | None = None,
) -> Speaker:
    """Set a speaker's role and/or pseudonym (an empty pseudonym clears it)."""
    if role is not None and role not in SPEAKER_ROLES:
        raise InvalidInput(f"unknown role {role!r}; choose one of {', '.join(SPEAKER_ROLES)}")
    with project.database.write() as session:
        found = transcript_repo.resolve_transcript(session, transcript)
        before = transcript_repo.get_speaker(session, found.id, label)
        after = transcript_repo.update_speaker(
            session,
            before.id,
            role=role or before.role,
            pseudonym=before.pseudonym if pseudonym is None else (pseudonym or None),
        )
        who = ensure_coder(session, coder)
        events.record_event(
            session,
            action="speaker.update",
            entity="speaker",
            entity_id=before.id,
            coder_id=who.id,
            before={"role": before.role, "pseudonym": before.pseudonym},
            after={"role": after.role, "pseudonym": after.pseudonym},
        )
        return after
