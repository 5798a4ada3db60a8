"""Importing codings made elsewhere, from a CSV or Excel file (docs/cli.md, "Codings CSV").

Columns ``transcript,coder,code,start,end[,memo][,quote]`` with a header row, or
``transcript,coder,code,quote[,occurrence][,memo]`` to place a coding by its words;
``transcript`` is an id or a title. The CSV may be separated by commas, semicolons
(as Swedish Excel saves it) or tabs: the header line tells which. A row with offsets
and a quote takes the quote as a check; a row with only a quote is placed where the
quote occurs (whole words, as ``qualcode code --quote``), and a quote that occurs
nowhere or more than once without an ``occurrence`` is a bad row. A CSV text cell
that ``qualcode codings`` neutralised against spreadsheet formulas (a leading
apostrophe before ``= + - @``) loses that apostrophe on the way in. Every row is
checked before anything is written: a bad row is reported with its line number, and
by default one bad row means nothing is imported (``skip_bad`` imports the good rows
and reports the rest). The rows are checked outside the write transaction; the write
is one short transaction (a bulk insert) and one event, so other coders wait
milliseconds, and an import is all or nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from qualcode.domain.coding_table import restored
from qualcode.domain.errors import InvalidInput, NotFound, QualcodeError
from qualcode.domain.text import DecodeError, decode_bytes
from qualcode.services.coders import ensure_coder
from qualcode.services.locate import find_quote
from qualcode.services.placement import check_span, existing_placements, insert_codings
from qualcode.services.project import Project
from qualcode.store.repositories import coders as coder_repo
from qualcode.store.repositories import codes as code_repo
from qualcode.store.repositories import events
from qualcode.store.repositories import memos as memo_repo
from qualcode.store.repositories import transcripts as transcript_repo
from qualcode.store.repositories.transcripts import CurrentVersion

REQUIRED = ("transcript", "coder", "code")
TEXT_COLUMNS = ("transcript", "coder", "code", "memo", "quote")
SEPARATORS = (",", ";", "\t")
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
    if path.suffix.lower() == ".xlsx":
        header, rows = _xlsx_rows(path, data)
    else:
        header, rows = _csv_rows(path, data)
    missing = [name for name in REQUIRED if name not in header]
    if not missing and "quote" not in header:
        missing = [name for name in ("start", "end") if name not in header]
    if missing:
        raise InvalidInput(
            f"{path.name}: line 1 (the header) lacks the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}; expected {','.join(REQUIRED)},start,end[,memo][,quote] "
            f"or {','.join(REQUIRED)},quote[,occurrence][,memo]"
        )
    return rows


def _csv_rows(path: Path, data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    try:
        text = decode_bytes(data, path.name).text
    except DecodeError as exc:
        raise InvalidInput(str(exc)) from exc
    first = text.split("\n", 1)[0]
    # The separator is the one the header line uses most: column names hold none of them.
    separator = max(SEPARATORS, key=first.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=separator)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    reader.fieldnames = header
    rows = []
    for row in reader:
        for column in TEXT_COLUMNS:
            if row.get(column):
                row[column] = restored(row[column])
        rows.append((reader.line_num, row))
    return header, rows


def _xlsx_rows(path: Path, data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The first sheet, read as case tables are (after the zip checks every Office
    file gets); numbers as Excel stores them (7.0 is 7), text as it is."""
    from qualcode.ingest.case_table import parse_xlsx

    table = parse_xlsx(data, path.name)
    header = [name.strip().lower() for name in table.columns]
    return header, [
        (number, dict(zip(header, map(_cell_text, cells), strict=True)))
        for number, cells in table.rows
    ]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


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
            start, end = _place(version, values)
            check_span(version, code, start, end)
            _check_quote(version, values.get("quote", ""), start, end)
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


def _place(version: CurrentVersion, values: dict[str, str]) -> tuple[int, int]:
    """The row's offsets, or, when it gives none, where its quote occurs."""
    start, end = values.get("start", ""), values.get("end", "")
    if start or end or not values.get("quote"):
        return _int(start, "start"), _int(end, "end")
    occurrence = values.get("occurrence", "")
    return find_quote(
        version.text,
        values["quote"],
        _int(occurrence, "occurrence") if occurrence else None,
        version.title,
        choose="the occurrence column, numbered",
    )


def _check_quote(version: CurrentVersion, quote: str, start: int, end: int) -> None:
    """A quote beside offsets is a check; spacing and line breaks do not count, since
    spreadsheets change them."""
    if quote and quote.split() != version.text[start:end].split():
        found = " ".join(version.text[start:end].split())
        raise InvalidInput(
            f"the quote does not match the text at {start}-{end} ({_short(found)!r})"
        )


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _int(value: str, column: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise InvalidInput(f"{column} {value!r} is not a whole number") from None
