"""The project as a whole, out and in: export (REFI-QDA .qdpx), backup, merge."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qualcode.cli.helpers import (
    UsageProblem,
    exchange_json,
    location,
    make_typer,
    print_exchange,
    print_json,
    resolve_coder,
    split_values,
)
from qualcode.cli.options import JsonOption

app = make_typer(__doc__)  # the root's table (qualcode.cli.COMMANDS) finds commands here


@app.command("export")
def export_(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", help="The .qdpx file to write.")],
    transcripts_: Annotated[
        list[str] | None,
        typer.Option(
            "--transcripts", help="Only these transcripts (ids or titles, comma-separated)."
        ),
    ] = None,
    coders_: Annotated[
        list[str] | None,
        typer.Option("--coders", help="Only these coders' codings and memos (comma-separated)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Export the project as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA,
    QualCoder: texts, codes, coders, codings, memos, cases and attributes."""
    from qualcode.services.exchange import export_qdpx

    if output.suffix.lower() != ".qdpx":
        raise UsageProblem(f"{output.name}: the export file must end in .qdpx")
    with location(ctx).open() as project:
        report = export_qdpx(
            project,
            output,
            transcripts=split_values(transcripts_) or None,
            coders=split_values(coders_) or None,
        )
    if as_json:
        print_json(exchange_json(report))
    else:
        print_exchange(report, "Wrote")


@app.command()
def backup(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Backup file or folder (default: backups/)."),
    ] = None,
) -> None:
    """Copy the SQLite project while it is in use into a dated file in backups/."""
    from qualcode.services.backup import backup_project

    with location(ctx).open() as project:
        written = backup_project(project, output)
    typer.echo(f"Backed up to {written}")


@app.command()
def merge(
    ctx: typer.Context,
    other: Annotated[
        str, typer.Argument(help="The other project: its folder or its database URL.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would change; write nothing.")
    ] = False,
    codebook: Annotated[
        bool, typer.Option("--codebook", help="Also add the other project's codes missing here.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Merge another qualcode project (a second coder's copy) into this one: coders,
    codings and memos, matched by uuid; conflicts are listed, never guessed."""
    from qualcode.services.merge import merge_project

    with location(ctx).open() as project:
        report = merge_project(
            project, other, coder=resolve_coder(None), codebook=codebook, dry_run=dry_run
        )
    if as_json:
        print_json(
            {
                "from": report.other,
                "dry_run": report.dry_run,
                "coders_added": report.coders_added,
                "codes_added": report.codes_added,
                "codes_missing": report.codes_missing,
                "codes_differing": report.codes_differing,
                "codings_added": report.codings_added,
                "codings_present": report.codings_present,
                "memos_added": report.memos_added,
                "memos_present": report.memos_present,
                "transcripts_matched": report.transcripts_matched,
                "transcripts_not_merged": report.transcripts_not_merged,
                "unknown_code_codings": report.unknown_code_codings,
                "conflicts": report.conflicts,
                "skipped": report.skipped,
            }
        )
        return
    verb = "Would add" if report.dry_run else "Added"
    typer.echo(
        f"{verb} {report.codings_added} codings, {report.memos_added} memos, "
        f"{len(report.coders_added)} coders and {len(report.codes_added)} codes from "
        f"{report.other} ({report.codings_present} codings and {report.memos_present} memos "
        f"were here already; {report.transcripts_matched} transcripts matched)."
    )
    for title, items in (
        ("New coders", report.coders_added),
        ("New codes", report.codes_added),
        ("Transcripts not merged", report.transcripts_not_merged),
        (
            "Codings with a code unknown here (use --codebook to add the code)",
            [f"{key}: {n}" for key, n in report.unknown_code_codings.items()],
        ),
        (
            "Codes missing here" if not codebook else "",
            report.codes_missing if not codebook else [],
        ),
        ("Codes that differ (left as they are here)", report.codes_differing),
        ("Conflicts (left as they are here)", report.conflicts),
        ("Not merged", report.skipped),
    ):
        if items:
            typer.echo(f"{title}:")
            for item in items:
                typer.echo(f"  - {item}")
