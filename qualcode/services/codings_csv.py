"""Importing codings made elsewhere, from a CSV file (see docs/cli.md, "Codings CSV").

Columns ``transcript,coder,code,start,end[,memo]`` with a header row; ``transcript``
is an id or a title. Every row is checked before anything is written: a bad row is
reported with its line number, and by default one bad row means nothing is imported
(``skip_bad`` imports the good rows and reports the rest). The rows are checked
outside the write transaction; the write is one short transaction (a bulk insert)
and one event, so other coders wait milliseconds, and an import is all or nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from qualcode.domain.errors import InvalidInput, NotFound, QualcodeError
from qualcode.domain.text import DecodeError, decode_bytes
from qualcode.services.coders import ensure_coder
from qualcode.services.placement import check_span, existing_placements, insert_codings
from qualcode.services.project import Project
from qualcode.store.repositories import coders as coder_repo
from qualcode.store.repositories import codes as code_repo
from qualcode.store.repositories import events
from qualcode.store.repositories import memos as memo_repo
from qualcode.store.repositories import transcripts as transcript_repo
from qualcode.store.repositories.transcripts import CurrentVersion

REQUIRED = ("transcript", "coder", "code", "start", "end")
MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    version: CurrentVersion
    code_id: int
    coder: str
    start: int
    end: int
    memo: str | None


@dataclass(frozen=True, slots=True)
class CsvImportReport:
    imported: int
    coders_created: tuple[str, ...]
    skipped: tuple[str, ...]  # "line N: reason" for each bad row left out


def import_codings_csv(
    project: Project, path: str | Path, *, skip_bad: bool = False
) -> CsvImportReport:
    path = Path(path)
    rows = _read_rows(path)
    # Check every row in a read transaction, so the write transaction (which holds the
    # database's write lock) only inserts; the log mark tells whether anything changed
    # in between, and if so the rows are checked again under the lock.
    with project.database.read() as session:
        mark = events.log_mark(session)
        good, bad = _check_rows(session, rows)
    _refuse_bad(path, bad, skip_bad)
    with project.database.write() as session:
        if events.log_mark(session) != mark:
            good, bad = _check_rows(session, rows)
            _refuse_bad(path, bad, skip_bad)
        existing = {coder.name for coder in coder_repo.list_coders(session)}
        created = tuple(sorted({row.coder for row in good} - existing))
        coder_ids = {name: ensure_coder(session, name).id for name in {r.coder for r in good}}
        snapshots = insert_codings(
            session,
            [(r.version, r.code_id, coder_ids[r.coder], r.start, r.end) for r in good],
        )
        ids = [snapshot["id"] for snapshot in snapshots]
        memo_repo.add_coding_memos(
            session,
            [
                (coding_id, row.memo, coder_ids[row.coder])
                for coding_id, row in zip(ids, good, strict=True)
                if row.memo
            ],
        )
        events.record_event(
            session,
            action="codings.import",
            entity="coding",
            entity_id=None,
            coder_id=None,
            after={"file": path.name, "coding_ids": ids, "skipped": bad},
        )
    return CsvImportReport(len(ids), created, tuple(bad))


def _refuse_bad(path: Path, bad: list[str], skip_bad: bool) -> None:
    if bad and not skip_bad:
        shown = "\n".join(f"  {problem}" for problem in bad[:20])
        more = f"\n  … and {len(bad) - 20} more" if len(bad) > 20 else ""
        raise InvalidInput(
            f"{path.name}: {len(bad)} bad row{'s' if len(bad) > 1 else ''}, nothing imported "
            f"(use --skip-bad to import the good rows):\n{shown}{more}"
        )


def _read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InvalidInput(f"{path.name} is larger than 50 MB; refused")
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InvalidInput(f"{path} does not exist") from exc
    except IsADirectoryError as exc:
        raise InvalidInput(f"{path} is a folder, not a file") from exc
    try:
        text = decode_bytes(data, path.name).text
    except DecodeError as exc:
        raise InvalidInput(str(exc)) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if len(header) == 1 and any(sep in header[0] for sep in ";\t|"):
        found = next(sep for sep in ";\t|" if sep in header[0])
        raise InvalidInput(
            f"{path.name}: the columns are separated by {found!r}; qualcode reads "
            "comma-separated files (save as CSV with commas)"
        )
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise InvalidInput(
            f"{path.name}: line 1 (the header) lacks the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}; expected {','.join(REQUIRED)}[,memo]"
        )
    reader.fieldnames = header
    return [(reader.line_num, row) for row in reader]


def _check_rows(
    session: Session, rows: list[tuple[int, dict[str, str]]]
) -> tuple[list[_Row], list[str]]:
    """Every row checked by the placement rule, with transcripts, codes and coders
    looked up once per file and the stored codings of the named transcripts read in
    one query (not a query per row)."""
    versions = _versions(session, {(raw.get("transcript") or "").strip() for _, raw in rows})
    codes = {code.key: code for code in code_repo.list_codes(session)}
    coders = {coder.name: coder.id for coder in coder_repo.list_coders(session)}
    stored = existing_placements(
        session, [v for v in versions.values() if isinstance(v, CurrentVersion)]
    )
    good: list[_Row] = []
    bad: list[str] = []
    seen: set[tuple[int, int, str, int, int]] = set()
    for line, raw in rows:
        try:
            values = {k: (v or "").strip() for k, v in raw.items() if k}
            if None in raw:
                raise InvalidInput("has more columns than the header")
            version = versions[values["transcript"]]
            if isinstance(version, QualcodeError):
                raise version
            code = codes.get(values["code"])
            if code is None:
                raise InvalidInput(f"unknown code {values['code']!r}")
            if not values["coder"]:
                raise InvalidInput("the coder is empty")
            start, end = _int(values["start"], "start"), _int(values["end"], "end")
            check_span(version, code, start, end)
            coder_id = coders.get(values["coder"])
            key = (version.version_id, code.id, values["coder"], start, end)
            if key in seen or (
                coder_id is not None
                and (version.version_id, code.id, coder_id, start, end) in stored
            ):
                raise InvalidInput(f"{values['coder']} already has this coding")
            seen.add(key)
            good.append(
                _Row(
                    line, version, code.id, values["coder"], start, end, values.get("memo") or None
                )
            )
        except QualcodeError as exc:
            bad.append(f"line {line}: {exc}")
    return good, bad


def _versions(session: Session, refs: set[str]) -> dict[str, CurrentVersion | QualcodeError]:
    """Each transcript the file names, resolved once (or the error its rows report)."""
    found = transcript_repo.resolve_current_versions(session, refs)
    return {
        ref: found.get(ref) or NotFound(f"no transcript with id or title {ref!r}") for ref in refs
    }


def _int(value: str, column: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise InvalidInput(f"{column} {value!r} is not a whole number") from None
