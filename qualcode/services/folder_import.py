"""Importing every supported transcript file in a folder, a bad file failing alone.

``plan_folder`` decides what will be imported before anything is read, so a front end
can show a progress bar of the right length and list what it leaves out; then
``import_folder`` imports the files in batches: a batch's files are read and divided
into turns, their sentences found in one pass of the tokenizer over every paragraph,
and the batch stored in one transaction (one ``transcript.import`` event per file, as
for one file). A file that cannot be read, or whose title or content is taken, is
listed with its error and the others go on; if storing a batch fails, its files are
stored again one transaction each, so the error names its file and nothing of it is
half-written.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any

from qualcode.domain.errors import InvalidInput, QualcodeError
from qualcode.ingest.registry import SUPPORTED_EXTENSIONS
from qualcode.services.importing import (
    ImportOptions,
    ImportReport,
    Prepared,
    checked_options,
    file_sha256,
    read_file,
    store_imports,
    trained_pipeline,
    with_sentences,
)
from qualcode.services.project import Project
from qualcode.services.safe_pattern import compile_speaker_pattern
from qualcode.store.repositories import transcripts as transcript_repo


@dataclass(frozen=True, slots=True)
class PlannedFile:
    path: Path
    title: str


@dataclass(frozen=True, slots=True)
class FolderPlan:
    """The files a folder import will read, and those it leaves out with the reason."""

    folder: Path
    files: tuple[PlannedFile, ...]
    skipped: tuple[tuple[Path, str], ...]


@dataclass(frozen=True, slots=True)
class FolderImport:
    imported: tuple[tuple[Path, ImportReport], ...]
    skipped: tuple[tuple[Path, str], ...]
    failed: tuple[tuple[Path, str], ...]


def plan_folder(folder: str | Path, *, recursive: bool = False, pattern: str = "*") -> FolderPlan:
    """Every file in ``folder`` matching ``pattern`` (in subfolders too when
    ``recursive``), in name order; unsupported, hidden and editor lock files are
    skipped with the reason."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InvalidInput(f"{folder} is not a folder")
    found = folder.rglob(pattern) if recursive else folder.glob(pattern)
    paths = sorted(p for p in found if p.is_file())
    if not paths:
        where = f"{folder} or its subfolders" if recursive else str(folder)
        raise InvalidInput(f"no files matching {pattern!r} in {where}")
    files: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for path in paths:
        relative = path.relative_to(folder)
        if any(part.startswith((".", "~$")) for part in relative.parts):
            skipped.append((path, "hidden or temporary file"))
        elif path.suffix.lower() not in SUPPORTED_EXTENSIONS:
            skipped.append((path, f"unsupported file type {path.suffix or '(none)'}"))
        else:
            files.append(path)
    return FolderPlan(folder, _titled(folder, files), tuple(skipped))


def _titled(folder: Path, files: list[Path]) -> tuple[PlannedFile, ...]:
    """Titles are file names without extension, as for one file; files of the folder
    that share one (notes.txt and notes.vtt, a/x.txt and b/x.txt) get their path in
    the folder instead, so none is refused for a title taken by its neighbour."""
    stems = Counter(path.stem for path in files)
    return tuple(
        PlannedFile(
            path,
            path.stem if stems[path.stem] == 1 else path.relative_to(folder).as_posix(),
        )
        for path in files
    )


# files per batch: stored in one transaction, sentences found in one pass; bounded
# by size as well, so a folder of long files does not hold all of them in memory
BATCH_FILES = 250
BATCH_BYTES = 2_000_000
# read the next batch in a second process: None decides by the machine's load
READ_AHEAD: bool | None = None


def import_folder(
    project: Project,
    plan: FolderPlan,
    *,
    force: bool = False,
    progress: Callable[[PlannedFile], None] | None = None,
    **options: Any,
) -> FolderImport:
    """Import the planned files; ``options`` are those of ``import_file``.

    A file whose content is already in the project (or in an earlier file of this
    folder) is skipped (say ``force`` to add it again); a file that cannot be imported
    is listed with its error and the rest go on. ``progress`` is called after each
    file.
    """
    imported: list[tuple[Path, ImportReport]] = []
    skipped = list(plan.skipped)
    failed: list[tuple[Path, str]] = []
    digests = {planned.path: _digest(planned.path) for planned in plan.files}
    with project.database.read() as session:
        in_store = (
            {}
            if force
            else transcript_repo.titles_by_source_sha(session, [d for d in digests.values() if d])
        )
    todo: list[PlannedFile] = []
    for planned in plan.files:
        digest = digests[planned.path]
        if digest is not None and digest in in_store:
            skipped.append((planned.path, f"already imported as {in_store[digest]!r}"))
            _tell(progress, planned)
        else:
            todo.append(planned)
    try:
        checked = checked_options(project, ImportOptions(**options))
    except QualcodeError as exc:
        for planned in todo:
            failed.append((planned.path, str(exc)))
            _tell(progress, planned)
        return FolderImport(tuple(imported), tuple(skipped), tuple(failed))
    read = partial(_read_batch, digests=digests, options=checked, trained=trained_pipeline(project))
    seen: dict[str, str] = {}  # digest -> title of the files imported so far
    for batch, outcomes in _read_ahead(list(_batches(todo)), read):
        ready: list[tuple[PlannedFile, Prepared]] = []
        for planned, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, QualcodeError):
                failed.append((planned.path, str(outcome)))
            else:
                ready.append((planned, outcome))
        for (planned, _), stored in zip(
            ready, _store(project, ready, checked, force, seen), strict=True
        ):
            if isinstance(stored, ImportReport):
                imported.append((planned.path, stored))
            elif isinstance(stored, QualcodeError):
                failed.append((planned.path, str(stored)))
            else:
                skipped.append((planned.path, f"already imported as {stored!r}"))
        for planned in batch:
            _tell(progress, planned)
    return FolderImport(tuple(imported), tuple(skipped), tuple(failed))


