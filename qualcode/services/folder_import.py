"""Importing every supported transcript file in a folder, one transaction per file.

``plan_folder`` decides what will be imported before anything is read, so a front end
can show a progress bar of the right length and list what it leaves out; then
``import_folder`` imports each file through ``import_file`` (its own transaction), so
a bad file is reported and the others stay imported. spaCy's pipeline is cached in
``qualcode.nlp``, so it loads once for the whole folder.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qualcode.domain.errors import InvalidInput, QualcodeError
from qualcode.ingest.registry import SUPPORTED_EXTENSIONS
from qualcode.services.importing import ImportReport, already_imported, import_file
from qualcode.services.project import Project


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


def import_folder(
    project: Project,
    plan: FolderPlan,
    *,
    force: bool = False,
    progress: Callable[[PlannedFile], None] | None = None,
    **options: Any,
) -> FolderImport:
    """Import the planned files one transaction each; ``options`` go to ``import_file``.

    A file whose content is already in the project is skipped (say ``force`` to add it
    again); a file that cannot be imported is listed with its error and the rest go on.
    ``progress`` is called after each file.
    """
    imported: list[tuple[Path, ImportReport]] = []
    skipped = list(plan.skipped)
    failed: list[tuple[Path, str]] = []
    for planned in plan.files:
        duplicate = None if force else already_imported(project, planned.path)
        if duplicate is not None:
            skipped.append((planned.path, f"already imported as {duplicate.title!r}"))
        else:
            try:
                report = import_file(
                    project, planned.path, title=planned.title, force=force, **options
                )
            except QualcodeError as exc:
                failed.append((planned.path, str(exc)))
            else:
                imported.append((planned.path, report))
        if progress is not None:
            progress(planned)
    return FolderImport(tuple(imported), tuple(skipped), tuple(failed))
