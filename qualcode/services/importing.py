"""Importing and revising transcripts: read, normalise, find turns and sentences, store.

The slow part (reading, repairs and sentence splitting) runs before the write
transaction; the transcript, its text, speakers, turns, segments, units and the event
are then stored in one transaction, so a failed import leaves the project unchanged.
A revision stores a new text version and carries every coding over to it.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from qualcode.domain.dates import check_date
from qualcode.domain.errors import InvalidInput, QualcodeError
from qualcode.domain.pdftext import dehyphenate, reflow
from qualcode.domain.reanchor import reanchor
from qualcode.domain.records import TRANSCRIPT_MODES, Transcript
from qualcode.domain.turns import FoundTurn, find_turns, infer_role, segments
from qualcode.domain.word_index import index_text
from qualcode.ingest.registry import read_transcript
from qualcode.services.project import Project
from qualcode.services.safe_pattern import compile_speaker_pattern
from qualcode.store.repositories import codings as coding_repo
from qualcode.store.repositories import collections as collection_repo
from qualcode.store.repositories import events
from qualcode.store.repositories import project as project_repo
from qualcode.store.repositories import transcripts as transcript_repo
from qualcode.store.repositories.transcripts import NewStructure, NewTranscript, NewTurn


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
    # the word index row: (forms, packed offsets); see domain.word_index
    words: tuple[str, bytes] | None = None

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
    read = read_file(path, None, pattern, repairs, mode)
    (ready,) = with_sentences([read], language, trained_pipeline(project))
    return ready


def read_file(
    path: Path, sha256: str | None, pattern: Any, repairs: Repairs, mode: str
) -> Prepared:
    """A file read, repaired and divided into turns and paragraph segments; its
    sentences come after (``with_sentences``), for many files at once. ``sha256`` is
    the digest of the file's bytes when the caller has it."""
    read = read_transcript(path)  # first: it names a missing or unreadable file
    if sha256 is None:
        sha256 = file_sha256(path)
    text, transformations = _repair(read.text, repairs)
    return analyse_text(
        text,
        document=mode == "document",
        # Word and OpenDocument files have no text encoding: record their format
        encoding=read.encoding or read.source_format,
        source_name=path.name,
        source_sha256=sha256,
        pattern=pattern,
        confirmed_speakers=read.confirmed_speakers,
        warnings=read.warnings,
        transformations=transformations,
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
    analysed = analyse_text(
        text,
        encoding=encoding,
        source_name=source_name,
        source_sha256=source_sha256,
        pattern=pattern,
        confirmed_speakers=confirmed_speakers,
        warnings=warnings,
        transformations=transformations,
        document=document,
    )
    (ready,) = with_sentences([analysed], language, trained)
    return ready


def analyse_text(
    text: str,
    *,
    encoding: str,
    source_name: str,
    source_sha256: str,
    pattern: Any = None,
    confirmed_speakers: frozenset[str] = frozenset(),
    warnings: tuple[str, ...] = (),
    transformations: dict[str, Any] | None = None,
    document: bool = False,
) -> Prepared:
    """Turns and paragraph segments of a canonical text; no sentences yet."""
    turns = find_turns(text, pattern, confirmed_speakers, document=document)
    return Prepared(
        text=text,
        encoding=encoding,
        source_name=source_name,
        source_sha256=source_sha256,
        turns=turns,
        segments=segments(text, turns),
        units=[],
        warnings=warnings,
        transformations=transformations or {},
    )


def with_sentences(
    analysed: Sequence[Prepared], language: str, trained: str | None
) -> list[Prepared]:
    """``analysed`` texts with their sentence units, found in one pass over all their
    paragraph segments (spaCy loads only for imports), and their word index (forms
    and offsets; no lemmatizer: see ``services.lemmas``)."""
    from qualcode import nlp

    found = nlp.sentence_spans_of(
        [(ready.text, [(s, e) for s, e, _ in ready.segments]) for ready in analysed],
        language,
        trained,
    )
    return [
        replace(ready, units=units, words=index_text(ready.text))
        for ready, units in zip(analysed, found, strict=True)
    ]


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
        words=ready.words,
    )


def store_structure(session: Session, transcript_id: int, version_id: int, ready: Prepared) -> None:
    transcript_repo.add_structures(session, [new_structure(transcript_id, version_id, ready)])


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """How files are imported: the same for every file of a folder."""

    mode: str = "interview"
    language: str | None = None
    date: str | None = None
    case: str | None = None
    participants: int | None = None
    speaker_pattern: str | None = None
    repairs: Repairs = Repairs()


