"""Bring transcripts and codings in: import (files, folders, a REFI-QDA .qdpx, a
revision) and import-codings (CSV or Excel)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from qualcode.cli.helpers import (
    UsageProblem,
    exchange_json,
    location,
    make_typer,
    print_exchange,
    print_json,
    resolve_coder,
    transcript_json,
)
from qualcode.cli.options import JsonOption
from qualcode.domain.records import TRANSCRIPT_MODES

if TYPE_CHECKING:
    from qualcode.services.project import Project

app = make_typer(__doc__)  # the root's table (qualcode.cli.COMMANDS) finds commands here


@app.command("import")
def import_(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Transcript files (.txt .md .docx .odt .rtf .vtt .srt), folders, "
            "or one REFI-QDA .qdpx."
        ),
    ],
    mode: Annotated[
        str, typer.Option("--mode", help=f"One of: {', '.join(TRANSCRIPT_MODES)}.")
    ] = "interview",
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language (default: the project's).")
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="Title (default: file name).")
    ] = None,
    date: Annotated[str | None, typer.Option("--date", help="Interview date, YYYY-MM-DD.")] = None,
    case: Annotated[str | None, typer.Option("--case", help="Case (e.g. municipality).")] = None,
    speaker_pattern: Annotated[
        str | None,
        typer.Option(
            "--speaker-pattern",
            help="Regex with (?P<label>…) matching a speaker label at a line start.",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Import even if the content is already in the project.")
    ] = False,
    dehyphenate: Annotated[
        bool,
        typer.Option("--dehyphenate", help="Join words broken at line ends (text from PDFs)."),
    ] = False,
    reflow: Annotated[
        bool, typer.Option("--reflow", help="Join hard-wrapped lines into paragraphs.")
    ] = False,
    revise: Annotated[
        str | None,
        typer.Option(
            "--revise",
            metavar="TRANSCRIPT",
            help="Store FILE as a new version of TRANSCRIPT, carrying its codings over.",
        ),
    ] = None,
    recursive: Annotated[
        bool, typer.Option("--recursive", "-r", help="Also import from a folder's subfolders.")
    ] = False,
    glob: Annotated[
        str | None,
        typer.Option("--glob", help="Only a folder's files matching this pattern, e.g. '*.docx'."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Import transcripts or folders of them (a file that fails, fails alone), or revise one.

    A REFI-QDA project (.qdpx) from NVivo, ATLAS.ti, MAXQDA or QualCoder is imported
    whole: its texts, codes, coders, codings, memos and cases, in one transaction."""
    from qualcode.services.importing import Repairs, import_file, revise_transcript

    if any(path.suffix.lower() == ".qdpx" for path in files):
        if len(files) != 1 or revise is not None:
            raise UsageProblem("a .qdpx project is imported on its own")
        _import_qdpx(ctx, files[0], as_json)
        return

    repairs = Repairs(dehyphenate=dehyphenate, reflow=reflow)

    folders = [path for path in files if path.is_dir()]
    if (recursive or glob is not None) and not folders:
        raise UsageProblem("--recursive and --glob go with a FOLDER to import")
    if title and (len(files) > 1 or folders):
        raise UsageProblem("--title can only be given when importing one file")
    if folders and revise is not None:
        raise UsageProblem("--revise takes one file, not a folder")
    if revise is not None:
        if len(files) != 1:
            raise UsageProblem("--revise takes exactly one file")
        with location(ctx).open() as project:
            report = revise_transcript(
                project, revise, files[0], speaker_pattern=speaker_pattern, repairs=repairs
            )
        if as_json:
            print_json({**transcript_json(report.transcript), "placements": report.placements})
            return
        t = report.transcript
        placed = ", ".join(f"{n} {kind}" for kind, n in sorted(report.placements.items()))
        review = sum(n for kind, n in report.placements.items() if kind != "exact")
        typer.echo(f"Revised {t.title!r} to version {t.version}; codings: {placed or 'none'}")
        if review:
            typer.echo(f"{review} codings need review: qualcode codings --needs-review")
        return
    options: dict[str, Any] = {
        "mode": mode,
        "language": lang,
        "date": date,
        "case": case,
        "speaker_pattern": speaker_pattern,
        "repairs": repairs,
    }
    reports = []
    failures = 0
    with location(ctx).open() as project:
        for path in files:
            if path.is_dir():
                done = _import_folder(project, path, recursive, glob or "*", force, options)
                reports += [report for _, report in done.imported]
                failures += len(done.failed)
                if not as_json:
                    for source, report in done.imported:
                        _echo_imported(source, report)
                _echo_folder_summary(path, done)
                continue
            report = import_file(project, path, title=title, force=force, **options)
            reports.append(report)
            for warning in report.warnings:
                typer.echo(f"warning: {warning}", err=True)
            if not as_json:
                _echo_imported(path, report)
    if as_json:
        print_json(
            [
                {
                    **transcript_json(r.transcript),
                    "encoding": r.encoding,
                    "speakers": list(r.speakers),
                    "turns": r.turns,
                    "units": r.units,
                    "warnings": list(r.warnings),
                    "transformations": r.transformations,
                }
                for r in reports
            ]
        )
    if failures:
        # the other files are imported; the exit code still says not everything was
        raise typer.Exit(1)


