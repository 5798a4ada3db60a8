"""Reference populations and `cases rates`: events per year against a population.

A reference table is small: one row per group and year (``län;år;asylsökande_barn``),
keyed by the same values as a case attribute (the county). It is stored under a name
and replaced as a whole when imported again. The arithmetic is
``qualcode.domain.rates.rate_table``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qualcode.domain import table_words
from qualcode.domain.case_data import is_blank, parse_number, typed_value
from qualcode.domain.case_tables import case_filter
from qualcode.domain.errors import InvalidInput
from qualcode.domain.rates import Reference, rate_table
from qualcode.domain.tables import Table
from qualcode.ingest.case_table import read_case_table
from qualcode.services.coders import ensure_coder
from qualcode.services.project import Project
from qualcode.store.repositories import attributes as attribute_repo
from qualcode.store.repositories import cases as case_repo
from qualcode.store.repositories import events as event_repo


@dataclass(frozen=True, slots=True)
class ReferenceImport:
    name: str
    attribute: str
    groups: tuple[str, ...]
    years: tuple[int, ...]
    figures: int
    changed: int


def import_reference(
    project: Project,
    path: Path,
    *,
    name: str,
    coder: str,
    group: str | None = None,
    year: str | None = None,
    value: str | None = None,
    sheet: str | None = None,
) -> ReferenceImport:
    """Read a reference table; ``group``/``year``/``value`` name its columns (default:
    the first three). The group column's name is the case attribute it matches."""
    raw = read_case_table(path, sheet=sheet)
    if len(raw.columns) < 3 and not (group and year and value):
        raise InvalidInput(
            f"{raw.source} needs three columns: the group (e.g. län), the year and the figure"
        )
    chosen = [group or raw.columns[0], year or raw.columns[1], value or raw.columns[2]]
    for column in chosen:
        if column not in raw.columns:
            raise InvalidInput(f"{raw.source} has no column {column!r}")
    g, y, v = (raw.columns.index(c) for c in chosen)
    rows: list[tuple[str, int, float]] = []
    seen: dict[tuple[str, int], int] = {}
    for number, cells in raw.rows:
        where = f"{raw.source} {raw.row_word} {number}"
        if is_blank(cells[g]) or is_blank(cells[y]) or is_blank(cells[v]):
            raise InvalidInput(f"{where}: every row needs a {chosen[0]}, a year and a figure")
        label = str(typed_value(cells[g], "text"))
        year_number = parse_number(cells[y])
        if year_number is None or not year_number.is_integer():
            raise InvalidInput(f"{where}, column {chosen[1]!r}: {cells[y]!r} is not a year")
        figure = parse_number(cells[v])
        if figure is None:
            raise InvalidInput(f"{where}, column {chosen[2]!r}: {cells[v]!r} is not a number")
        key = (label, int(year_number))
        if key in seen:
            raise InvalidInput(
                f"{where}: {label} {int(year_number)} is given twice "
                f"(also {raw.row_word} {seen[key]})"
            )
        seen[key] = number
        rows.append((label, int(year_number), figure))
    if not rows:
        raise InvalidInput(f"{raw.source} has a header but no figures")
    with project.database.write() as session:
        changed = case_repo.replace_reference(session, name, chosen[0], rows)
        who = ensure_coder(session, coder)
        event_repo.record_event(
            session,
            action="reference.import",
            entity="reference",
            entity_id=None,
            coder_id=who.id,
            after={"name": name, "source": raw.source, "figures": len(rows), "changed": changed},
        )
    return ReferenceImport(
        name,
        chosen[0],
        tuple(sorted({r[0] for r in rows})),
        tuple(sorted({r[1] for r in rows})),
        len(rows),
        changed,
    )


def list_references(project: Project) -> list[Reference]:
    with project.database.read() as session:
        return sorted(case_repo.reference_tables(session).values(), key=lambda r: r.name)


def rates(
    project: Project,
    *,
    events: Sequence[str],
    by: str | None = None,
    reference: str | None = None,
    years: Sequence[int] | None = None,
    estimate_for: Sequence[str] = (),
    where: str | None = None,
    language: str = "en",
) -> Table:
    """Events per year per group against the reference population (see domain.rates)."""
    keep = case_filter(where) if where else None
    with project.database.read() as session:
        tables = case_repo.reference_tables(session)
        if not tables:
            raise InvalidInput(
                "no reference population yet: qualcode cases reference import FILE --name NAME"
            )
        if reference is None:
            if len(tables) > 1:
                raise InvalidInput(
                    f"name the reference with --reference: one of {', '.join(sorted(tables))}"
                )
            chosen = next(iter(tables.values()))
        elif reference in tables:
            chosen = tables[reference]
        else:
            raise InvalidInput(
                f"no reference population {reference!r}; there is {', '.join(sorted(tables))}"
            )
        group = by or chosen.attribute
        types = {
            a.name: a.value_type
            for a in attribute_repo.list_attributes(session)
            if a.scope == "case"
        }
        for name in [group, *events]:
            if name not in types:
                raise InvalidInput(f"no case has an attribute {name!r}")
        for name in events:
            if types[name] != "number":
                raise InvalidInput(f"--events {name}: {name!r} holds {types[name]} values")
        values = case_repo.case_attribute_values(session)
        ids = case_repo.case_ids(session)
    cases = [values.get(cid, {}) for cid in ids.values()]
    if keep is not None:
        cases = [c for c in cases if keep(c)]
    said = table_words.words(language)
    only = said["rates_where"].format(where=where) if where else ""
    about = [said["rates_cases"].format(n=len(cases), where=only)]
    return rate_table(
        cases,
        by=group,
        events=events,
        reference=chosen,
        years=years,
        estimate_for=estimate_for,
        about=about,
        language=language,
    )