def checked_options(project: Project, options: ImportOptions) -> ImportOptions:
    """``options`` with the mode and date checked and the project's language filled in."""
    if options.mode not in TRANSCRIPT_MODES:
        raise InvalidInput(
            f"unknown mode {options.mode!r}; choose one of {', '.join(TRANSCRIPT_MODES)}"
        )
    date = check_date(options.date, "--date") if options.date is not None else None
    return replace(options, date=date, language=options.language or project.language)


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
    options = checked_options(
        project,
        ImportOptions(mode, language, date, case, participants, speaker_pattern, repairs),
    )
    if not force:
        _refuse_duplicate(project, path)
    assert options.language is not None
    ready = _prepare(project, path, options.language, speaker_pattern, repairs, mode)
    with project.database.write() as session:
        (stored,) = store_imports(session, [(ready, title or path.stem)], options, force=force)
    if isinstance(stored, QualcodeError):
        raise stored
    assert isinstance(stored, ImportReport)
    return stored


def store_imports(
    session: Session,
    batch: Sequence[tuple[Prepared, str]],
    options: ImportOptions,
    *,
    force: bool,
    seen: dict[str, str] | None = None,
) -> list[ImportReport | QualcodeError | str]:
    """Store prepared texts under their titles in the caller's transaction, one
    ``transcript.import`` event each: for each, its report, or why it was not stored
    (an error; or, when ``seen`` maps the file digests of this import to their titles,
    the title of an earlier file with the same bytes). Rows of many texts go in one
    ``executemany`` per table."""
    transcript_repo.release_cache(session)
    digests = [ready.source_sha256 for ready, _ in batch]
    in_store = {} if force else transcript_repo.titles_by_source_sha(session, digests)
    taken = transcript_repo.titles_taken(session, [title for _, title in batch])
    outcomes: list[ImportReport | QualcodeError | str | None] = [None] * len(batch)
    accepted: list[tuple[int, Prepared, str]] = []
    for index, (ready, title) in enumerate(batch):
        digest = ready.source_sha256
        if not force and seen is not None and digest in seen:
            outcomes[index] = seen[digest]
            continue
        if not force and digest in in_store:
            outcomes[index] = InvalidInput(
                f"{ready.source_name} has the same content as transcript {in_store[digest]!r} "
                "(add --force to import it again)"
            )
            continue
        if title in taken:
            if not force:
                outcomes[index] = InvalidInput(
                    f"a transcript titled {title!r} exists already; give another --title"
                )
                continue
            title = _free_title(session, title, taken)
        taken.add(title)
        if seen is not None:
            seen[digest] = title
        accepted.append((index, ready, title))
    versions = transcript_repo.add_transcripts(
        session,
        [
            NewTranscript(
                title=title,
                mode=options.mode,
                language=options.language or "",
                text=ready.text,
                date=options.date,
                participants=options.participants,
                source_name=ready.source_name,
                source_sha256=ready.source_sha256,
                encoding=ready.encoding,
                transformations=ready.transformations,
                case_name=options.case,
            )
            for _, ready, title in accepted
        ],
    )
    transcript_repo.add_structures(
        session,
        [
            new_structure(version.transcript_id, version.version_id, ready)
            for version, (_, ready, _) in zip(versions, accepted, strict=True)
        ],
    )
    for version, (_, ready, title) in zip(versions, accepted, strict=True):
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
    transcripts = transcript_repo.transcripts_by_id(
        session, [version.transcript_id for version in versions]
    )
    for version, (index, ready, _) in zip(versions, accepted, strict=True):
        outcomes[index] = ImportReport(
            transcripts[version.transcript_id],
            ready.encoding,
            ready.speaker_labels,
            len(ready.turns),
            len(ready.units),
            ready.warnings,
            transformations=ready.transformations,
        )
    return [outcome for outcome in outcomes if outcome is not None]


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
        digest = file_sha256(path)
    except OSError:
        return None  # the reader reports unreadable files with the right message
    with project.database.read() as session:
        return transcript_repo.find_by_source_sha(session, digest)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read a block at a time (a huge file given by
    mistake is hashed without being held in memory). Only a regular file is opened
    (a named pipe would block): anything else is an ``OSError`` for the reader to name."""
    if not path.is_file():
        raise OSError(f"{path} is not a regular file")
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


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


def _free_title(session: Session, title: str, taken: Collection[str] = ()) -> str:
    """``title (2)``, ``title (3)``… the first no transcript has (nor one of ``taken``,
    the titles given earlier in the same import)."""
    n = 2
    while f"{title} ({n})" in taken or transcript_repo.title_exists(session, f"{title} ({n})"):
        n += 1
    return f"{title} ({n})"