def _digest(path: Path) -> str | None:
    try:
        return file_sha256(path)
    except OSError:
        return None  # the reader reports unreadable files with the right message


def _tell(progress: Callable[[PlannedFile], None] | None, planned: PlannedFile) -> None:
    if progress is not None:
        progress(planned)


def _batches(files: list[PlannedFile]) -> Iterator[list[PlannedFile]]:
    batch: list[PlannedFile] = []
    size = 0
    for planned in files:
        batch.append(planned)
        with suppress(OSError):  # the reader reports a file that is gone
            size += planned.path.stat().st_size
        if len(batch) >= BATCH_FILES or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _read_ahead(
    batches: list[list[PlannedFile]],
    read: Callable[[list[PlannedFile]], list[Prepared | QualcodeError]],
) -> Iterator[tuple[list[PlannedFile], list[Prepared | QualcodeError]]]:
    """Each batch with what ``read`` made of it. With two batches or more and an idle
    core, a second process reads (and splits into sentences) the next batch while this one
    stores the last: the two halves of an import take about as long each. The worker
    is a fork, so it starts with spaCy loaded and holds only one batch at a time."""
    if len(batches) < 2 or not _read_ahead_helps():
        for batch in batches:
            yield batch, read(batch)
        return
    read([])  # spaCy loaded once, before the fork, for both processes
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("fork")) as worker:
        ahead = worker.submit(read, batches[0])
        for batch, following in zip(batches, [*batches[1:], None], strict=True):
            outcomes = ahead.result()
            if following is not None:
                ahead = worker.submit(read, following)
            yield batch, outcomes


def _read_ahead_helps() -> bool:
    """Whether a second process is worth starting: a core is idle. Measured on two
    cores shared with other work (load 4), the two processes took longer than one
    (pickling the batches, and the cores were busy anyway)."""
    if READ_AHEAD is not None:
        return READ_AHEAD and "fork" in get_all_start_methods()
    cores = os.cpu_count() or 1
    return cores >= 2 and os.getloadavg()[0] <= cores - 1 and "fork" in get_all_start_methods()


def _read_batch(
    batch: list[PlannedFile],
    *,
    digests: dict[Path, str | None],
    options: ImportOptions,
    trained: str | None,
) -> list[Prepared | QualcodeError]:
    """Each file read and analysed, or the error that stops it; sentences of the
    files read found together."""
    outcomes: list[Prepared | QualcodeError] = []
    for planned in batch:
        try:
            pattern = compile_speaker_pattern(options.speaker_pattern)
            digest = digests[planned.path] or ""
            outcomes.append(read_file(planned.path, digest, pattern, options.repairs, options.mode))
        except QualcodeError as exc:
            outcomes.append(exc)
    read = [outcome for outcome in outcomes if isinstance(outcome, Prepared)]
    assert options.language is not None
    try:
        with_units = iter(with_sentences(read, options.language, trained))
    except QualcodeError as exc:  # no pipeline for the language: every file fails
        return [exc for _ in outcomes]
    return [next(with_units) if isinstance(o, Prepared) else o for o in outcomes]


def _store(
    project: Project,
    ready: list[tuple[PlannedFile, Prepared]],
    options: ImportOptions,
    force: bool,
    seen: dict[str, str],
) -> list[ImportReport | QualcodeError | str]:
    """Store a batch in one transaction; if that fails, each file in its own."""
    batch = [(prepared, planned.title) for planned, prepared in ready]
    if not batch:
        return []
    before = dict(seen)
    try:
        with project.database.write() as session:
            return store_imports(session, batch, options, force=force, seen=seen)
    except QualcodeError as exc:
        seen.clear()
        seen.update(before)  # nothing of the batch was stored
        if len(batch) == 1:
            return [exc]
    outcomes: list[ImportReport | QualcodeError | str] = []
    for item in batch:
        try:
            with project.database.write() as session:
                outcomes += store_imports(session, [item], options, force=force, seen=seen)
        except QualcodeError as exc:
            outcomes.append(exc)
    return outcomes
