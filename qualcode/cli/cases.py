"""The cases sub-app (with cases reference): cases, their links, case tables and rates."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from qualcode.cli.helpers import (
    UsageProblem,
    check_output,
    location,
    make_typer,
    print_json,
    print_table,
    resolve_coder,
    table_language,
)
from qualcode.cli.options import CoderOption, ExportLanguageOption, JsonOption, TranscriptArgument

if TYPE_CHECKING:
    from qualcode.services.project import Project

app = make_typer(__doc__)  # the root's table (qualcode.cli.COMMANDS) finds commands here
cases_app = make_typer(
    "Cases (municipalities, districts): list, link transcripts and speakers, import a case "
    "table, print tables and rates."
)
app.add_typer(cases_app, name="cases")
reference_app = make_typer(
    "Reference populations for rates: asylum-seeking children per county and year, say."
)
cases_app.add_typer(reference_app, name="reference")

# `cases table` and `cases rates` print or write a table alike
TableOutputOption = Annotated[
    Path | None,
    typer.Option("-o", "--output", help="Write FILE.csv, .xlsx, .md, .html or .docx."),
]
TransposeOption = Annotated[
    bool,
    typer.Option("--transpose", help="Groups as columns, measures as rows (a report's layout)."),
]
CaseWhereOption = Annotated[
    str | None, typer.Option("--where", help="Only cases matching attr: filters.")
]


def _case_json(case: Any) -> dict[str, Any]:
    return {
        "name": case.name,
        "transcripts": list(case.transcripts),
        "speakers": [{"transcript": t, "speaker": s} for t, s in case.speakers],
        "attributes": dict(sorted(case.attributes.items())),
    }


@cases_app.callback(invoke_without_command=True)
def cases_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the cases with their attributes (the default)."""
    if ctx.invoked_subcommand is not None:
        return
    from qualcode.services.cases import list_cases

    with location(ctx).open() as project:
        found = list_cases(project)
    if as_json:
        print_json([_case_json(c) for c in found])
        return
    if not found:
        typer.echo("No cases yet: qualcode cases import FILE --key COLUMN, or cases link.")
        return
    names = sorted({name for c in found for name in c.attributes})
    print_table(
        ["case", "linked", *names],
        [
            [c.name, len(c.transcripts) + len(c.speakers)]
            + [_clipped(_shown(c.attributes.get(n))) for n in names]
            for c in found
        ],
        empty="No cases yet.",
    )


def _clipped(text: str, width: int = 30) -> str:
    """A long text cut for a terminal listing (``--json`` has it whole)."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _shown(value: Any) -> str:
    from qualcode.domain.tables import MISSING, format_cell

    if value is None:
        return MISSING
    return format_cell(value)


@cases_app.command("show")
def cases_show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The case's name.")],
    as_json: JsonOption = False,
) -> None:
    """One case: its attributes, transcripts and speakers."""
    from qualcode.services.cases import show_case

    with location(ctx).open() as project:
        found = show_case(project, name)
    if as_json:
        print_json(_case_json(found))
        return
    typer.echo(found.name)
    for attribute, value in sorted(found.attributes.items()):
        typer.echo(f"  {attribute}: {_shown(value)}")
    for title in found.transcripts:
        typer.echo(f"  transcript: {title}")
    for title, label in found.speakers:
        typer.echo(f"  speaker: {label} in {title}")


@cases_app.command("link")
def cases_link(
    ctx: typer.Context,
    transcript: TranscriptArgument,
    cases: Annotated[list[str], typer.Argument(help="One or more case names.")],
    coder: CoderOption = None,
) -> None:
    """Add a transcript to one or more cases (a transcript may belong to several)."""
    from qualcode.services.cases import link_transcript

    with location(ctx).open() as project:
        done = link_transcript(project, transcript, cases, coder=resolve_coder(coder))
    for name in done.linked:
        new = " (new case)" if name in done.created else ""
        typer.echo(f"Linked {done.transcript} to {name}{new}")
    for name in done.already:
        typer.echo(f"{done.transcript} was already in {name}")


@cases_app.command("unlink")
def cases_unlink(
    ctx: typer.Context,
    transcript: TranscriptArgument,
    case: Annotated[str | None, typer.Argument(help="The case (default: every case).")] = None,
    coder: CoderOption = None,
) -> None:
    """Take a transcript out of a case, or out of every case."""
    from qualcode.services.cases import unlink_transcript

    with location(ctx).open() as project:
        left = unlink_transcript(project, transcript, case, coder=resolve_coder(coder))
    typer.echo(f"Unlinked {transcript} from {', '.join(left)}" if left else "It was in no case")


@cases_app.command("link-speaker")
def cases_link_speaker(
    ctx: typer.Context,
    transcript: TranscriptArgument,
    speaker: Annotated[str, typer.Argument(help="The speaker's label in that transcript.")],
    case: Annotated[str, typer.Argument(help="The case the speaker belongs to.")],
    coder: CoderOption = None,
) -> None:
    """Link a speaker to a case: their passages take that case's attributes first."""
    from qualcode.services.cases import link_speaker

    with location(ctx).open() as project:
        created = link_speaker(project, transcript, speaker, case, coder=resolve_coder(coder))
    typer.echo(f"Linked {speaker} in {transcript} to {case}" + (" (new case)" if created else ""))


