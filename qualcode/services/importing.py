"""Importing and revising transcripts: read, normalise, find turns and sentences, store.

The slow part (reading, repairs and sentence splitting) runs before the write
transaction; the transcript, its text, speakers, turns, segments, units and the event
are then stored in one transaction, so a failed import leaves the project unchanged.
A revision stores a new text version and carries every coding over to it.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from qualcode.domain.dates import check_date
from qualcode.domain.errors import InvalidInput
from qualcode.domain.pdftext import dehyphenate, reflow
from qualcode.domain.reanchor import reanchor
from qualcode.domain.records import TRANSCRIPT_MODES, Transcript
from qualcode.domain.turns import FoundTurn, find_turns, infer_role, segments
from qualcode.ingest.registry import read_transcript
from qualcode.services.project import Project
from qualcode.services.safe_pattern import compile_speaker_pattern
from qualcode.store.repositories import codings as coding_repo
from qualcode.store.repositories import collections as collection_repo
from qualcode.store.repositories import events
from qualcode.store.repositories import project as project_repo
from qualcode.store.repositories import transcripts as transcript_repo
from qualcode.store.repositories.transcripts import NewStructure, NewTurn


@dataclass(frozen=True, slots=True)
class ImportReport:
    transcript: Transcript
    encoding: str
    speakers: tuple[str, ...]
    turns: int
    units: int
    warnings: tuple[str, ...]
    # for a revision: how the codings were placed ({"exact": 12, "changed": 1, ...})
    placements: dict[str, int] = field(default_factory=dict)
    # opt-in repairs and how much each changed, e.g. {"dehyphenate": 9, "reflow": 40}
    transformations: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A file read, repaired and analysed, ready to store."""

    text: str
    encoding: str
    source_name: str
    source_sha256: str
    turns: list[FoundTurn]
    segments: list[tuple[int, int, int | None]]
    units: list[tuple[int, int]]
    warnings: tuple[str, ...]
    transformations: dict[str, Any]

    @property
    def speaker_labels(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.speaker_label for t in self.turns if t.speaker_label))


@dataclass(frozen=True, slots=True)
class Repairs:
    """Opt-in changes to the words of text copied out of a PDF (recorded with the text)."""

    dehyphenate: bool = False
    reflow: bool = False


def _repair(text: str, repairs: Repairs) -> tuple[str, dict[str, Any]]:
    done: dict[str, Any] = {}
    # dehyphenate first: reflow leaves a line ending in a hyphen alone
    if repairs.dehyphenate:
        text, done["dehyphenate"] = dehyphenate(text)
    if repairs.reflow:
        text, done["reflow"] = reflow(text)
    return text, done


def _prepare(
    project: Project,
    path: Path,
    language: str,
    speaker_pattern: str | None,
    repairs: Repairs,
    mode: str,
) -> Prepared:
    pattern = _compile_pattern(speaker_pattern)
    read = read_transcript(path)
    text, transformations = _repair(read.text, repairs)
    return prepare_text(
        project,
        text,
        language=language,
        document=mode == "document",
        # Word and OpenDocument files have no text encoding: record their format
        encoding=read.encoding or read.source_format,
        source_name=path.name,
        source_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        pattern=pattern,
        confirmed_speakers=read.confirmed_speakers,
        warnings=read.warnings,
        transformations=transformations,
        trained=trained_pipeline(project),
    )


def trained_pipeline(project: Project) -> str | None:
    """The trained spaCy pipeline the project's settings name, if any."""
    with project.database.read() as session:
        trained = project_repo.get_project(session).settings.get("spacy_pipeline")
    return str(trained) if trained else None


def prepare_text(
    project: Project,
    text: str,
    *,
    language: str,
    encoding: str,
    source_name: str,
    source_sha256: str,
    pattern: Any = None,  # a compiled speaker pattern (RE2 or re), see _compile_pattern
    confirmed_speakers: frozenset[str] = frozenset(),
    warnings: tuple[str, ...] = (),
    transformations: dict[str, Any] | None = None,
    trained: str | None = None,
    document: bool = False,
) -> Prepared:
    """Turns, paragraphs and sentences of a canonical text read by any importer
    (a transcript file, a REFI-QDA source), before the write transaction.
    ``trained`` is the project's spaCy pipeline setting (see ``trained_pipeline``);
    ``document`` asks for the stricter speaker rule of ``--mode document``."""
    turns = find_turns(text, pattern, confirmed_speakers, document=document)
    segment_spans = segments(text, turns)
    from qualcode import nlp  # spaCy loads only for imports

    units = list(nlp.sentence_spans(text, [(s, e) for s, e, _ in segment_spans], language, trained))
    return Prepared(
        text=text,
        encoding=encoding,
        source_name=source_name,
        source_sha256=source_sha256,
        turns=turns,
        segments=segment_spans,
        units=units,
        warnings=warnings,
        transformations=transformations or {},
    )


def new_structure(transcript_id: int, version_id: int, ready: Prepared) -> NewStructure:
    """What ``add_structures`` stores for a prepared text: turns, segments, units."""
    return NewStructure(
        transcript_id,
        version_id,
        turns=[
            NewTurn(t.start, t.end, t.speaker_label, t.timestamp_ms, t.verbatim)
            for t in ready.turns
        ],
        segments=ready.segments,
        units=ready.units,
        roles={label: infer_role(label) for label in ready.speaker_labels},
    )


