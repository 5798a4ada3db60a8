"""Rates of case events against a reference population, and an estimate from them.

The arithmetic of the mapping study's Tabell 2: per group (county), the events counted
over a period (placements 2010–2012) divided by the number of years gives events per
year; divided by the group's mean reference population over those years (asylum-seeking
children at each year end) it gives a rate. The groups together give a pooled rate
(total events per year / sum of the groups' mean populations), and that rate times a
larger population's mean (the whole country) gives an estimate. Every input is a
column beside the result, so a reader can redo the sums; nothing is rounded before
the end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from qualcode.domain import table_words
from qualcode.domain.cases import AttrValue
from qualcode.domain.errors import InvalidInput
from qualcode.domain.tables import Cell, Table, format_cell

TOTAL = table_words.WORDS["en"]["total"]


@dataclass(frozen=True, slots=True)
class Reference:
    """A reference population: group value -> year -> figure."""

    name: str
    attribute: str
    values: Mapping[str, Mapping[int, float]]

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({y for by_year in self.values.values() for y in by_year}))


def rate_table(
    cases: Sequence[Mapping[str, AttrValue]],
    *,
    by: str,
    events: Sequence[str],
    reference: Reference,
    years: Sequence[int] | None = None,
    estimate_for: Sequence[str] = (),
    about: Sequence[str] = (),
    language: str = "en",
) -> Table:
    """Per group of ``by``: each event attribute's total, per year and as a percentage
    of the group's mean population; a pooled row; an estimate row per ``estimate_for``."""
    if not events:
        raise InvalidInput("give --events A,B: the numeric attributes counted per case")
    period = tuple(sorted(years)) if years else reference.years
    if not period:
        raise InvalidInput(f"the reference table {reference.name!r} has no figures")
    groups: dict[str, list[Mapping[str, AttrValue]]] = {}
    for values in cases:
        group = values.get(by)
        if group is not None:
            groups.setdefault(format_cell(group), []).append(values)
    if not groups:
        raise InvalidInput(f"no case has a value for {by!r}, so there are no groups to rate")
    for group in [*sorted(groups, key=str.casefold), *estimate_for]:
        _mean(reference, group, period)  # every needed figure present, else one error
    measures = list(events) + (["+".join(events)] if len(events) > 1 else [])

    def counted(members: list[Mapping[str, AttrValue]], measure: str) -> float:
        parts = measure.split("+") if measure not in events else [measure]
        return sum(float(v[name]) for v in members for name in parts if v.get(name) is not None)

    said = table_words.words(language)
    columns = [said["population"].format(year=year) for year in period]
    columns.append(said["mean_population"])
    for measure in measures:
        columns += [
            said[part].format(measure=measure) for part in ("events", "per_year", "of_population")
        ]
    n_years = len(period)
    labels: list[tuple[str]] = []
    body: list[list[Cell]] = []
    pooled_events = {m: 0.0 for m in measures}
    pooled_mean = 0.0
    for group in sorted(groups, key=str.casefold):
        mean = _mean(reference, group, period)
        pooled_mean += mean
        row: list[Cell] = [*(_figure(reference, group, y) for y in period), mean]
        for measure in measures:
            total = counted(groups[group], measure)
            pooled_events[measure] += total
            row += [_whole(total), total / n_years, 100 * total / n_years / mean]
        labels.append((group,))
        body.append(row)
    pooled_rates = {m: pooled_events[m] / n_years / pooled_mean for m in measures}
    row = [*(sum(_figure(reference, g, y) for g in groups) for y in period), pooled_mean]
    for measure in measures:
        total = pooled_events[measure]
        row += [_whole(total), total / n_years, 100 * pooled_rates[measure]]
    labels.append((said["total"],))
    body.append(row)
    for target in estimate_for:
        mean = _mean(reference, target, period)
        row = [*(_figure(reference, target, y) for y in period), mean]
        for measure in measures:
            row += [None, pooled_rates[measure] * mean, 100 * pooled_rates[measure]]
        labels.append((said["estimate"].format(target=target),))
        body.append(row)
    first, last = period[0], period[-1]
    notes = [
        *about,
        said["rates_events"].format(
            events=", ".join(events), first=first, last=last, years=n_years
        ),
        said["rates_mean"].format(
            years=n_years, reference=reference.name, period=", ".join(str(y) for y in period)
        ),
        said["rates_percent"].format(total=said["total"]),
    ]
    if estimate_for:
        notes.append(said["rates_estimate"])
    decimals = [0] * len(period) + [1] + [None, 2, 2] * len(measures)
    return Table(
        title=said["rates_title"].format(by=by, reference=reference.name),
        row_headers=(by,),
        columns=tuple(columns),
        row_labels=tuple(labels),
        cells=tuple(tuple(r) for r in body),
        about=tuple(notes),
        total_row=not estimate_for,
        decimals=tuple(decimals),
    )


def _figure(reference: Reference, group: str, year: int) -> float:
    by_year = reference.values.get(group)
    if by_year is None:
        raise InvalidInput(
            f"the reference table {reference.name!r} has no {reference.attribute} {group!r}; "
            f"it has {', '.join(sorted(reference.values))}"
        )
    if year not in by_year:
        raise InvalidInput(
            f"the reference table {reference.name!r} has no figure for {group!r} in {year}"
        )
    return by_year[year]


def _mean(reference: Reference, group: str, period: Sequence[int]) -> float:
    return sum(_figure(reference, group, y) for y in period) / len(period)


def _whole(value: float) -> int | float:
    return int(value) if value.is_integer() else value
