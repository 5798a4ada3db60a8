"""Importing a case table (one row per case) and writing it back.

All or nothing: the whole file is read and typed before anything is written, and the
changes go in as one transaction with one event. Re-importing the same file changes
nothing; an edited file changes only what differs, and the report lists every change
(``dry_run`` computes it without writing). Cases and attributes the file does not
mention are left alone; a cell emptied in the file makes that value missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from qualcode.domain.case_data import CaseSheet, Column, TypedTable, Value, type_table
from qualcode.domain.errors import InvalidInput
from qualcode.export import registry
from qualcode.ingest.case_table import read_case_table
from qualcode.services.coders import ensure_coder
from qualcode.services.files import write_atomically
from qualcode.services.project import Project
from qualcode.store.repositories import attributes as attribute_repo
from qualcode.store.repositories import cases as case_repo
from qualcode.store.repositories import events
from qualcode.store.repositories.attributes import AttributeDef
from qualcode.store.repositories.project import get_project, set_setting

# the project setting that remembers the imported table's shape, for `cases export`
SHAPE_SETTING = "case_table"
# larger diffs are summarised in the event log rather than stored change by change
EVENT_CHANGES_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class Change:
    case: str
    attribute: str
    before: Value | None  # None: it was missing
    after: Value | None  # None: it becomes missing


@dataclass(frozen=True)
class ImportReport:
    source: str
    key: str
    cases: int  # rows in the file
    columns: tuple[Column, ...]
    new_cases: tuple[str, ...]
    new_attributes: tuple[Column, ...]
    changes: tuple[Change, ...]
    warnings: tuple[str, ...]
    written: bool

    @property
    def unchanged(self) -> bool:
        return not (self.new_cases or self.new_attributes or self.changes)


def parse_type_options(options: list[str]) -> dict[str, str]:
    """``["lvu=number", ...]`` from ``--type`` as a dict."""
    found: dict[str, str] = {}
    for option in options:
        name, sep, value_type = option.rpartition("=")
        if not sep or not name.strip():
            raise InvalidInput(f"--type {option!r}: write COLUMN=number|text|boolean|date")
        found[name.strip()] = value_type.strip().lower()
    return found


def import_case_table(
    project: Project,
    path: Path,
    *,
    key: str,
    coder: str,
    sheet: str | None = None,
    types: Mapping[str, str] | None = None,
    dry_run: bool = False,
) -> ImportReport:
    raw = read_case_table(path, sheet=sheet)
    with project.database.write() as session:
        attributes = {a.name: a for a in attribute_repo.list_attributes(session)}
        known: dict[str, str] = {}
        for column in raw.columns:
            found = attributes.get(column)
            if found is None or column == key:
                continue
            if found.scope != "case":
                raise InvalidInput(
                    f"{raw.source}: column {column!r} is a transcript attribute in this project; "
                    "rename the column to import it as a case attribute"
                )
            known[column] = found.value_type
        table = type_table(raw, key, overrides=types, known=known)
        for typed in table.columns:
            if typed.name in known and typed.value_type != known[typed.name]:
                raise InvalidInput(
                    f"--type {typed.name}={typed.value_type}: the project's attribute "
                    f"{typed.name!r} holds {known[typed.name]} values"
                )
            if len(typed.name) > 100:
                raise InvalidInput(f"{raw.source}: column name {typed.name!r} is too long")
        report = _plan(session, table, attributes)
        if dry_run or report.unchanged:
            return report
        _write(session, table, report)
        _remember_shape(session, table)
        who = ensure_coder(session, coder)
        changes = report.changes[:EVENT_CHANGES_LIMIT]
        events.record_event(
            session,
            action="cases.import",
            entity="case",
            entity_id=None,
            coder_id=who.id,
            after={
                "source": table.source,
                "key": key,
                "new_cases": list(report.new_cases),
                "new_attributes": [c.name for c in report.new_attributes],
                "changed": len(report.changes),
                "changes": [[c.case, c.attribute, c.before, c.after] for c in changes],
            },
        )
        return _written(report)


def _written(report: ImportReport) -> ImportReport:
    return ImportReport(
        report.source,
        report.key,
        report.cases,
        report.columns,
        report.new_cases,
        report.new_attributes,
        report.changes,
        report.warnings,
        True,
    )


def _plan(
    session: Session, table: TypedTable, attributes: Mapping[str, AttributeDef]
) -> ImportReport:
    existing = case_repo.case_ids(session)
    names = [c.name for c in table.columns]
    stored = case_repo.case_values_by_name(session, names)
    changes = []
    for case in table.order:
        values = table.cases[case]
        for column in names:
            before = stored.get((case, column))
            old = before.value if before is not None else None
            new = values.get(column)
            if old != new:
                changes.append(Change(case, column, old, new))
    return ImportReport(
        table.source,
        table.key,
        len(table.order),
        table.columns,
        tuple(c for c in table.order if c not in existing),
        tuple(c for c in table.columns if c.name not in attributes),
        tuple(changes),
        table.warnings,
        False,
    )


def _write(session: Session, table: TypedTable, report: ImportReport) -> None:
    ids = case_repo.add_cases(session, report.new_cases)
    definitions = {}
    for column in table.columns:
        found = attribute_repo.find_attribute(session, column.name)
        if found is None:
            found = attribute_repo.add_attribute(session, column.name, column.value_type, "case")
        definitions[column.name] = found
    types = {c.name: c.value_type for c in table.columns}
    stored = case_repo.case_values_by_name(session, list(types))
    inserts: list[dict[str, object]] = []
    updates: list[dict[str, object]] = []
    deletes: list[int] = []
    for change in report.changes:
        before = stored.get((change.case, change.attribute))
        if change.after is None:
            if before is not None:
                deletes.append(before.id)
            continue
        text, number = case_repo.stored_columns(types[change.attribute], change.after)
        if before is None:
            inserts.append(
                {
                    "attribute_id": definitions[change.attribute].id,
                    "case_id": ids[change.case],
                    "transcript_id": None,
                    "value_text": text,
                    "value_number": number,
                }
            )
        else:
            updates.append({"id": before.id, "value_text": text, "value_number": number})
    case_repo.write_values(session, inserts, updates, deletes)


def _remember_shape(session: Session, table: TypedTable) -> None:
    set_setting(
        session,
        SHAPE_SETTING,
        {"key": table.key, "columns": [c.name for c in table.columns]},
    )


def case_sheet(project: Project) -> CaseSheet:
    """Every case with its case attributes, in the shape of the last imported table
    (its key column's name and column order first, then any other case attribute)."""
    with project.database.read() as session:
        shape = dict(get_project(session).settings.get(SHAPE_SETTING) or {})
        definitions = {
            a.name: a.value_type
            for a in attribute_repo.list_attributes(session)
            if a.scope == "case"
        }
        first = [c for c in shape.get("columns", []) if c in definitions]
        columns = first + sorted(set(definitions) - set(first))
        values = case_repo.case_attribute_values(session)
        ids = case_repo.case_ids(session)
    return CaseSheet(
        key=str(shape.get("key") or "case"),
        columns=tuple(columns),
        types=tuple(definitions[c] for c in columns),
        rows=tuple(
            (name, tuple(values.get(cid, {}).get(c) for c in columns))
            for name, cid in sorted(ids.items())
        ),
        language=project.language,
    )


def export_cases(project: Project, output: Path) -> CaseSheet:
    """Write every case with its attributes to ``output`` (.csv or .xlsx, by its
    extension) in the shape ``cases import`` reads back. Not pseudonymised: it is the
    project's own data for a round trip, like a backup, and the names are its keys."""
    fmt = registry.format_for_path("cases", output).name
    sheet = case_sheet(project)
    write_atomically(output, registry.render("cases", fmt, sheet))
    return sheet
