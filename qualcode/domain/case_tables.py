"""Tables of case data: counts and sums per group, the shape of the study's Tabell 1.

Pure computation over plain mappings (case name -> attribute -> value), so the same
code serves the CLI, the TUI and the tests. A missing value stays missing: a sum adds
the values there are, and beside it stand the number of cases with a value, the number
missing and the number with a value above zero — never a zero put in for a blank.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from qualcode.domain import table_words
from qualcode.domain.case_data import parse_boolean, parse_number
from qualcode.domain.cases import AttrValue
from qualcode.domain.errors import InvalidInput
from qualcode.domain.tables import MISSING, Cell, Table, format_cell

TOTAL = table_words.WORDS["en"]["total"]
CaseValues = Mapping[str, AttrValue]


@dataclass(frozen=True, slots=True)
class CountSpec:
    """``--count ATTRIBUTE=VALUE``: cases with that value, of the group's cases."""

    attribute: str
    value: str

    @classmethod
    def parse(cls, text: str) -> CountSpec:
        name, sep, value = text.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise InvalidInput(f"--count {text!r}: write ATTRIBUTE=VALUE, e.g. svarat=ja")
        return cls(name.strip(), value.strip())

    @property
    def label(self) -> str:
        return f"{self.attribute}={self.value}"


@lru_cache(maxsize=256)
def _wanted(wanted: str) -> tuple[bool | None, float | None, str]:
    return parse_boolean(wanted, digits=True), parse_number(wanted), wanted.casefold()


def matches(actual: AttrValue | None, wanted: str) -> bool:
    """Does a case's value equal ``wanted`` as typed on the command line? (The wanted
    value is parsed once per table, not once per case.)"""
    if actual is None:
        return False
    boolean, number, text = _wanted(wanted)
    if isinstance(actual, bool):
        return boolean is actual
    if isinstance(actual, int | float):
        return number == float(actual)
    return str(actual).casefold() == text


def group_table(
    cases: Mapping[str, CaseValues],
    types: Mapping[str, str],
    *,
    by: Sequence[str],
    sums: Sequence[str] = (),
    counts: Sequence[CountSpec] = (),
    title: str = "Cases",
    about: Sequence[str] = (),
    keep: Callable[[CaseValues], bool] | None = None,
    language: str = "en",
) -> Table:
    """One row per combination of the ``by`` values (missing is a group of its own,
    shown as –), then a total row. ``types`` maps each attribute the project has to
    its value type; ``keep`` filters the cases first."""
    if not by:
        raise InvalidInput("give at least one --by ATTRIBUTE to group the cases by")
    for name in [*by, *sums, *(c.attribute for c in counts)]:
        if name not in types:
            known = ", ".join(sorted(types)) or "none yet"
            raise InvalidInput(f"no case has an attribute {name!r}; the attributes are: {known}")
    for name in sums:
        if types[name] != "number":
            raise InvalidInput(
                f"--sum {name}: {name!r} holds {types[name]} values; only numbers can be summed "
                f"(count a value with --count {name}=VALUE)"
            )
    chosen = [values for values in cases.values() if keep is None or keep(values)]
    groups: dict[tuple[AttrValue | None, ...], list[CaseValues]] = {}
    for values in chosen:
        groups.setdefault(tuple(values.get(name) for name in by), []).append(values)
    order = sorted(groups, key=lambda key: tuple(_sort_key(v) for v in key))

    said = table_words.words(language)
    columns = [said["cases"]]
    for name in sums:
        columns += [said[part].format(name=name) for part in ("sum", "n", "missing", "above_zero")]
    columns += [c.label for c in counts]

    def row(members: list[CaseValues]) -> list[Cell]:
        cells: list[Cell] = [len(members)]
        for name in sums:
            present = [float(v[name]) for v in members if v.get(name) is not None]
            total = sum(present)
            cells += [
                _number(total) if present else None,
                len(present),
                len(members) - len(present),
                sum(1 for x in present if x > 0),
            ]
        for spec in counts:
            hits = sum(1 for v in members if matches(v.get(spec.attribute), spec.value))
            cells.append(f"{hits} ({len(members)})")
        return cells

    labels = [tuple(_label(v, said) for v in key) for key in order]
    body = [row(groups[key]) for key in order]
    labels.append((said["total"],) + ("",) * (len(by) - 1))
    body.append(row(chosen))
    notes = list(about)
    if sums:
        notes.append(said["sums_note"])
    for spec in counts:
        notes.append(said["count_note"].format(label=spec.label))
    return Table(
        title=title,
        row_headers=tuple(by),
        columns=tuple(columns),
        row_labels=tuple(labels),
        cells=tuple(tuple(r) for r in body),
        about=tuple(notes),
        total_row=True,
    )


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _label(value: AttrValue | None, said: dict[str, str]) -> str:
    if isinstance(value, bool):  # a yes/no group is named in the table's language
        return said["yes"] if value else said["no"]
    return MISSING if value is None else format_cell(value)


def _sort_key(value: AttrValue | None) -> tuple[int, str, float]:
    # missing last; numbers by value; everything else by text
    if value is None:
        return (2, "", 0.0)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, "", float(value))
    return (1, format_cell(value).casefold(), 0.0)


def case_filter(text: str) -> Callable[[CaseValues], bool]:
    """A ``--where`` query over case attributes: ``attr:`` terms with AND, OR, NOT."""
    from qualcode.domain import query as q
    from qualcode.domain.retrieval import compare_attribute

    parsed = q.parse(text)
    for node in q.walk(parsed):
        if not isinstance(node, q.Attr | q.And | q.Or | q.Not):
            raise InvalidInput(
                f"--where {text!r}: only attr: filters apply to cases "
                f"(e.g. attr:svarat=ja AND attr:lvu>0), not {q.to_text(node)!r}"
            )

    def keep(values: CaseValues, node: q.Query = parsed) -> bool:
        match node:
            case q.Attr(name, op, wanted):
                return compare_attribute(values.get(name), op, wanted)
            case q.Not(operand):
                return not keep(values, operand)
            case q.And(operands):
                return all(keep(values, o) for o in operands)
            case q.Or(operands):
                return any(keep(values, o) for o in operands)
        return False

    return keep