def store_structure(session: Session, transcript_id: int, version_id: int, ready: Prepared) -> None:
    transcript_repo.add_structures(session, [new_structure(transcript_id, version_id, ready)])


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
    repairs: Repairs = Repairs(),
    force: bool = False,
) -> ImportReport:
    """Add a transcript; the same content twice is refused unless ``force``."""
    path = Path(path)
    if mode not in TRANSCRIPT_MODES:
        raise InvalidInput(f"unknown mode {mode!r}; choose one of {', '.join(TRANSCRIPT_MODES)}")
    if date is not None:
        date = check_date(date, "--date")
    language = language or project.language
    if not force:
        _refuse_duplicate(project, path)
    ready = _prepare(project, path, language, speaker_pattern, repairs, mode)
    title = title or path.stem
    with project.database.write() as session:
        duplicate = transcript_repo.find_by_source_sha(session, ready.source_sha256)
        if duplicate is not None and not force:
            raise InvalidInput(
                f"{path.name} has the same content as transcript {duplicate.title!r} "
                "(add --force to import it again)"
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
            text=ready.text,
            date=date,
            participants=participants,
            source_name=ready.source_name,
            source_sha256=ready.source_sha256,
            encoding=ready.encoding,
            transformations=ready.transformations,
            case_name=case,
        )
        store_structure(session, version.transcript_id, version.version_id, ready)
        events.record_event(
            session,
            action="transcript.import",
            entity="transcript",
            entity_id=version.transcript_id,
            coder_id=None,
            after={
                "title": title,
                "source_name": ready.source_name,
                "source_sha256": ready.source_sha256,
                "length": len(ready.text),
                "encoding": ready.encoding,
                "transformations": ready.transformations,
            },
        )
        transcript = transcript_repo.resolve_transcript(session, version.transcript_id)
    return ImportReport(
        transcript,
        ready.encoding,
        ready.speaker_labels,
        len(ready.turns),
        len(ready.units),
        ready.warnings,
        transformations=ready.transformations,
    )


def revise_transcript(
    project: Project,
    transcript: str | int,
    path: str | Path,
    *,
    speaker_pattern: str | None = None,
    repairs: Repairs = Repairs(),
) -> ImportReport:
    """Store ``path`` as the next text version of ``transcript`` and carry every coding
    over; a coding that cannot be placed exactly is flagged ``needs_review``."""
    path = Path(path)
    with project.database.read() as session:
        current = transcript_repo.resolve_transcript(session, transcript)
    ready = _prepare(project, path, current.language, speaker_pattern, repairs, current.mode)
    with project.database.write() as session:
        old = transcript_repo.current_version(session, current.id)
        if old.text == ready.text:
            raise InvalidInput(f"{path.name} has the same text as {current.title!r} already")
        version_id = transcript_repo.add_version(
            session,
            current.id,
            text=ready.text,
            encoding=ready.encoding,
            transformations=ready.transformations,
            source_name=ready.source_name,
            source_sha256=ready.source_sha256,
        )
        store_structure(session, current.id, version_id, ready)
        carried = coding_repo.in_version(session, old.version_id)
        placed = reanchor(old.text, ready.text, [(c.start, c.end, c.quote) for c in carried])
        for coding, anchored in zip(carried, placed, strict=True):
            coding_repo.move_to_version(
                session,
                coding.id,
                version_id=version_id,
                start=anchored.start,
                end=anchored.end,
                needs_review=coding.needs_review or anchored.needs_review,
            )
        # quotes saved in collections follow their words too
        items = collection_repo.in_version(session, old.version_id)
        for (item_id, *_), anchored in zip(
            items, reanchor(old.text, ready.text, [(s, e, q) for _, s, e, q in items]), strict=True
        ):
            collection_repo.update_item(
                session, item_id, version_id=version_id, start=anchored.start, end=anchored.end
            )
        placements = dict(Counter(a.placement.value for a in placed))
        events.record_event(
            session,
            action="transcript.revise",
            entity="transcript",
            entity_id=current.id,
            coder_id=None,
            before={"version": current.version, "source_sha256": current.source_sha256},
            after={
                "version": current.version + 1,
                "source_name": ready.source_name,
                "source_sha256": ready.source_sha256,
                "placements": placements,
                "moved": [
                    {
                        "id": c.id,
                        "from": [c.start, c.end],
                        "to": [a.start, a.end],
                        "placement": a.placement.value,
                    }
                    for c, a in zip(carried, placed, strict=True)
                    if (c.start, c.end) != (a.start, a.end) or a.needs_review
                ],
            },
        )
        revised = transcript_repo.resolve_transcript(session, current.id)
    return ImportReport(
        revised,
        ready.encoding,
        ready.speaker_labels,
        len(ready.turns),
        len(ready.units),
        ready.warnings,
        placements,
        ready.transformations,
    )


def already_imported(project: Project, path: Path) -> Transcript | None:
    """The transcript imported from a file with the same bytes as ``path``, if any."""
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None  # the reader reports unreadable files with the right message
    with project.database.read() as session:
        return transcript_repo.find_by_source_sha(session, digest)


def _refuse_duplicate(project: Project, path: Path) -> None:
    """Refuse a file already imported, before the slow reading and sentence splitting."""
    duplicate = already_imported(project, path)
    if duplicate is not None:
        raise InvalidInput(
            f"{path.name} has the same content as transcript {duplicate.title!r} "
            "(add --force to import it again)"
        )


def _compile_pattern(source: str | None) -> Any:
    return compile_speaker_pattern(source)


def _free_title(session: Session, title: str) -> str:
    n = 2
    while transcript_repo.title_exists(session, f"{title} ({n})"):
        n += 1
    return f"{title} ({n})"
