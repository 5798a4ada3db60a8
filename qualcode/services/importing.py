"""Importing transcript files: read, normalise, find turns and sentences, store.

The slow part (reading and sentence splitting) runs before the write transaction;
the transcript, its text, speakers, turns, segments, units and the event are then
stored in one transaction, so a failed import leaves the project unchanged.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from qualcode.domain.errors import InvalidInput
from qualcode.domain.records import TRANSCRIPT_MODES, Transcript
from qualcode.domain.turns import find_turns, infer_role, segments
from qualcode.ingest.plain import read_plain
from qualcode.services.project import Project
from qualcode.store.repositories import events
from qualcode.store.repositories import project as project_repo
from qualcode.store.repositories import transcripts as transcript_repo
from qualcode.store.repositories.transcripts import NewTurn


@dataclass(frozen=True, slots=True)
class ImportReport:
    transcript: Transcript
    encoding: str
    speakers: tuple[str, ...]
    turns: int
    units: int
    warnings: tuple[str, ...]


def import_file(
    project: Project,
    path: str | Path,
    *,
    mode: str = "interview",
    language: str | None = None,
    title: str | None = None,
    date: str | None = None,
    case: str | None = None,
    participants: int | None = None,
    speaker_pattern: str | None = None,
    force: bool = False,
) -> ImportReport:
    path = Path(path)
    if mode not in TRANSCRIPT_MODES:
        raise InvalidInput(f"unknown mode {mode!r}; choose one of {', '.join(TRANSCRIPT_MODES)}")
    if date is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise InvalidInput(f"date {date!r} is not in the form YYYY-MM-DD")
    pattern = _compile_pattern(speaker_pattern)
    decoded = read_plain(path)
    source_sha = hashlib.sha256(path.read_bytes()).hexdigest()
    text = decoded.text
    turns = find_turns(text, pattern)
    segment_spans = segments(text, turns)
    with project.database.read() as session:
        settings = project_repo.get_project(session)
    language = language or settings.language
    from qualcode import nlp  # spaCy loads only for imports

    units = list(
        nlp.sentence_spans(
            text,
            [(s, e) for s, e, _ in segment_spans],
            language,
            settings.settings.get("spacy_pipeline"),
        )
    )
    title = title or path.stem
    with project.database.write() as session:
        duplicate = transcript_repo.find_by_source_sha(session, source_sha)
        if duplicate is not None and not force:
            raise InvalidInput(
                f"{path.name} has the same content as transcript {duplicate.title!r} "
                "(import with --force to add it again)"
            )
        if transcript_repo.title_exists(session, title):
            if not force:
                raise InvalidInput(
                    f"a transcript titled {title!r} exists already; give another --title"
                )
            title = _free_title(session, title)
        version = transcript_repo.add_transcript(
            session,
            title=title,
            mode=mode,
            language=language,
            text=text,
            date=date,
            participants=participants,
            source_name=path.name,
            source_sha256=source_sha,
            encoding=decoded.encoding,
            case_name=case,
        )
        labels = [t.speaker_label for t in turns if t.speaker_label]
        transcript_repo.add_structure(
            session,
            version.transcript_id,
            version.version_id,
            turns=[
                NewTurn(t.start, t.end, t.speaker_label, t.timestamp_ms, t.verbatim) for t in turns
            ],
            segments=segment_spans,
            units=units,
            roles={label: infer_role(label) for label in labels},
        )
        events.record_event(
            session,
            action="transcript.import",
            entity="transcript",
            entity_id=version.transcript_id,
            coder_id=None,
            after={
                "title": title,
                "source_name": path.name,
                "source_sha256": source_sha,
                "length": len(text),
                "encoding": decoded.encoding,
            },
        )
        transcript = transcript_repo.resolve_transcript(session, version.transcript_id)
    return ImportReport(
        transcript=transcript,
        encoding=decoded.encoding,
        speakers=tuple(dict.fromkeys(labels)),
        turns=len(turns),
        units=len(units),
        warnings=(decoded.warning,) if decoded.warning else (),
    )


def _compile_pattern(source: str | None) -> re.Pattern[str] | None:
    if source is None:
        return None
    try:
        pattern = re.compile(source, re.MULTILINE)
    except re.error as exc:
        raise InvalidInput(f"--speaker-pattern {source!r} is not a valid regex: {exc}") from exc
    if "label" not in pattern.groupindex:
        raise InvalidInput("--speaker-pattern must have a named group (?P<label>...)")
    return pattern


def _free_title(session, title: str) -> str:
    n = 2
    while transcript_repo.title_exists(session, f"{title} ({n})"):
        n += 1
    return f"{title} ({n})"