@cases_app.command("unlink-speaker")
def cases_unlink_speaker(
    ctx: typer.Context,
    transcript: TranscriptArgument,
    speaker: Annotated[str, typer.Argument(help="The speaker's label.")],
    coder: CoderOption = None,
) -> None:
    """Take a speaker out of their case: their passages take the transcript's cases."""
    from qualcode.services.cases import link_speaker

    with location(ctx).open() as project:
        link_speaker(project, transcript, speaker, None, coder=resolve_coder(coder))
    typer.echo(f"Unlinked {speaker} in {transcript} from their case")


DIFF_LINES = 200  # an import's diff is printed up to this many lines, then counted


@cases_app.command("import")
def cases_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The case table: .csv (, ; or tab) or .xlsx.")],
    key: Annotated[str, typer.Option("--key", help="The column naming each case.")],
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="The .xlsx sheet (default: the first).")
    ] = None,
    types: Annotated[
        list[str] | None,
        typer.Option("--type", help="COLUMN=number|text|boolean|date (repeatable)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    coder: CoderOption = None,
) -> None:
    """Import a case table: one row per case, every other column a typed attribute."""
    from qualcode.services.case_import import import_case_table, parse_type_options

    with location(ctx).open() as project:
        report = import_case_table(
            project,
            file,
            key=key,
            coder=resolve_coder(coder),
            sheet=sheet,
            types=parse_type_options(types or []),
            dry_run=dry_run,
        )
    for warning in report.warnings:
        typer.echo(f"warning: {warning}", err=True)
    described = ", ".join(f"{c.name} ({c.value_type})" for c in report.columns)
    typer.echo(f"{report.source}: {report.cases} cases keyed by {report.key}; {described}")
    if report.unchanged:
        typer.echo("Nothing changed: the project already holds these values.")
        return
    new = set(report.new_cases)
    if new:
        typer.echo(f"+ {len(new)} new cases")
    for column in report.new_attributes:
        typer.echo(f"+ attribute {column.name} ({column.value_type})")
    shown = [c for c in report.changes if c.case not in new]
    for change in shown[:DIFF_LINES]:
        typer.echo(
            f"~ {change.case}: {change.attribute} {_shown(change.before)} -> {_shown(change.after)}"
        )
    if len(shown) > DIFF_LINES:
        typer.echo(f"~ … and {len(shown) - DIFF_LINES} more changed values")
    typer.echo(
        f"{len(report.changes)} values to change; dry run, nothing written"
        if dry_run
        else f"{len(report.changes)} values changed"
    )


@cases_app.command("export")
def cases_export(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", help="FILE.csv or FILE.xlsx.")],
) -> None:
    """Write the cases and their attributes as a table (the shape `cases import` reads)."""
    from qualcode.services.case_import import export_cases

    check_output("cases", output)
    with location(ctx).open() as project:
        sheet = export_cases(project, output)
    typer.echo(f"Wrote {len(sheet.rows)} cases × {len(sheet.columns)} attributes to {output}")


def _emit_table(
    project: Project, table: Any, output: Path | None, as_json: bool, turned: bool = False
) -> None:
    """A Table to the terminal, as JSON, or to a file in the format its name asks for."""
    import shutil

    from qualcode.domain.tables import as_json as table_json
    from qualcode.domain.tables import text_width, to_text, transpose

    if turned:
        table = transpose(table)

    if output is not None:
        from qualcode.services.table_files import write_table

        typer.echo(f"Wrote {table.title} to {write_table(project, table, output)}")
    elif as_json:
        print_json(table_json(table))
    else:
        typer.echo(to_text(table))
        if not turned and text_width(table) > shutil.get_terminal_size().columns:
            typer.echo(
                "(wider than the terminal: --transpose puts the groups in columns)", err=True
            )


@cases_app.command("table")
def cases_table(
    ctx: typer.Context,
    by: Annotated[list[str], typer.Option("--by", help="Group by this attribute (repeatable).")],
    sums: Annotated[
        str | None, typer.Option("--sum", help="Numeric attributes to sum: A,B,…")
    ] = None,
    counts: Annotated[
        list[str] | None,
        typer.Option("--count", help="ATTRIBUTE=VALUE: cases with it, of the group (repeatable)."),
    ] = None,
    where: CaseWhereOption = None,
    output: TableOutputOption = None,
    turned: TransposeOption = False,
    lang: ExportLanguageOption = None,
    as_json: JsonOption = False,
) -> None:
    """Counts and sums of case attributes per group, with a total row."""
    from qualcode.services.case_tables import case_table

    check_output("table", output)
    with location(ctx).open() as project:
        table = case_table(
            project,
            by=by,
            sums=[s.strip() for s in (sums or "").split(",") if s.strip()],
            counts=counts or [],
            where=where,
            language=table_language(project, lang, output),
        )
        _emit_table(project, table, output, as_json, turned)


@reference_app.callback(invoke_without_command=True)
def reference_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the reference populations (the default)."""
    if ctx.invoked_subcommand is not None:
        return
    from qualcode.services.case_rates import list_references

    with location(ctx).open() as project:
        found = list_references(project)
    if as_json:
        print_json(
            [
                {
                    "name": r.name,
                    "attribute": r.attribute,
                    "years": list(r.years),
                    "values": {g: {str(y): v for y, v in ys.items()} for g, ys in r.values.items()},
                }
                for r in found
            ]
        )
        return
    if not found:
        typer.echo("No reference populations: qualcode cases reference import FILE --name NAME")
    for r in found:
        groups = ", ".join(sorted(r.values))
        typer.echo(f"{r.name}: {r.attribute} ({groups}), years {', '.join(map(str, r.years))}")


@reference_app.command("import")
def reference_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A .csv or .xlsx: group, year, figure.")],
    name: Annotated[str, typer.Option("--name", help="What the figures count.")],
    group: Annotated[
        str | None, typer.Option("--group", help="The group column (default: the first).")
    ] = None,
    year: Annotated[
        str | None, typer.Option("--year", help="The year column (default: the second).")
    ] = None,
    value: Annotated[
        str | None, typer.Option("--value", help="The figure column (default: the third).")
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="The .xlsx sheet.")] = None,
    coder: CoderOption = None,
) -> None:
    """Import (or replace) a reference population keyed by a case attribute's values."""
    from qualcode.services.case_rates import import_reference

    with location(ctx).open() as project:
        done = import_reference(
            project,
            file,
            name=name,
            coder=resolve_coder(coder),
            group=group,
            year=year,
            value=value,
            sheet=sheet,
        )
    typer.echo(
        f"{done.name}: {done.figures} figures for {done.attribute} "
        f"{', '.join(done.groups)} in {', '.join(map(str, done.years))}; {done.changed} changed"
    )


def _years(text: str | None) -> list[int] | None:
    if text is None:
        return None
    first, sep, last = text.partition("-")
    try:
        if sep:
            return list(range(int(first), int(last) + 1))
        return [int(y) for y in text.split(",")]
    except ValueError:
        raise UsageProblem(f"--years {text!r}: write 2010-2012 or 2010,2011,2012") from None


@cases_app.command("rates")
def cases_rates(
    ctx: typer.Context,
    events: Annotated[
        str, typer.Option("--events", help="Numeric attributes counted per case: A,B,…")
    ],
    by: Annotated[
        str | None,
        typer.Option("--by", help="Group attribute (default: the reference's group column)."),
    ] = None,
    reference: Annotated[
        str | None, typer.Option("--reference", help="The reference population's name.")
    ] = None,
    years: Annotated[
        str | None,
        typer.Option("--years", help="The period counted, e.g. 2010-2012 (default: all)."),
    ] = None,
    estimate_for: Annotated[
        list[str] | None,
        typer.Option("--estimate-for", help="A larger population to estimate for, e.g. Riket."),
    ] = None,
    where: CaseWhereOption = None,
    output: TableOutputOption = None,
    turned: TransposeOption = False,
    lang: ExportLanguageOption = None,
    as_json: JsonOption = False,
) -> None:
    """Events per year per group as a % of the mean reference population, and estimates."""
    from qualcode.services.case_rates import rates

    check_output("table", output)
    with location(ctx).open() as project:
        table = rates(
            project,
            events=[e.strip() for e in events.split(",") if e.strip()],
            by=by,
            reference=reference,
            years=_years(years),
            estimate_for=estimate_for or [],
            where=where,
            language=table_language(project, lang, output),
        )
        _emit_table(project, table, output, as_json, turned)
