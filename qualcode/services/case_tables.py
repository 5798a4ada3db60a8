"""`cases table`: counts and sums of case attributes per group, as a :class:`Table`.

The computation is ``qualcode.domain.case_tables.group_table``; this module reads the
case values it needs (only the attributes named) in one query and describes what was
counted in the table's "about" lines.
"""

from __future__ import annotations

from collections.abc import Sequence

from qualcode.domain import table_words
from qualcode.domain.case_tables import CountSpec, case_filter, group_table
from qualcode.domain.tables import Table
from qualcode.services.project import Project
from qualcode.store.repositories import attributes as attribute_repo
from qualcode.store.repositories import cases as case_repo
from qualcode.store.repositories.project import get_project


def case_table(
    project: Project,
    *,
    by: Sequence[str],
    sums: Sequence[str] = (),
    counts: Sequence[str] = (),
    where: str | None = None,
    language: str = "en",
) -> Table:
    """Per group of ``by`` values: the number of cases, for each of ``sums`` the sum, n
    with a value, n missing and n above zero; for each ``counts`` ("svarat=ja") the
    cases with that value of the group's cases; and a total row."""
    specs = [CountSpec.parse(c) for c in counts]
    keep = case_filter(where) if where else None
    with project.database.read() as session:
        types = {
            a.name: a.value_type
            for a in attribute_repo.list_attributes(session)
            if a.scope == "case"
        }
        names = {*by, *sums, *(s.attribute for s in specs)}
        if where:
            from qualcode.domain import query as q

            names |= {n.name for n in q.walk(q.parse(where)) if isinstance(n, q.Attr)}
        project_name = get_project(session).name
        ids = case_repo.case_ids(session)
        values = case_repo.case_attribute_values(session, attributes=names)
    cases = {name: values.get(cid, {}) for name, cid in ids.items()}
    said = table_words.words(language)
    about = [said["cases_about"].format(n=len(cases), project=project_name, by=", ".join(by))]
    if where:
        about.append(said["only_where"].format(where=where))
    return group_table(
        cases,
        types,
        by=by,
        sums=sums,
        counts=specs,
        title=said["cases_title"].format(by=said["and"].join(by)),
        about=about,
        keep=keep,
        language=language,
    )
