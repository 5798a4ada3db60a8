"""Cases as first-class data: list them, link transcripts and speakers, resolve a
passage's attributes.

A case is a unit of analysis (a municipality, a city district). A transcript may
belong to several cases (a focus group with social workers from two municipalities);
a speaker may belong to one (a participant from Ekbacka). Which values a passage then
has is decided in one place, :func:`qualcode.domain.cases.passage_attributes`; this
module and the retrieval loader are its only callers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qualcode.domain.cases import Resolved
from qualcode.domain.errors import InvalidInput
from qualcode.services.coders import ensure_coder
from qualcode.services.project import Project
from qualcode.store.repositories import cases as case_repo
from qualcode.store.repositories import events
from qualcode.store.repositories import transcripts as transcript_repo
from qualcode.store.repositories.cases import CaseRecord

__all__ = [
    "CaseRecord",
    "LinkResult",
    "case_names",
    "link_speaker",
    "link_transcript",
    "list_cases",
    "passage_attributes",
    "show_case",
    "unlink_transcript",
]


@dataclass(frozen=True, slots=True)
class LinkResult:
    transcript: str
    linked: tuple[str, ...]  # cases the transcript was added to
    already: tuple[str, ...]  # cases it was in before
    created: tuple[str, ...]  # cases that did not exist and were made


def list_cases(project: Project) -> list[CaseRecord]:
    with project.database.read() as session:
        return case_repo.list_cases(session)


def case_names(project: Project) -> list[str]:
    with project.database.read() as session:
        return sorted(case_repo.case_ids(session))


def show_case(project: Project, name: str) -> CaseRecord:
    with project.database.read() as session:
        case_repo.find_case(session, name)
        (found,) = case_repo.list_cases(session, [name])
        return found


def link_transcript(
    project: Project, transcript: str | int, cases: Sequence[str], *, coder: str
) -> LinkResult:
    """Add a transcript to one or more cases (each created on first use)."""
    if not cases:
        raise InvalidInput("name at least one case to link the transcript to")
    with project.database.write() as session:
        found = transcript_repo.resolve_transcript(session, transcript)
        linked: list[str] = []
        already: list[str] = []
        created: list[str] = []
        for name in dict.fromkeys(cases):
            case_id, new = case_repo.ensure_case(session, name)
            if new:
                created.append(name)
            (linked if case_repo.link_transcript(session, found.id, case_id) else already).append(
                name
            )
        who = ensure_coder(session, coder)
        events.record_event(
            session,
            action="case.link",
            entity="transcript",
            entity_id=found.id,
            coder_id=who.id,
            before={"cases": list(found.cases)},
            after={"cases": case_repo.transcript_case_names(session, found.id)},
        )
        return LinkResult(found.title, tuple(linked), tuple(already), tuple(created))


def unlink_transcript(
    project: Project, transcript: str | int, case: str | None, *, coder: str
) -> list[str]:
    """Take a transcript out of ``case`` (or out of every case); the cases it left."""
    with project.database.write() as session:
        found = transcript_repo.resolve_transcript(session, transcript)
        case_id = case_repo.find_case(session, case).id if case is not None else None
        if case is not None and case not in found.cases:
            raise InvalidInput(
                f"transcript {found.title!r} is not in case {case!r}"
                + (f"; its cases: {', '.join(found.cases)}" if found.cases else "")
            )
        left = case_repo.unlink_transcript(session, found.id, case_id)
        names = [case_repo.case_name(session, c) for c in left]
        who = ensure_coder(session, coder)
        events.record_event(
            session,
            action="case.unlink",
            entity="transcript",
            entity_id=found.id,
            coder_id=who.id,
            before={"cases": list(found.cases)},
            after={"cases": case_repo.transcript_case_names(session, found.id)},
        )
        return sorted(names)


def link_speaker(
    project: Project, transcript: str | int, speaker: str, case: str | None, *, coder: str
) -> bool:
    """Link a transcript's speaker to a case (created on first use), or unlink with
    None. Returns whether the case was created."""
    with project.database.write() as session:
        found = transcript_repo.resolve_transcript(session, transcript)
        row = case_repo.find_speaker(session, found.id, speaker)
        before = case_repo.speaker_case(session, row.id)
        created = False
        case_id = None
        if case is not None:
            case_id, created = case_repo.ensure_case(session, case)
        case_repo.set_speaker_case(session, row.id, case_id)
        who = ensure_coder(session, coder)
        events.record_event(
            session,
            action="case.speaker",
            entity="speaker",
            entity_id=row.id,
            coder_id=who.id,
            before={"case": case_repo.case_name(session, before) if before else None},
            after={"case": case, "transcript": found.title, "speaker": speaker},
        )
        return created


def passage_attributes(
    project: Project, transcript: str | int, speaker: str | None = None
) -> dict[str, Resolved]:
    """The attributes a passage of ``transcript`` spoken by ``speaker`` has (the rule in
    :mod:`qualcode.domain.cases`); ``speaker=None`` for text outside any linked
    speaker's turns."""
    with project.database.read() as session:
        found = transcript_repo.resolve_transcript(session, transcript)
        context = case_repo.attribute_context(session)
        if speaker is not None:
            by_speaker = context.for_speakers(found.id)
            if speaker in by_speaker:
                return by_speaker[speaker]
        return context.for_transcript(found.id)


def attribute_context(project: Project) -> case_repo.AttributeContext:
    """Every attribute value and case link, read once, to resolve many passages."""
    with project.database.read() as session:
        return case_repo.attribute_context(session)