def _echo_imported(path: Path, report: Any) -> None:
    t = report.transcript
    typer.echo(
        f"Imported {path.name} as {t.id} {t.title!r}: {t.word_count} words, "
        f"{report.turns} turns, {len(report.speakers)} speakers, "
        f"{report.units} sentences ({report.encoding})"
    )
    if report.transformations:
        changed = ", ".join(f"{name}: {count}" for name, count in report.transformations.items())
        typer.echo(f"  changed by request: {changed}")


def _import_folder(
    project: Project, folder: Path, recursive: bool, pattern: str, force: bool, options: Any
) -> Any:
    """Import a folder, with a progress bar on stderr when it is a terminal."""
    import sys

    from qualcode.services.folder_import import import_folder, plan_folder

    plan = plan_folder(folder, recursive=recursive, pattern=pattern)
    if not sys.stderr.isatty():
        return import_folder(project, plan, force=force, **options)
    with typer.progressbar(
        length=len(plan.files),
        label=f"Importing {folder}",
        file=sys.stderr,
        show_pos=True,
    ) as bar:
        return import_folder(
            project, plan, force=force, progress=lambda _: bar.update(1), **options
        )


def _echo_folder_summary(folder: Path, done: Any) -> None:
    """What a folder import did, on stderr: warnings, skipped and failed files, counts."""
    for _, report in done.imported:
        for warning in report.warnings:
            typer.echo(f"warning: {warning}", err=True)
    for path, reason in done.skipped:
        typer.echo(f"skipped {path.relative_to(folder)}: {reason}", err=True)
    for path, error in done.failed:
        typer.echo(f"failed {path.relative_to(folder)}: {error}", err=True)
    words = sum(report.transcript.word_count for _, report in done.imported)
    typer.echo(
        f"{folder}: imported {len(done.imported)} files ({words} words), "
        f"skipped {len(done.skipped)}, failed {len(done.failed)}",
        err=True,
    )


def _import_qdpx(ctx: typer.Context, path: Path, as_json: bool) -> None:
    from qualcode.services.exchange import import_qdpx

    with location(ctx).open() as project:
        report = import_qdpx(project, path, coder=resolve_coder(None))
    if as_json:
        print_json(exchange_json(report))
    else:
        print_exchange(report, "Imported")


@app.command("import-codings")
def import_codings(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV (, ; or tab) or .xlsx: transcript,coder,code,start,end[,memo][,quote] "
            "or transcript,coder,code,quote[,occurrence][,memo]."
        ),
    ],
    skip_bad: Annotated[
        bool, typer.Option("--skip-bad", help="Import the good rows and list the bad ones.")
    ] = False,
) -> None:
    """Import codings made elsewhere from a CSV or Excel file (coders are created as needed)."""
    from qualcode.services.codings_csv import import_codings_csv

    with location(ctx).open() as project:
        report = import_codings_csv(project, file, skip_bad=skip_bad)
    typer.echo(f"Imported {report.imported} codings from {file.name}")
    if report.coders_created:
        typer.echo(f"New coders: {', '.join(report.coders_created)}")
    for problem in report.skipped:
        typer.echo(f"skipped {problem}", err=True)
