"""The ``qualcode`` command line: a thin shell over ``qualcode.services``.

Every listing takes ``--json`` with the stable keys documented in docs/cli.md. A user
error prints one sentence on stderr and exits 1; a usage error exits 2. Textual and
spaCy are imported only by the commands that need them, so batch commands start fast.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from qualcode.domain.errors import InvalidInput, QualcodeError
from qualcode.domain.records import TRANSCRIPT_MODES, Coding, Memo, Transcript

if TYPE_CHECKING:
    from qualcode.services.project import Project

# Services (and with them SQLAlchemy) are imported inside each command, so `--help`
# and a command's start-up load only what that command uses (tests/test_import_hygiene.py).


class UsageProblem(typer.BadParameter):
    """Arguments that do not fit together: shown with the usage line, exit code 2."""


class QualcodeGroup(TyperGroup):
    """Prints every QualcodeError a command raises as one sentence and exits 1; a query
    that does not parse also shows the query with a caret under the problem."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except QualcodeError as exc:
            pointer = getattr(exc, "pointer", None)  # QuerySyntaxError, without importing it
            if pointer is not None:
                typer.echo(f"qualcode: bad query, {exc}\n{pointer()}", err=True)
            else:
                typer.echo(f"qualcode: {exc}", err=True)
            raise typer.Exit(1) from exc


def _typer(help_text: str) -> typer.Typer:
    return typer.Typer(
        cls=QualcodeGroup,
        help=help_text,
        no_args_is_help=False,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )


app = _typer("qualcode: code qualitative interview transcripts from the keyboard.")
codebook_app = _typer("Check, apply and export codebooks (YAML, REFI-QDA .qdc).")
memo_app = _typer("Write and read memos on the project, transcripts, codes and codings.")
attr_app = _typer("Typed attributes of transcripts and cases (county, response status, counts).")
collection_app = _typer("Named quote collections for reports: add, order, edit, export.")
app.add_typer(collection_app, name="collection")
app.add_typer(codebook_app, name="codebook")
app.add_typer(memo_app, name="memo")
app.add_typer(attr_app, name="attr")
cases_app = _typer(
    "Cases (municipalities, districts): list, link transcripts and speakers, import a case "
    "table, print tables and rates."
)
app.add_typer(cases_app, name="cases")
reference_app = _typer(
    "Reference populations for rates: asylum-seeking children per county and year, say."
)
cases_app.add_typer(reference_app, name="reference")


@dataclass
class Location:
    directory: str | None
    db: str | None

    def open(self) -> Project:
        from qualcode.services.project import open_project

        return open_project(self.directory, self.db)


JsonOption = Annotated[
    bool, typer.Option("--json", help="Machine-readable output (see docs/cli.md).")
]
CoderOption = Annotated[
    str | None,
    typer.Option("--coder", help="Who is coding (default: $QUALCODE_CODER or your login name)."),
]


def _location(ctx: typer.Context) -> Location:
    location: Location = ctx.find_root().obj
    return location


def _coder(name: str | None) -> str:
    from qualcode.services.coders import default_coder_name

    if name is None:
        return default_coder_name()
    if not name.strip():
        raise InvalidInput(
            "--coder needs a name; leave it out to use $QUALCODE_CODER or your login name"
        )
    return name


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _table(headers: list[str], rows: list[list[Any]], *, empty: str) -> None:
    """Rows under their headers, or the sentence ``empty`` says when there are none."""
    if not rows:
        typer.echo(empty)
        return
    cells = [[str(v) if v is not None else "" for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    typer.echo("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for row in cells:
        typer.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


@app.callback(invoke_without_command=True)
def _main(
    ctx: typer.Context,
    project: Annotated[
        str | None,
        typer.Option(
            "-p",
            "--project",
            envvar="QUALCODE_PROJECT",
            help="Project folder (default: the current folder).",
        ),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="QUALCODE_DB",
            help="SQLAlchemy database URL instead of the folder's qualcode.db.",
        ),
    ] = None,
    version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
) -> None:
    ctx.obj = Location(project, db)
    if version:
        from qualcode import __version__

        typer.echo(f"qualcode {__version__}")
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        tui(ctx)


# ---------------------------------------------------------------- project


@app.command()
def init(
    ctx: typer.Context,
    directory: Annotated[
        str | None, typer.Argument(help="Folder to create (default: -p or .).")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Transcript language: sv or en.")] = "sv",
    name: Annotated[str | None, typer.Option("--name", help="Project name.")] = None,
) -> None:
    """Create a new project."""
    where = _location(ctx)
    from qualcode.services.project import init_project

    folder = directory or where.directory or (None if where.db else ".")
    with init_project(folder, db_url=where.db, language=lang, name=name) as project:
        typer.echo(f"Created project in {project.directory or project.database.where}")


@app.command()
def stats(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Counts of transcripts, words and codings per code, coder and transcript."""
    from qualcode.services.stats import project_stats

    with _location(ctx).open() as project:
        figures = project_stats(project)
    if as_json:
        _print_json(figures.__dict__)
        return
    typer.echo(
        f"{figures.transcripts} transcripts, {figures.words} words, "
        f"{figures.codes} codes, {figures.codings} codings"
    )
    if figures.by_code:
        typer.echo("")
        _table(["code", "codings"], [[k, v] for k, v in figures.by_code.items()], empty="")
    if figures.by_coder:
        typer.echo("")
        _table(["coder", "codings"], [[k, v] for k, v in figures.by_coder.items()], empty="")


@app.command()
def coders(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the coders."""
    from qualcode.services.coders import list_coders

    with _location(ctx).open() as project:
        found = list_coders(project)
    if as_json:
        _print_json([{"id": c.id, "uuid": c.uuid, "name": c.name} for c in found])
    else:
        _table(["id", "name"], [[c.id, c.name] for c in found], empty="No coders yet.")


# ---------------------------------------------------------------- transcripts


def transcript_json(t: Transcript) -> dict[str, Any]:
    return {
        "id": t.id,
        "uuid": t.uuid,
        "title": t.title,
        "mode": t.mode,
        "language": t.language,
        "date": t.date,
        "case": t.case,
        "cases": list(t.cases),
        "source_name": t.source_name,
        "source_sha256": t.source_sha256,
        "version": t.version,
        "length": t.length,
        "words": t.word_count,
    }


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
        with _location(ctx).open() as project:
            report = revise_transcript(
                project, revise, files[0], speaker_pattern=speaker_pattern, repairs=repairs
            )
        if as_json:
            _print_json({**transcript_json(report.transcript), "placements": report.placements})
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
    with _location(ctx).open() as project:
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
        _print_json(
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


def _exchange_json(report: Any) -> dict[str, Any]:
    return {
        "file": str(report.path) if report.path else None,
        **report.counts,
        "not_carried": list(report.not_carried),
        "warnings": list(report.warnings),
    }


def _print_exchange(report: Any, verb: str) -> None:
    typer.echo(f"{verb} {report.path.name if report.path else ''}: {report.summary()}")
    for warning in report.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if report.not_carried:
        typer.echo("Not carried over:")
        for item in report.not_carried:
            typer.echo(f"  - {item}")


def _import_qdpx(ctx: typer.Context, path: Path, as_json: bool) -> None:
    from qualcode.services.exchange import import_qdpx

    with _location(ctx).open() as project:
        report = import_qdpx(project, path, coder=_coder(None))
    if as_json:
        _print_json(_exchange_json(report))
    else:
        _print_exchange(report, "Imported")


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
    with _location(ctx).open() as project:
        report = export_qdpx(
            project,
            output,
            transcripts=_split(transcripts_) or None,
            coders=_split(coders_) or None,
        )
    if as_json:
        _print_json(_exchange_json(report))
    else:
        _print_exchange(report, "Wrote")


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

    with _location(ctx).open() as project:
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

    with _location(ctx).open() as project:
        report = merge_project(
            project, other, coder=_coder(None), codebook=codebook, dry_run=dry_run
        )
    if as_json:
        _print_json(
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

    with _location(ctx).open() as project:
        report = import_codings_csv(project, file, skip_bad=skip_bad)
    typer.echo(f"Imported {report.imported} codings from {file.name}")
    if report.coders_created:
        typer.echo(f"New coders: {', '.join(report.coders_created)}")
    for problem in report.skipped:
        typer.echo(f"skipped {problem}", err=True)


@app.command()
def transcripts(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the transcripts."""
    from qualcode.services.transcripts import list_transcripts

    with _location(ctx).open() as project:
        found = list_transcripts(project)
    if as_json:
        _print_json([transcript_json(t) for t in found])
    else:
        _table(
            ["id", "title", "mode", "lang", "date", "words"],
            [[t.id, t.title, t.mode, t.language, t.date, t.word_count] for t in found],
            empty="No transcripts yet: qualcode import FILE adds one.",
        )


@app.command()
def show(
    ctx: typer.Context,
    transcript: Annotated[str, typer.Argument(help="Transcript id or title.")],
    sentences: Annotated[
        bool, typer.Option("--sentences", help="Number the sentences (for code --sentence).")
    ] = False,
    turns: Annotated[
        bool, typer.Option("--turns", help="Number the turns (for code --turn).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Show a transcript's text with its speakers, turns and sentence units."""
    from qualcode.services.transcripts import transcript_text

    with _location(ctx).open() as project:
        doc = transcript_text(project, transcript)
    if (sentences or turns) and not as_json:
        from qualcode.services.locate import numbered_sentences, numbered_turns

        if sentences and turns:
            raise UsageProblem("choose one of --sentences and --turns")
        spans = numbered_sentences(doc) if sentences else numbered_turns(doc)
        ordered = sorted(doc.turns, key=lambda t: t.start)
        rows = [
            [
                n,
                start,
                end,
                *([ordered[n - 1].speaker_label or ""] if turns else []),
                _short(doc.text[start:end], 70),
            ]
            for n, (start, end) in enumerate(spans, 1)
        ]
        headers = ["#", "start", "end", *(["speaker"] if turns else []), "text"]
        kind = "sentences" if sentences else "turns"
        _table(headers, rows, empty=f"{doc.transcript.title!r} has no {kind}.")
        return
    if as_json:
        _print_json(
            {
                **transcript_json(doc.transcript),
                "text": doc.text,
                "text_sha256": doc.text_sha256,
                "speakers": [
                    {"id": s.id, "label": s.label, "role": s.role, "pseudonym": s.pseudonym}
                    for s in doc.speakers
                ],
                "turns": [
                    {
                        "id": t.id,
                        "start": t.start,
                        "end": t.end,
                        "speaker": t.speaker_label,
                        "role": t.speaker_role,
                        "timestamp_ms": t.timestamp_ms,
                        "verbatim": t.verbatim,
                    }
                    for t in doc.turns
                ],
                "segments": [
                    {"start": s.start, "end": s.end, "turn_id": s.turn_id} for s in doc.segments
                ],
                "units": [{"start": u.start, "end": u.end, "kind": u.kind} for u in doc.units],
            }
        )
        return
    t = doc.transcript
    typer.echo(f"# {t.title}  ({t.mode}, {t.language}, {t.word_count} words, version {t.version})")
    roles = ", ".join(f"{s.label} ({s.role})" for s in doc.speakers)
    if roles:
        typer.echo(f"speakers: {roles}")
    typer.echo("")
    typer.echo(doc.text)


@app.command()
def speakers(
    ctx: typer.Context,
    transcript: Annotated[str, typer.Argument(help="Transcript id or title.")],
    label: Annotated[str | None, typer.Argument(help="A speaker label, to change it.")] = None,
    role: Annotated[
        str | None, typer.Option("--role", help="moderator, interviewer or participant.")
    ] = None,
    pseudonym: Annotated[
        str | None, typer.Option("--pseudonym", help="Name used in exports ('' clears it).")
    ] = None,
    coder: CoderOption = None,
    as_json: JsonOption = False,
) -> None:
    """List a transcript's speakers, or set one speaker's role or pseudonym."""
    from qualcode.services.speakers import list_speakers, update_speaker

    with _location(ctx).open() as project:
        if label is not None:
            if role is None and pseudonym is None:
                raise UsageProblem("say what to change: --role and/or --pseudonym")
            update_speaker(
                project, transcript, label, coder=_coder(coder), role=role, pseudonym=pseudonym
            )
        elif role is not None or pseudonym is not None:
            raise UsageProblem("--role and --pseudonym need a speaker LABEL")
        found = list_speakers(project, transcript)
    if as_json:
        _print_json(
            [
                {
                    "id": s.id,
                    "uuid": s.uuid,
                    "label": s.label,
                    "role": s.role,
                    "pseudonym": s.pseudonym,
                }
                for s in found
            ]
        )
    else:
        _table(
            ["label", "role", "pseudonym"],
            [[s.label, s.role, s.pseudonym] for s in found],
            empty=f"No speakers were found in {transcript!r}.",
        )


# ---------------------------------------------------------------- coding


def coding_json(c: Coding) -> dict[str, Any]:
    return {
        "id": c.id,
        "uuid": c.uuid,
        "transcript_id": c.transcript_id,
        "transcript": c.transcript_title,
        "code": c.code_key,
        "coder": c.coder,
        "start": c.start,
        "end": c.end,
        "quote": c.quote,
        "quote_sha256": c.quote_sha256,
        "needs_review": c.needs_review,
        "created_at": c.created_at.isoformat(),
    }


@app.command()
def code(
    ctx: typer.Context,
    transcript: Annotated[str, typer.Argument(help="Transcript id or title.")],
    code_key: Annotated[str, typer.Argument(metavar="CODE", help="Code key.")],
    start: Annotated[
        int | None, typer.Argument(help="First character (0-based code point).")
    ] = None,
    end: Annotated[int | None, typer.Argument(help="One past the last character.")] = None,
    sentence: Annotated[
        int | None,
        typer.Option("--sentence", help="Code the Nth sentence (see show --sentences)."),
    ] = None,
    turn: Annotated[
        int | None, typer.Option("--turn", help="Code the Nth turn (see show --turns).")
    ] = None,
    quote: Annotated[
        str | None, typer.Option("--quote", help="Code these words where they occur.")
    ] = None,
    occurrence: Annotated[
        int | None,
        typer.Option("--occurrence", help="Which occurrence of --quote (1 = the first)."),
    ] = None,
    coder: CoderOption = None,
    as_json: JsonOption = False,
) -> None:
    """Apply CODE to characters START..END, or to a sentence, a turn or a quote."""
    from qualcode.services import coding as coding_service

    chosen = [
        name
        for name, value in (
            ("START END", start),
            ("--sentence", sentence),
            ("--turn", turn),
            ("--quote", quote),
        )
        if value is not None
    ]
    if len(chosen) != 1:
        raise UsageProblem(
            "say what to code: START END, --sentence N, --turn N or --quote TEXT"
            if not chosen
            else f"choose one of {' and '.join(chosen)}"
        )
    if start is not None and end is None:
        raise UsageProblem("START needs an END")
    if occurrence is not None and quote is None:
        raise UsageProblem("--occurrence goes with --quote")
    with _location(ctx).open() as project:
        if start is None:
            from qualcode.services.locate import locate

            found = locate(
                project,
                transcript,
                sentence=sentence,
                turn=turn,
                quote=quote,
                occurrence=occurrence,
            )
            start, end = found.start, found.end
        assert end is not None
        made = coding_service.apply_code(
            project, transcript=transcript, code=code_key, start=start, end=end, coder=_coder(coder)
        )
    if as_json:
        _print_json(coding_json(made))
    else:
        typer.echo(
            f"Coded {made.start}..{made.end} of {made.transcript_title!r} with "
            f"{made.code_key} (coding {made.id}, coder {made.coder}): {_short(made.quote)!r}"
        )


@app.command()
def uncode(
    ctx: typer.Context,
    target: Annotated[
        list[str],
        typer.Argument(
            metavar="CODING_ID | TRANSCRIPT CODE START END", help="A coding id, or the coded span."
        ),
    ],
    coder: CoderOption = None,
) -> None:
    """Remove one of your codings, by id or by transcript, code and span."""
    from qualcode.services import coding as coding_service

    who = _coder(coder)
    with _location(ctx).open() as project:
        if len(target) == 1 and target[0].isdigit():
            coding_id = int(target[0])
        elif (
            len(target) == 4 and target[2].lstrip("-").isdigit() and target[3].lstrip("-").isdigit()
        ):
            coding_id = coding_service.find_coding_id(
                project,
                transcript=target[0],
                code=target[1],
                start=int(target[2]),
                end=int(target[3]),
                coder=who,
            )
        else:
            raise UsageProblem("give a coding id, or TRANSCRIPT CODE START END")
        removed = coding_service.remove_coding(project, coding_id, coder=who)
    typer.echo(
        f"Removed coding {removed.id} ({removed.code_key} on {removed.start}..{removed.end} "
        f"of {removed.transcript_title!r})"
    )


@app.command()
def codings(
    ctx: typer.Context,
    transcript: Annotated[
        list[str] | None,
        typer.Option("--transcript", "-t", help="Only this transcript (repeatable)."),
    ] = None,
    code_key: Annotated[
        list[str] | None,
        typer.Option("--code", "-c", help="Only this code and its descendants (repeatable)."),
    ] = None,
    coder: Annotated[
        list[str] | None, typer.Option("--coder", help="Only this coder (repeatable).")
    ] = None,
    exact: Annotated[bool, typer.Option("--exact", help="--code without its descendants.")] = False,
    needs_review: Annotated[
        bool,
        typer.Option("--needs-review", help="Only codings a revision could not place exactly."),
    ] = False,
    fmt: Annotated[
        str | None,
        typer.Option(
            "-f",
            "--format",
            help="csv: the file import-codings reads (transcript,coder,code,start,end,memo,quote).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write the codings to FILE.csv or FILE.xlsx."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List codings, in transcript order, or write them as a file import-codings reads."""
    from qualcode.services import coding as coding_service

    if fmt is not None or output is not None:
        _write_codings(ctx, transcript, code_key, coder, exact, fmt, output)
        return
    with _location(ctx).open() as project:
        found = coding_service.list_codings(
            project,
            transcripts=transcript or (),
            codes=code_key or (),
            coders=coder or (),
            descendants=not exact,
        )
    if needs_review:
        found = [c for c in found if c.needs_review]
    if as_json:
        _print_json([coding_json(c) for c in found])
        return
    _table(
        ["id", "transcript", "code", "coder", "start", "end", "quote"],
        [
            [c.id, c.transcript_title, c.code_key, c.coder, c.start, c.end, _short(c.quote)]
            for c in found
        ],
        empty=_no_codings(transcript, code_key, coder, exact, needs_review),
    )


def _write_codings(
    ctx: typer.Context,
    transcript: list[str] | None,
    code_key: list[str] | None,
    coder: list[str] | None,
    exact: bool,
    fmt: str | None,
    output: Path | None,
) -> None:
    """``codings -f csv`` / ``-o FILE``: the codings in the shape import-codings reads."""
    from qualcode.export.registry import find_format, format_for_path
    from qualcode.services.codings_export import coding_table, render_codings, write_codings

    to_stdout = output is None or _is_stdout(output)
    chosen = (
        find_format("codings", fmt) if fmt is not None else format_for_path("codings", output)  # type: ignore[arg-type]
    )
    if to_stdout and not chosen.text:
        raise UsageProblem(f"{chosen.label} cannot go to standard output; give -o FILE")
    with _location(ctx).open() as project:
        table = coding_table(
            project,
            transcripts=transcript or (),
            codes=code_key or (),
            coders=coder or (),
            descendants=not exact,
        )
    if to_stdout:
        typer.echo(render_codings(table, chosen.name).decode("utf-8-sig"), nl=False)
    else:
        assert output is not None
        write_codings(table, output, chosen.name)
        typer.echo(f"Wrote {len(table.rows)} codings to {output}")


def _no_codings(
    transcripts: list[str] | None,
    codes: list[str] | None,
    coders: list[str] | None,
    exact: bool,
    needs_review: bool,
) -> str:
    """ "No codings of BIC by anna in 'Fokus'." — the filters said back in words."""
    words = ["No codings"]
    if needs_review:
        words.append("needing review")
    if codes:
        words.append(f"of {' or '.join(codes)}" + (" (without sub-codes)" if exact else ""))
    if coders:
        words.append(f"by {' or '.join(coders)}")
    if transcripts:
        words.append(f"in {' or '.join(map(repr, transcripts))}")
    return " ".join(words) + "."


def _short(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


@app.command()
def undo(ctx: typer.Context, coder: CoderOption = None) -> None:
    """Undo your most recent coding, memo or codebook action (never another coder's work)."""
    from qualcode.services import history

    with _location(ctx).open() as project:
        done = history.undo(project, coder=_coder(coder))
    typer.echo(done.description)


@app.command()
def redo(ctx: typer.Context, coder: CoderOption = None) -> None:
    """Redo the action you undid last."""
    from qualcode.services import history

    with _location(ctx).open() as project:
        done = history.redo(project, coder=_coder(coder))
    typer.echo(done.description)


# ---------------------------------------------------------------- memos


def memo_json(m: Memo) -> dict[str, Any]:
    return {
        "id": m.id,
        "uuid": m.uuid,
        "target": m.target,
        "ref": m.target_ref,
        "text": m.text,
        "author": m.author,
        "created_at": m.created_at.isoformat(),
        "updated_at": m.updated_at.isoformat(),
    }


def _memo_target(
    transcript: str | None, code_key: str | None, coding: int | None
) -> tuple[str, str | None]:
    given = [
        (name, ref)
        for name, ref in (
            ("transcript", transcript),
            ("code", code_key),
            ("coding", None if coding is None else str(coding)),
        )
        if ref is not None
    ]
    if len(given) > 1:
        raise UsageProblem(
            "a memo is about one thing: give at most one of --transcript, --code, --coding"
        )
    return given[0] if given else ("project", None)


MemoTranscript = Annotated[
    str | None, typer.Option("--transcript", "-t", help="About this transcript.")
]
MemoCode = Annotated[str | None, typer.Option("--code", "-c", help="About this code.")]
MemoCoding = Annotated[int | None, typer.Option("--coding", help="About this coding (id).")]


@memo_app.command("add")
def memo_add(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The memo text.")],
    transcript: MemoTranscript = None,
    code_key: MemoCode = None,
    coding: MemoCoding = None,
    coder: CoderOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a memo (to the project unless --transcript, --code or --coding is given)."""
    from qualcode.services import memos as memo_service

    target, ref = _memo_target(transcript, code_key, coding)
    with _location(ctx).open() as project:
        memo = memo_service.add_memo(
            project, target=target, ref=ref, text=text, coder=_coder(coder)
        )
    if as_json:
        _print_json(memo_json(memo))
    else:
        typer.echo(f"Added memo {memo.id} on {memo.target} {memo.target_ref or ''}".rstrip())


@memo_app.command("list")
def memo_list(
    ctx: typer.Context,
    transcript: MemoTranscript = None,
    code_key: MemoCode = None,
    coding: MemoCoding = None,
    as_json: JsonOption = False,
) -> None:
    """List memos, all or those on one transcript, code or coding."""
    from qualcode.services import memos as memo_service

    target, ref = _memo_target(transcript, code_key, coding)
    with _location(ctx).open() as project:
        found = memo_service.list_memos(project, target=target if ref else None, ref=ref)
    if as_json:
        _print_json([memo_json(m) for m in found])
    else:
        _table(
            ["id", "on", "ref", "author", "text"],
            [[m.id, m.target, m.target_ref, m.author, _short(m.text)] for m in found],
            empty=f"No memos on {ref!r}." if ref else "No memos yet.",
        )


@memo_app.command("edit")
def memo_edit(
    ctx: typer.Context,
    memo_id: Annotated[int, typer.Argument(metavar="ID")],
    text: Annotated[str, typer.Argument(help="The new text.")],
    coder: CoderOption = None,
) -> None:
    """Replace a memo's text."""
    from qualcode.services import memos as memo_service

    with _location(ctx).open() as project:
        memo = memo_service.edit_memo(project, memo_id, text=text, coder=_coder(coder))
    typer.echo(f"Edited memo {memo.id}")


@memo_app.command("delete")
def memo_delete(
    ctx: typer.Context,
    memo_id: Annotated[int, typer.Argument(metavar="ID")],
    coder: CoderOption = None,
) -> None:
    """Delete a memo (undo brings it back)."""
    from qualcode.services import memos as memo_service

    with _location(ctx).open() as project:
        memo = memo_service.delete_memo(project, memo_id, coder=_coder(coder))
    typer.echo(f"Deleted memo {memo.id}")


# ---------------------------------------------------------------- codebook


@codebook_app.command("check")
def codebook_check(file: Annotated[Path, typer.Argument(help="YAML codebook.")]) -> None:
    """Validate a YAML codebook without touching any project."""
    from qualcode.codebook import load_codebook

    book = load_codebook(file)
    groups = sum(1 for c in book.codes if c.parent_key is None)
    typer.echo(f"{file}: {len(book.codes)} codes in {groups} top-level groups, valid")


@codebook_app.command("apply")
def codebook_apply(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(help="YAML codebook, or a shipped one by name (asylum-child-welfare)."),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only print what would change.")
    ] = False,
    retire: Annotated[
        bool,
        typer.Option("--retire", help="Retire codes that are missing from the file but coded."),
    ] = False,
    coder: CoderOption = None,
) -> None:
    """Bring the project's codes in line with a YAML or REFI-QDA (.qdc) codebook. Codes
    are matched by key (a .qdc code by its GUID first); a code missing from the file is
    deleted only if unused, never when it has codings."""
    from qualcode.codebook import load_codebook
    from qualcode.services.codebook import apply_codebook, diff_codebook

    if not file.exists() and file.suffix == "" and len(file.parts) == 1:
        from qualcode.services.shipped import shipped_codebook

        file = shipped_codebook(file.name)
    if file.suffix.lower() == ".qdc":
        from qualcode.services.exchange import apply_qdc

        with _location(ctx).open() as project:
            diff, warnings = apply_qdc(
                project, file, coder=_coder(coder), dry_run=dry_run, retire_missing=retire
            )
        for warning in warnings:
            typer.echo(f"warning: {warning}", err=True)
    else:
        book = load_codebook(file)
        with _location(ctx).open() as project:
            diff = (
                diff_codebook(project, book, retire_missing=retire)
                if dry_run
                else apply_codebook(project, book, coder=_coder(coder), retire_missing=retire)
            )
    for line in diff.lines():
        typer.echo(line)
    added, updated = ("Would add", "would update") if dry_run else ("Added", "updated")
    typer.echo(f"{added} {len(diff.added)} codes, {updated} {len(diff.changed)}")


@codebook_app.command("merge")
def codebook_merge(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="Code whose codings move (it is then deleted).")],
    target: Annotated[str, typer.Argument(help="Code that receives them.")],
    coder: CoderOption = None,
) -> None:
    """Merge SOURCE into TARGET: every coding of SOURCE moves to TARGET."""
    from qualcode.services.codes import merge_codes

    with _location(ctx).open() as project:
        merged = merge_codes(project, source, target, coder=_coder(coder))
    typer.echo(merged.sentence(source, target))


@codebook_app.command("retire")
def codebook_retire(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Code key.")],
    undo_retire: Annotated[bool, typer.Option("--unretire", help="Make it usable again.")] = False,
    coder: CoderOption = None,
) -> None:
    """Retire a code: its codings stay, but it can no longer be applied."""
    from qualcode.services.codes import edit_code

    with _location(ctx).open() as project:
        edit_code(project, key, coder=_coder(coder), retired=not undo_retire)
    typer.echo(f"{'Unretired' if undo_retire else 'Retired'} {key}")


@codebook_app.command("export")
def codebook_export(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write here instead of stdout (- is stdout)."),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "-f",
            "--format",
            help="yaml or qdc (REFI-QDA) to apply elsewhere; md, html or docx for a "
            "methods appendix.",
        ),
    ] = "yaml",
    counts: Annotated[
        bool, typer.Option("--counts", help="md/html/docx: the number of codings per code.")
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="md/html/docx: names in sv or en (default: the codebook's)."),
    ] = None,
) -> None:
    """Write the project's codebook as YAML, a REFI-QDA codebook (.qdc), or a document
    (Markdown, HTML, Word) with the tree, definitions, rules and examples."""
    from qualcode.export.registry import find_format, format_names
    from qualcode.services.files import write_atomically

    documents = format_names("codebook")
    if fmt not in ("yaml", "qdc", *documents):
        raise UsageProblem(
            f"unknown codebook format {fmt!r}; choose yaml, qdc, {', '.join(documents)}"
        )
    if (counts or lang) and fmt not in documents:
        raise UsageProblem(f"--counts and --lang go with {', '.join(documents)}, not {fmt}")
    to_stdout = output is None or _is_stdout(output)
    if fmt in documents and to_stdout and not find_format("codebook", fmt).text:
        raise UsageProblem(f"a {fmt} codebook cannot go to standard output; give -o FILE")
    with _location(ctx).open() as project:
        if fmt == "qdc":
            from qualcode.services.exchange import export_qdc

            data = export_qdc(project)
        elif fmt == "yaml":
            from qualcode.codebook import dump_codebook
            from qualcode.services.codebook import export_codebook

            data = dump_codebook(export_codebook(project)).encode("utf-8")
        else:
            from qualcode.services.codebook import render_codebook_document

            data = render_codebook_document(project, fmt, language=lang, counts=counts)
    if to_stdout:
        typer.echo(data.decode("utf-8"), nl=False)
    else:
        assert output is not None
        write_atomically(output, data)
        typer.echo(f"Wrote {output}")


@codebook_app.command("list")
def codebook_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the project's codes with their coding counts."""
    from qualcode.services.codes import coding_counts, list_codes

    with _location(ctx).open() as project:
        found = list_codes(project)
        counts = coding_counts(project)
    if as_json:
        _print_json(
            [
                {
                    "key": c.key,
                    "uuid": c.uuid,
                    "parent": c.parent_key,
                    "name": c.name,
                    "labels": dict(c.labels),
                    "color": c.color,
                    "hotkey": c.hotkey,
                    "retired": c.retired,
                    "codings": counts.get(c.key, 0),
                }
                for c in found
            ]
        )
    else:
        _table(
            ["key", "name", "hotkey", "codings"],
            [[c.key, c.name, c.hotkey, counts.get(c.key, 0)] for c in found],
            empty="No codes yet: qualcode codebook apply FILE adds a codebook.",
        )


# ---------------------------------------------------------------- retrieval


ExportLanguageOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help=(
            "sv or en: the export's language: code names, definitions, attributions and "
            "its own words (default: the project's)."
        ),
    ),
]


@app.command()
def quotes(
    ctx: typer.Context,
    query: Annotated[
        str, typer.Argument(help="A query, e.g. 'ACT.WAIT AND role:participant' (docs/query.md).")
    ],
    context: Annotated[
        int, typer.Option("--context", help="Sentences of context around each quote.")
    ] = 0,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="md, html, csv, json, docx or xlsx.")
    ] = "md",
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="File to write (default: exports/; - is stdout for text)."
        ),
    ] = None,
    order: Annotated[str, typer.Option("--order", help="transcript or code.")] = "transcript",
    title: Annotated[str | None, typer.Option("--title", help="Title of the collection.")] = None,
    themes: Annotated[
        str,
        typer.Option(
            "--themes",
            help="query: a theme per code the query names; codes: one per code a passage has.",
        ),
    ] = "query",
    coders: Annotated[
        list[str] | None,
        typer.Option("--coder", help="Only these coders' codings (repeat or A,B)."),
    ] = None,
    consensus: Annotated[
        bool, typer.Option("--consensus", help="Only the consensus layer's codings.")
    ] = False,
    all_coders: Annotated[
        bool,
        typer.Option("--all-coders", help="Every coder's codings; each quote says whose."),
    ] = False,
    show_query: Annotated[
        bool, typer.Option("--show-query", help="End the document with a methods note.")
    ] = False,
    with_memos: Annotated[
        bool, typer.Option("--memos", help="Print the memos on each quote's codings beside it.")
    ] = False,
    allow_leaks: Annotated[
        bool, typer.Option("--allow-leaks", help="Write even if a listed name remains.")
    ] = False,
    lang: ExportLanguageOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the collection as JSON instead.")
    ] = False,
) -> None:
    """Find passages with a query and export them as a themed, pseudonymised collection.

    Whose codings count: the consensus layer when there is one, else yours (--coder
    default) when you have codings, else every coder's with each quote saying whose."""
    from qualcode.services.quotes import (
        build_collection,
        choose_coders,
        render_collection,
        write_collection,
    )
    from qualcode.services.retrieval import retrieve

    with _location(ctx).open() as project:
        choice = choose_coders(
            project,
            coders=_split(coders),
            consensus=None if not consensus else "",
            all_coders=all_coders,
            current=_coder(None),
        )
        found = retrieve(project, query, context=context, order=order, coders=choice.coders)
        collection = build_collection(
            project,
            found,
            title=title,
            themes=themes,
            choice=choice,
            show_query=show_query,
            language=lang,
            memos=with_memos,
        )
        if as_json:
            data = render_collection(
                project, collection, "json", target="the output", allow_leaks=allow_leaks
            )
            typer.echo(data.decode("utf-8"))
            return
        _check_stdout_format(output, fmt)
        if not found.passages:
            message = f"0 passages match {found.query}; nothing was written."
            typer.echo(message, err=_is_stdout(output))
            return
        output = output or _default_export(project, "quotes", fmt)
        written = write_collection(project, collection, fmt, output, allow_leaks=allow_leaks)
    # counted as the document counts them: a passage under two themes is two quotes
    quotes, passages, groups = len(collection.quotes), len(found.passages), len(collection.themes)
    typer.echo(
        f"Wrote {quotes} quote{'s' * (quotes != 1)} ({passages} passage{'s' * (passages != 1)}) "
        f"in {groups} theme{'s' * (groups != 1)} to {written} (codings of {choice.description})",
        err=_is_stdout(output),
    )


@app.command()
def pseudonyms(
    ctx: typer.Context,
    term: Annotated[
        str | None, typer.Argument(help="A name or place to replace in exports.")
    ] = None,
    replacement: Annotated[str | None, typer.Argument(help="What to write instead.")] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Take TERM off the list.")] = False,
    coder: CoderOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the pseudonymisation list, or add, change or remove one term."""
    from qualcode.services.pseudonyms import pseudonym_list, set_pseudonym

    with _location(ctx).open() as project:
        if term is not None:
            if remove == (replacement is not None):
                raise UsageProblem("give TERM REPLACEMENT, or TERM --remove")
            set_pseudonym(project, term, None if remove else replacement, coder=_coder(coder))
        listed = pseudonym_list(project)
    if as_json:
        _print_json(listed)
    else:
        _table(
            ["term", "replacement"],
            [[t, r] for t, r in sorted(listed.items())],
            empty="No names or places are listed for pseudonymisation.",
        )


# ---------------------------------------------------------------- collections


@collection_app.command("create")
def collection_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A short name, e.g. 'on-hold'.")],
    title: Annotated[str | None, typer.Option("--title", help="Title used in exports.")] = None,
    coder: CoderOption = None,
) -> None:
    """Create an empty quote collection."""
    from qualcode.services.collections import create_collection

    with _location(ctx).open() as project:
        create_collection(project, name, title=title, coder=_coder(coder))
    typer.echo(f"Created collection {name!r}")


@collection_app.command("add")
def collection_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Collection name.")],
    query: Annotated[str, typer.Argument(help="Add every passage this query finds.")],
    theme: Annotated[
        str | None, typer.Option("--theme", help="Theme for them all (default: first code).")
    ] = None,
    coder: CoderOption = None,
) -> None:
    """Add the passages a query finds to a collection."""
    from qualcode.services.collections import add_retrieval
    from qualcode.services.retrieval import retrieve

    with _location(ctx).open() as project:
        found = retrieve(project, query)
        if not found.passages:
            typer.echo(f"0 passages match {found.query}; nothing was added to {name!r}.")
            return
        added = add_retrieval(project, name, found, coder=_coder(coder), theme=theme)
    typer.echo(f"Added {added} quotes to {name!r}")


@collection_app.command("add-span")
def collection_add_span(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Collection name.")],
    transcript: Annotated[str, typer.Argument(help="Transcript id or title.")],
    start: Annotated[int, typer.Argument()],
    end: Annotated[int, typer.Argument()],
    theme: Annotated[str, typer.Option("--theme", help="Theme (a code key or any name).")] = "",
    coder: CoderOption = None,
) -> None:
    """Add characters START..END of a transcript as a quote."""
    from qualcode.services.collections import add_span

    with _location(ctx).open() as project:
        item = add_span(project, name, transcript, start, end, coder=_coder(coder), theme=theme)
    typer.echo(f"Added item {item.id}: {_short(item.verbatim_text)}")


@collection_app.command("edit")
def collection_edit(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Collection name.")],
    item: Annotated[int, typer.Argument(help="Item id (see collection show).")],
    text: Annotated[
        str | None, typer.Argument(help="Edited wording; omit to restore the verbatim.")
    ] = None,
    coder: CoderOption = None,
) -> None:
    """Edit a quote's wording: [brackets] for insertions, […] for omissions."""
    from qualcode.services.collections import edit_quote

    with _location(ctx).open() as project:
        check = edit_quote(project, name, item, text, coder=_coder(coder))
    typer.echo(f"Edited item {item}" if text is not None else f"Item {item} is verbatim again")
    if check is not None and not check.faithful:
        typer.echo(
            "note: these words are not the speaker's (outside brackets): "
            + ", ".join(check.foreign_words),
            err=True,
        )


@collection_app.command("move")
def collection_move(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Collection name.")],
    item: Annotated[int, typer.Argument(help="Item id.")],
    position: Annotated[int | None, typer.Option("--to", help="New position, 1 = first.")] = None,
    theme: Annotated[str | None, typer.Option("--theme", help="Move into this theme.")] = None,
    coder: CoderOption = None,
) -> None:
    """Reorder an item or move it to another theme."""
    from qualcode.services.collections import move_item

    if position is None and theme is None:
        raise UsageProblem("say where: --to POSITION and/or --theme THEME")
    with _location(ctx).open() as project:
        move_item(project, name, item, coder=_coder(coder), position=position, theme=theme)
    typer.echo(f"Moved item {item}")


@collection_app.command("remove")
def collection_remove(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Collection name.")],
    item: Annotated[int, typer.Argument(help="Item id.")],
    coder: CoderOption = None,
) -> None:
    """Remove an item from a collection."""
    from qualcode.services.collections import remove_item

    with _location(ctx).open() as project:
        remove_item(project, name, item, coder=_coder(coder))
    typer.echo(f"Removed item {item}")


@collection_app.command("list")
def collection_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the collections."""
    from qualcode.services.collections import list_collections

    with _location(ctx).open() as project:
        found = list_collections(project)
    if as_json:
        _print_json([{"name": c.name, "title": c.title, "items": c.items} for c in found])
    else:
        _table(
            ["name", "title", "items"],
            [[c.name, c.title, c.items] for c in found],
            empty="No collections yet: qualcode collection create NAME makes one.",
        )


@collection_app.command("show")
def collection_show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Collection name.")],
    as_json: JsonOption = False,
) -> None:
    """Show a collection's items in order."""
    from qualcode.services.collections import show_collection

    with _location(ctx).open() as project:
        view = show_collection(project, name)
    if as_json:
        _print_json(
            [
                {
                    "id": i.id,
                    "position": i.position,
                    "theme": i.theme,
                    "transcript": i.transcript,
                    "start": i.start,
                    "end": i.end,
                    "verbatim": i.verbatim_text,
                    "edited": i.edited_text,
                }
                for i in view.items
            ]
        )
        return
    _table(
        ["id", "theme", "transcript", "quote", "edited"],
        [
            [i.id, i.theme, i.transcript, _short(i.text, 50), "yes" if i.edited_text else ""]
            for i in view.items
        ],
        empty=f"Collection {name!r} has no quotes yet.",
    )


@collection_app.command("export")
def collection_export(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Collection name.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="md, html, csv, json, docx or xlsx.")
    ] = "md",
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="File (default: exports/; - is stdout for text)."),
    ] = None,
    context: Annotated[int, typer.Option("--context", help="Sentences of context.")] = 0,
    allow_leaks: Annotated[
        bool, typer.Option("--allow-leaks", help="Write even if a listed name remains.")
    ] = False,
    lang: ExportLanguageOption = None,
) -> None:
    """Export a collection, pseudonymised and leak-checked."""
    from qualcode.services.quotes import stored_collection, write_collection

    _check_stdout_format(output, fmt)
    with _location(ctx).open() as project:
        collection = stored_collection(project, name, context=context, language=lang)
        path = output or _default_export(project, name, fmt)
        written = write_collection(project, collection, fmt, path, allow_leaks=allow_leaks)
    typer.echo(f"Wrote {len(collection.quotes)} quotes to {written}", err=_is_stdout(path))


def _is_stdout(output: Path | None) -> bool:
    return output is not None and str(output) == "-"


def _check_stdout_format(output: Path | None, fmt: str) -> None:
    """Only text formats may go to standard output; Word and Excel files are bytes."""
    from qualcode.export import registry

    if _is_stdout(output) and not registry.find_format("collection", fmt).text:
        raise UsageProblem(f"{fmt} is not text; give a file name with -o instead of -")


def _default_export(project: Project, stem: str, fmt: str) -> Path:
    from datetime import datetime

    project.exports_dir.mkdir(mode=0o700, exist_ok=True)
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in stem)[:60]
    return project.exports_dir / f"{safe}-{datetime.now():%Y%m%d-%H%M%S}.{fmt}"


# ---------------------------------------------------------------- agreement


def _split(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


@app.command("agreement")
def agreement_(
    ctx: typer.Context,
    coders: Annotated[
        list[str] | None, typer.Option("--coders", help="A,B,… (default: all who coded).")
    ] = None,
    codes: Annotated[
        list[str] | None, typer.Option("--codes", help="Codes or groups, comma-separated.")
    ] = None,
    transcripts: Annotated[
        list[str] | None,
        typer.Option("--transcripts", help="Ids or titles (default: those all coders coded)."),
    ] = None,
    unit: Annotated[str, typer.Option("--unit", help="char, sentence or turn.")] = "sentence",
    min_overlap: Annotated[
        float, typer.Option("--min-overlap", help="IoU for matching segments (0–1).")
    ] = 0.9,
    min_share: Annotated[
        float, typer.Option("--min-share", help="Share of a unit a span must cover to mark it.")
    ] = 0.0,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write a .md, .html, .xlsx or .json report.")
    ] = None,
    bootstrap: Annotated[
        int, typer.Option("--bootstrap", help="Bootstrap draws for α's 95 % interval (0: none).")
    ] = 1000,
    lang: ExportLanguageOption = None,
    as_json: JsonOption = False,
) -> None:
    """Intercoder agreement per code and pooled: κ on characters, α on units."""
    from qualcode.export.agreement import rows, to_json
    from qualcode.services.agreement import agreement, write_report
    from qualcode.services.quotes import export_language

    with _location(ctx).open() as project:
        found = agreement(
            project,
            coders=_split(coders),
            codes=_split(codes),
            transcripts=_split(transcripts),
            unit=unit,
            min_overlap=min_overlap,
            min_share=min_share,
            bootstrap_draws=bootstrap,
        )
        language = export_language(project, lang)
    if report is not None:
        typer.echo(f"Wrote {write_report(found, report, language=language)}", err=True)
    if as_json:
        _print_json(to_json(found))
        return
    typer.echo(
        f"coders {', '.join(found.coders)}; unit {found.unit}; {len(found.transcripts)} transcripts"
    )
    fmt = lambda v, d=3: "–" if v is None else f"{v:.{d}f}"  # noqa: E731
    _table(
        ["code", "codings", "% agree", "κ chars", "α", "unitized α", "segments"],
        [
            [
                r["code"],
                "/".join(map(str, r["codings"].values())),
                fmt(r["percent_agreement"], 1),
                fmt(r["kappa_chars"]),
                fmt(r["alpha"]),
                fmt(r["unitized_alpha"]),
                fmt(r["segments_matched"], 0),
            ]
            for r in rows(found)
        ],
        empty="No codes to compare: the chosen coders used none in these transcripts.",
    )
    pooled = to_json(found)["pooled"]
    typer.echo(f"pooled: κ chars {fmt(pooled['kappa_chars'])}, α {fmt(pooled['alpha'])}")
    for group in found.groups:
        # κ beside α: Cohen's for two coders, Fleiss' (1971) for three or more
        if group.fleiss is not None:
            kappa = f"Fleiss' κ {fmt(group.fleiss.value)} ({group.fleiss.n_units} units)"
        elif group.kappa is not None:
            kappa = f"Cohen's κ {fmt(group.kappa.value)}"
        else:
            kappa = "κ –"
        typer.echo(f"{group.group}: α {fmt(group.alpha.value)}, {kappa}")


@app.command()
def disagreements(
    ctx: typer.Context,
    coder_a: Annotated[str, typer.Argument(help="First coder.")],
    coder_b: Annotated[str, typer.Argument(help="Second coder.")],
    transcripts: Annotated[
        list[str] | None, typer.Option("--transcripts", help="Ids or titles.")
    ] = None,
    codes: Annotated[
        list[str] | None, typer.Option("--codes", help="Only these codes (and below).")
    ] = None,
    consensus: Annotated[
        str, typer.Option("--consensus", help="The consensus coder layer.")
    ] = "consensus",
    unsettled: Annotated[
        bool, typer.Option("--unsettled", help="Only those not yet settled.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """List A's and B's disagreements (presence, boundary, confusion) and their settlement."""
    from qualcode.services.adjudication import list_disagreements

    with _location(ctx).open() as project:
        found = list_disagreements(
            project,
            coder_a=coder_a,
            coder_b=coder_b,
            consensus=consensus,
            transcripts=_split(transcripts),
            codes=_split(codes),
        )
    settled, total = sum(1 for d in found if d.settled), len(found)
    if unsettled:
        found = [d for d in found if not d.settled]
    if as_json:
        _print_json(
            [
                {
                    "key": d.disagreement.key,
                    "kind": d.disagreement.kind,
                    "transcript": d.transcript,
                    "start": d.disagreement.start,
                    "end": d.disagreement.end,
                    "passage": d.passage,
                    "a": [
                        {"id": c.id, "code": c.code_key, "start": c.start, "end": c.end}
                        for c in d.disagreement.codings_a
                    ],
                    "b": [
                        {"id": c.id, "code": c.code_key, "start": c.start, "end": c.end}
                        for c in d.disagreement.codings_b
                    ],
                    "decision": d.settlement.decision if d.settlement else None,
                }
                for d in found
            ]
        )
        return
    _table(
        ["key", "kind", "transcript", coder_a, coder_b, "settled", "passage"],
        [
            [
                d.disagreement.key,
                d.disagreement.kind,
                d.transcript,
                " ".join(c.code_key for c in d.disagreement.codings_a),
                " ".join(c.code_key for c in d.disagreement.codings_b),
                d.settlement.decision if d.settlement else "",
                _short(d.passage, 40),
            ]
            for d in found
        ],
        empty=(
            f"No unsettled disagreements between {coder_a} and {coder_b}."
            if unsettled
            else f"No disagreements between {coder_a} and {coder_b}."
        ),
    )
    typer.echo(f"{settled} of {total} settled")


@app.command()
def settle(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Disagreement key (see `qualcode disagreements`).")],
    decision: Annotated[str, typer.Argument(help="keep_a, keep_b, both, neither or adjust.")],
    coder_a: Annotated[str, typer.Option("--a", help="First coder.")],
    coder_b: Annotated[str, typer.Option("--b", help="Second coder.")],
    span: Annotated[str | None, typer.Option("--span", help="START..END, for adjust.")] = None,
    code_key: Annotated[str | None, typer.Option("--code", help="Code, for adjust.")] = None,
    snap: Annotated[
        bool, typer.Option("--snap", help="Widen an --span that cuts a word to whole words.")
    ] = False,
    consensus: Annotated[
        str, typer.Option("--consensus", help="The consensus coder layer.")
    ] = "consensus",
    coder: CoderOption = None,
) -> None:
    """Settle one disagreement into the consensus layer (A's and B's codings stay)."""
    from qualcode.services.adjudication import settle as settle_one

    parsed = None
    if span is not None:
        start, _, end = span.partition("..")
        if not (start.isdigit() and end.isdigit()):
            raise UsageProblem(f"--span must be START..END, not {span!r}")
        parsed = (int(start), int(end))
    with _location(ctx).open() as project:
        done = settle_one(
            project,
            key,
            decision,
            coder_a=coder_a,
            coder_b=coder_b,
            consensus=consensus,
            adjudicator=_coder(coder),
            span=parsed,
            code=code_key,
            snap=snap,
        )
    again = f" (replacing {done.replaced})" if done.replaced else ""
    typer.echo(f"Settled {key}: {done.decision}{again}; {len(done.coding_ids)} consensus codings")


@app.command("accept-agreements")
def accept_agreements_(
    ctx: typer.Context,
    coder_a: Annotated[str, typer.Argument(help="First coder.")],
    coder_b: Annotated[str, typer.Argument(help="Second coder.")],
    consensus: Annotated[
        str, typer.Option("--consensus", help="The consensus coder layer.")
    ] = "consensus",
    coder: CoderOption = None,
) -> None:
    """Copy every coding A and B agree on exactly into the consensus layer."""
    from qualcode.services.adjudication import accept_agreements

    with _location(ctx).open() as project:
        done = accept_agreements(
            project,
            coder_a=coder_a,
            coder_b=coder_b,
            consensus=consensus,
            adjudicator=_coder(coder),
        )
    typer.echo(
        f"{done.created} agreed codings copied into {consensus!r} ({done.present} were there)"
    )


@app.command("attribution")
def attribution_(
    ctx: typer.Context,
    role: Annotated[
        tuple[str, str] | None,
        typer.Option("--role", help="ROLE TEXT, e.g. participant 'en socialsekreterare'."),
    ] = None,
    mode: Annotated[
        tuple[str, str] | None,
        typer.Option("--mode", help="MODE TEXT, e.g. focus_group 'fokusgrupp'."),
    ] = None,
    template: Annotated[
        str | None, typer.Option("--template", help="How the two join, e.g. '{role} i {mode}'.")
    ] = None,
    coder: CoderOption = None,
) -> None:
    """Show or set how exported quotes are attributed (by role and mode, never by name)."""
    from qualcode.services.attribution import attribution, set_attribution

    with _location(ctx).open() as project:
        if role or mode or template:
            found = set_attribution(
                project, coder=_coder(coder), role=role, mode=mode, template=template
            )
        else:
            found = attribution(project)
    typer.echo(f"template: {found.template}")
    _table(
        ["role", "attributed as"],
        [[k, v] for k, v in found.roles.items()],
        empty="No attribution is set for any role.",
    )
    _table(
        ["mode", "attributed as"],
        [[k, v] for k, v in found.modes.items()],
        empty="No attribution is set for any mode.",
    )
    typer.echo(f'e.g. "{found.of("participant", "focus_group")}"')


# ---------------------------------------------------------------- attributes

AttrTranscript = Annotated[
    str | None, typer.Option("--transcript", "-t", help="Of this transcript.")
]
AttrCase = Annotated[str | None, typer.Option("--case", help="Of this case (e.g. a municipality).")]


@attr_app.command("set")
def attr_set(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Attribute name, e.g. county.")],
    value: Annotated[str, typer.Argument(help="The value.")],
    transcript: AttrTranscript = None,
    case: AttrCase = None,
    value_type: Annotated[
        str | None,
        typer.Option("--type", help="text, number, date or boolean (default: inferred)."),
    ] = None,
    coder: CoderOption = None,
) -> None:
    """Set an attribute of a transcript or a case."""
    from qualcode.services.attributes import set_attribute

    with _location(ctx).open() as project:
        set_attribute(
            project,
            name,
            value,
            coder=_coder(coder),
            transcript=transcript,
            case=case,
            value_type=value_type,
        )
    typer.echo(f"Set {name} = {value} on {transcript or case}")


@attr_app.command("unset")
def attr_unset(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Attribute name.")],
    transcript: AttrTranscript = None,
    case: AttrCase = None,
    coder: CoderOption = None,
) -> None:
    """Remove an attribute value: it becomes missing (not zero)."""
    from qualcode.services.attributes import set_attribute

    with _location(ctx).open() as project:
        set_attribute(project, name, None, coder=_coder(coder), transcript=transcript, case=case)
    typer.echo(f"Removed {name} from {transcript or case}")


@attr_app.command("list")
def attr_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List every attribute value."""
    from qualcode.services.attributes import list_values

    with _location(ctx).open() as project:
        found = list_values(project)
    if as_json:
        _print_json(
            [
                {
                    "attribute": v.attribute,
                    "type": v.value_type,
                    "scope": v.scope,
                    "owner": v.owner,
                    "value": v.value,
                }
                for v in found
            ]
        )
    else:
        _table(
            ["attribute", "scope", "owner", "value"],
            [[v.attribute, v.scope, v.owner, v.value] for v in found],
            empty="No attributes are set.",
        )


# ---------------------------------------------------------------- cases


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

    with _location(ctx).open() as project:
        found = list_cases(project)
    if as_json:
        _print_json([_case_json(c) for c in found])
        return
    if not found:
        typer.echo("No cases yet: qualcode cases import FILE --key COLUMN, or cases link.")
        return
    names = sorted({name for c in found for name in c.attributes})
    _table(
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

    with _location(ctx).open() as project:
        found = show_case(project, name)
    if as_json:
        _print_json(_case_json(found))
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
    transcript: Annotated[str, typer.Argument(help="Transcript id or title.")],
    cases: Annotated[list[str], typer.Argument(help="One or more case names.")],
    coder: CoderOption = None,
) -> None:
    """Add a transcript to one or more cases (a transcript may belong to several)."""
    from qualcode.services.cases import link_transcript

    with _location(ctx).open() as project:
        done = link_transcript(project, transcript, cases, coder=_coder(coder))
    for name in done.linked:
        new = " (new case)" if name in done.created else ""
        typer.echo(f"Linked {done.transcript} to {name}{new}")
    for name in done.already:
        typer.echo(f"{done.transcript} was already in {name}")


@cases_app.command("unlink")
def cases_unlink(
    ctx: typer.Context,
    transcript: Annotated[str, typer.Argument(help="Transcript id or title.")],
    case: Annotated[str | None, typer.Argument(help="The case (default: every case).")] = None,
    coder: CoderOption = None,
) -> None:
    """Take a transcript out of a case, or out of every case."""
    from qualcode.services.cases import unlink_transcript

    with _location(ctx).open() as project:
        left = unlink_transcript(project, transcript, case, coder=_coder(coder))
    typer.echo(f"Unlinked {transcript} from {', '.join(left)}" if left else "It was in no case")


@cases_app.command("link-speaker")
def cases_link_speaker(
    ctx: typer.Context,
    transcript: Annotated[str, typer.Argument(help="Transcript id or title.")],
    speaker: Annotated[str, typer.Argument(help="The speaker's label in that transcript.")],
    case: Annotated[str, typer.Argument(help="The case the speaker belongs to.")],
    coder: CoderOption = None,
) -> None:
    """Link a speaker to a case: their passages take that case's attributes first."""
    from qualcode.services.cases import link_speaker

    with _location(ctx).open() as project:
        created = link_speaker(project, transcript, speaker, case, coder=_coder(coder))
    typer.echo(f"Linked {speaker} in {transcript} to {case}" + (" (new case)" if created else ""))


@cases_app.command("unlink-speaker")
def cases_unlink_speaker(
    ctx: typer.Context,
    transcript: Annotated[str, typer.Argument(help="Transcript id or title.")],
    speaker: Annotated[str, typer.Argument(help="The speaker's label.")],
    coder: CoderOption = None,
) -> None:
    """Take a speaker out of their case: their passages take the transcript's cases."""
    from qualcode.services.cases import link_speaker

    with _location(ctx).open() as project:
        link_speaker(project, transcript, speaker, None, coder=_coder(coder))
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

    with _location(ctx).open() as project:
        report = import_case_table(
            project,
            file,
            key=key,
            coder=_coder(coder),
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

    _check_output("cases", output)
    with _location(ctx).open() as project:
        sheet = export_cases(project, output)
    typer.echo(f"Wrote {len(sheet.rows)} cases × {len(sheet.columns)} attributes to {output}")


OutputOption = Annotated[
    Path | None,
    typer.Option("-o", "--output", help="Write FILE.csv, .xlsx, .md, .html or .docx."),
]


TransposeOption = Annotated[
    bool,
    typer.Option("--transpose", help="Groups as columns, measures as rows (a report's layout)."),
]


def _check_output(kind: str, output: Path | None) -> None:
    """A file name whose extension no writer of ``kind`` has is a usage error, said
    before anything is computed."""
    if output is None:
        return
    from qualcode.services.table_files import check_path

    try:
        check_path(kind, output)
    except InvalidInput as exc:
        raise UsageProblem(str(exc)) from None


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
        _print_json(table_json(table))
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
    where: Annotated[
        str | None, typer.Option("--where", help="Only cases matching attr: filters.")
    ] = None,
    output: OutputOption = None,
    turned: TransposeOption = False,
    lang: ExportLanguageOption = None,
    as_json: JsonOption = False,
) -> None:
    """Counts and sums of case attributes per group, with a total row."""
    from qualcode.services.case_tables import case_table

    _check_output("table", output)
    with _location(ctx).open() as project:
        table = case_table(
            project,
            by=by,
            sums=[s.strip() for s in (sums or "").split(",") if s.strip()],
            counts=counts or [],
            where=where,
            language=_table_language(project, lang, output),
        )
        _emit_table(project, table, output, as_json, turned)


@reference_app.callback(invoke_without_command=True)
def reference_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the reference populations (the default)."""
    if ctx.invoked_subcommand is not None:
        return
    from qualcode.services.case_rates import list_references

    with _location(ctx).open() as project:
        found = list_references(project)
    if as_json:
        _print_json(
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

    with _location(ctx).open() as project:
        done = import_reference(
            project,
            file,
            name=name,
            coder=_coder(coder),
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
    where: Annotated[
        str | None, typer.Option("--where", help="Only cases matching attr: filters.")
    ] = None,
    output: OutputOption = None,
    turned: TransposeOption = False,
    lang: ExportLanguageOption = None,
    as_json: JsonOption = False,
) -> None:
    """Events per year per group as a % of the mean reference population, and estimates."""
    from qualcode.services.case_rates import rates

    _check_output("table", output)
    with _location(ctx).open() as project:
        table = rates(
            project,
            events=[e.strip() for e in events.split(",") if e.strip()],
            by=by,
            reference=reference,
            years=_years(years),
            estimate_for=estimate_for or [],
            where=where,
            language=_table_language(project, lang, output),
        )
        _emit_table(project, table, output, as_json, turned)


# ---------------------------------------------------------------- TUI


BlindOption = Annotated[
    bool, typer.Option("--blind", help="Hide every other coder's codings (second coding).")
]


@app.command()
def tui(ctx: typer.Context, coder: CoderOption = None, blind: BlindOption = False) -> None:
    """Open the coding workbench in the terminal."""
    from qualcode.tui.app import run_app

    with _location(ctx).open() as project:
        run_app(project, coder=_coder(coder), blind=blind)


@app.command()
def demo(
    ctx: typer.Context,
    directory: Annotated[
        Path | None, typer.Option("--dir", help="Where to build the sample project.")
    ] = None,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Rebuild the sample project from scratch.")
    ] = False,
    build_only: Annotated[
        bool, typer.Option("--build-only", help="Build it, do not open the TUI.")
    ] = False,
    coder: CoderOption = None,
    blind: BlindOption = False,
) -> None:
    """Build the sample project (once) and open it in the TUI."""
    from qualcode.services.demo import build_demo, default_demo_dir

    folder = directory or default_demo_dir()
    project = build_demo(folder, fresh=fresh, progress=lambda line: typer.echo(line, err=True))
    with project:
        typer.echo(f"Sample project: {folder}", err=True)
        if not build_only:
            from qualcode.tui.app import run_app

            run_app(project, coder=_coder(coder), open_first=True, blind=blind)


# ---------------------------------------------------------------- analysis

CoderList = Annotated[
    list[str] | None,
    typer.Option("--coder", help="Count this coder's codings (repeat to pool several)."),
]
ConsensusOption = Annotated[
    bool, typer.Option("--consensus", help="Count the consensus layer's codings.")
]
WhereOption = Annotated[
    str | None,
    typer.Option("--where", help="Only passages matching this query (docs/query.md)."),
]
CodesOption = Annotated[
    list[str] | None, typer.Option("--codes", help="Codes or groups, comma-separated.")
]
CellOption = Annotated[
    tuple[str, str] | None,
    typer.Option("--cell", help="Print the passages behind the cell ROW COL instead."),
]
AnalysisOutputOption = Annotated[
    Path | None,
    typer.Option(
        "-o",
        "--output",
        help="Write .html (heat map), .json, .csv, .xlsx, .md or .docx (pseudonymised).",
    ),
]
ChartOption = Annotated[
    Path | None, typer.Option("--chart", help="Write the heat map alone as .svg or .png.")
]


def _analysis_output(
    project: Project, result: Any, output: Path | None, chart: Path | None
) -> None:
    """Write the files asked for (pseudonymised by the service, like every export)."""
    _check_output("matrix", output)
    from qualcode.services.table_files import write_analysis

    for path in write_analysis(project, result, output=output, chart=chart):
        typer.echo(f"Wrote {path}", err=True)


def _print_table_json(data: dict[str, Any]) -> None:
    """A table's JSON on one line: indenting tens of thousands of cells would take
    longer than computing them (the standard library indents in pure Python)."""
    typer.echo(json.dumps(data, ensure_ascii=False, default=str))


def _print_matrix(result: Any) -> None:
    from qualcode.domain.analysis import format_number

    typer.echo(result.header)
    if result.note:
        typer.echo(result.note)
    header, rows = result.to_table()
    cells = [[str(row[0]), *(format_number(v, result.measure) for v in row[1:])] for row in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in cells)) for i, h in enumerate(header)]
    typer.echo(
        "  ".join(
            str(h).ljust(w) if i == 0 else str(h).rjust(w)
            for i, (h, w) in enumerate(zip(header, widths, strict=True))
        )
    )
    for row in cells:
        if row[0] == result.total_label:
            typer.echo("  ".join("-" * w for w in widths))
        typer.echo(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )


def passage_json(p: Any) -> dict[str, Any]:
    """A retrieved passage as the drill-down of a cell prints it (not pseudonymised:
    it is for the researcher's terminal, not an export)."""
    return {
        "transcript_id": p.transcript_id,
        "transcript": p.transcript,
        "mode": p.mode,
        "start": p.start,
        "end": p.end,
        "text": p.text,
        "speaker": p.speaker,
        "role": p.role,
        "timestamp_ms": p.timestamp_ms,
        "verbatim": p.verbatim,
        "codes": [{"code": code, "coder": coder} for code, coder in p.codes],
        "before": p.before,
        "after": p.after,
    }


def _print_passages(found: Any, as_json: bool) -> None:
    if as_json:
        _print_json({"query": found.query, "passages": [passage_json(p) for p in found.passages]})
        return
    typer.echo(f"{len(found.passages)} passages for {found.query}")
    for p in found.passages:
        who = f"{p.speaker} ({p.role})" if p.speaker else "no speaker"
        codes = ", ".join(sorted({code for code, _ in p.codes}))
        typer.echo(f"\n{p.transcript} [{p.start}–{p.end}] {who} · {codes}")
        typer.echo(f"  {' '.join(p.text.split())}")


def _cell_query(result: Any, cell: tuple[str, str]) -> str:
    try:
        row, column = result.find_cell(*cell)
    except KeyError as exc:
        raise QualcodeError(str(exc.args[0])) from None
    return str(result.cell_query(row, column))


def _table_language(project: Any, lang: str | None, output: Path | None) -> str:
    """The language of a table's words: ``--lang`` when given; else the project's when
    the table goes to a file (a document for a report), English on the terminal and in
    ``--json``, where the tool speaks and scripts read identifiers (docs/decisions.md)."""
    from qualcode.services.quotes import export_language

    if lang is None and output is None:
        return "en"
    return export_language(project, lang)


@app.command()
def matrix(
    ctx: typer.Context,
    rows: Annotated[
        str,
        typer.Argument(
            help="codes, transcripts, cases, attribute:NAME, speakers, roles, modes or coders."
        ),
    ],
    columns: Annotated[str, typer.Argument(help="As ROWS.")],
    measure: Annotated[
        str,
        typer.Option(
            "--measure",
            "-m",
            help="codings, passages, transcripts, cases, "
            "characters, words or share (of the words).",
        ),
    ] = "codings",
    codes: CodesOption = None,
    where: WhereOption = None,
    coder: CoderList = None,
    consensus: ConsensusOption = False,
    cell: CellOption = None,
    context: Annotated[int, typer.Option("--context", help="Sentences around each passage.")] = 0,
    output: AnalysisOutputOption = None,
    chart: ChartOption = None,
    lang: ExportLanguageOption = None,
    as_json: JsonOption = False,
) -> None:
    """Cross codes with transcripts, cases, attributes, speakers, roles, modes or coders."""
    from qualcode.services.analysis import Request, cell_passages
    from qualcode.services.analysis import matrix as build

    _check_output("matrix", output)
    with _location(ctx).open() as project:
        request = Request(
            rows, columns, measure, tuple(_split(codes)), where, tuple(coder or ()), consensus,
            _table_language(project, lang, output or chart),
        )  # fmt: skip
        result = build(project, request)
        if cell is not None:
            _print_passages(
                cell_passages(project, _cell_query(result, cell), context=context), as_json
            )
            return
        _analysis_output(project, result, output, chart)
    if as_json:
        _print_table_json(result.as_json())
    else:
        _print_matrix(result)


@app.command()
def cooccurrence(
    ctx: typer.Context,
    by: Annotated[
        str, typer.Option("--by", help="overlap, sentence, turn or near (with --within).")
    ] = "overlap",
    within: Annotated[
        int | None, typer.Option("--within", help="Within N sentences (implies --by near).")
    ] = None,
    jaccard: Annotated[bool, typer.Option("--jaccard", help="Jaccard instead of counts.")] = False,
    codes: CodesOption = None,
    where: WhereOption = None,
    coder: CoderList = None,
    consensus: ConsensusOption = False,
    cell: CellOption = None,
    context: Annotated[int, typer.Option("--context", help="Sentences around each passage.")] = 0,
    output: AnalysisOutputOption = None,
    chart: ChartOption = None,
    lang: ExportLanguageOption = None,
    as_json: JsonOption = False,
) -> None:
    """Codes × codes: where codes come together; the diagonal is each code's own count."""
    from qualcode.services.analysis import (
        CooccurrenceRequest,
        cell_passages,
        pair_query,
        turn_passages,
    )
    from qualcode.services.analysis import cooccurrence as build

    mode = "near" if within is not None and by in ("overlap", "near") else by
    _check_output("matrix", output)
    with _location(ctx).open() as project:
        request = CooccurrenceRequest(
            mode, within or 0, jaccard, tuple(_split(codes)), where, tuple(coder or ()),
            consensus, _table_language(project, lang, output or chart),
        )  # fmt: skip
        result = build(project, request)
        if cell is not None:
            try:
                row, column = result.find_cell(*cell)
            except KeyError as exc:
                raise QualcodeError(str(exc.args[0])) from None
            query = pair_query(result, row, column, mode, within or 0)
            found = (
                turn_passages(project, request, row, column, context=context)
                if query is None
                else cell_passages(project, query, context=context)
            )
            _print_passages(found, as_json)
            return
        _analysis_output(project, result, output, chart)
    if as_json:
        _print_table_json(result.as_json())
    else:
        _print_matrix(result)


@app.command()
def words(
    ctx: typer.Context,
    where: WhereOption = None,
    group: Annotated[
        list[str] | None,
        typer.Option("--group", help="Compare groups: a query per group, e.g. mode:telephone."),
    ] = None,
    lemmas: Annotated[bool, typer.Option("--lemmas", help="Count lemmas, not word forms.")] = False,
    keep_stop_words: Annotated[
        bool, typer.Option("--keep-stop-words", help="Count stop words too.")
    ] = False,
    min_length: Annotated[int, typer.Option("--min-length", help="Shortest word counted.")] = 3,
    min_count: Annotated[int, typer.Option("--min-count", help="Fewest occurrences shown.")] = 2,
    limit: Annotated[int, typer.Option("--limit", help="Most words shown (0: all).")] = 50,
    output: AnalysisOutputOption = None,
    chart: ChartOption = None,
    lang: ExportLanguageOption = None,
    as_json: JsonOption = False,
) -> None:
    """Word or lemma frequencies in the passages of a query (or whole transcripts)."""
    from qualcode.services.words import WordRequest, word_frequencies

    _check_output("matrix", output)
    with _location(ctx).open() as project:
        request = WordRequest(
            where, tuple(group or ()), lemmas, not keep_stop_words, min_length, min_count,
            limit or None, _table_language(project, lang, output or chart),
        )  # fmt: skip
        result = word_frequencies(project, request)
        _analysis_output(project, result, output, chart)
    if as_json:
        _print_table_json(result.as_json())
    elif not result.rows.labels:
        typer.echo(f"{result.header}\nNo word is frequent enough; try --min-count 1.")
    else:
        _print_matrix(result)


@app.command()
def kwic(
    ctx: typer.Context,
    term: Annotated[
        str, typer.Argument(help="A word, a phrase, a prefix (placer*) or lemma:WORD.")
    ],
    width: Annotated[int, typer.Option("--width", "-w", help="Characters either side.")] = 40,
    where: WhereOption = None,
    limit: Annotated[int, typer.Option("--limit", help="Most lines shown (0: all).")] = 0,
    as_json: JsonOption = False,
) -> None:
    """Keyword in context: every occurrence of TERM, lines aligned on it."""
    from qualcode.services.words import kwic as find

    with _location(ctx).open() as project:
        shown, lines = find(project, term, width=width, where=where, limit=limit or None)
    if as_json:
        _print_json({"term": shown, "width": width, "lines": [line.as_json() for line in lines]})
        return
    typer.echo(f"{len(lines)} occurrences of {shown}")
    for line in lines:
        typer.echo(
            f"{line.left:>{width}}  {line.keyword}  {line.right:<{width}}  "
            f"{line.transcript} [{line.start}]".rstrip()
        )


@app.command("stopwords")
def stopwords_(
    ctx: typer.Context,
    add: Annotated[list[str] | None, typer.Option("--add", help="Words to leave out too.")] = None,
    remove: Annotated[
        list[str] | None, typer.Option("--remove", help="Words of spaCy's lists to count.")
    ] = None,
    coder: CoderOption = None,
    as_json: JsonOption = False,
) -> None:
    """The project's changes to the stop-word lists that `qualcode words` leaves out."""
    from qualcode.services.words import edit_stop_words, project_stop_words

    with _location(ctx).open() as project:
        if add or remove:
            edits = edit_stop_words(
                project, add=_split(add), remove=_split(remove), coder=_coder(coder)
            )
        else:
            edits = project_stop_words(project)
    if as_json:
        _print_json(edits)
        return
    typer.echo(f"added: {', '.join(edits['add']) or '–'}")
    typer.echo(f"removed: {', '.join(edits['remove']) or '–'}")


def main() -> None:
    """Console-script entry point."""
    app(prog_name="qualcode")


if __name__ == "__main__":
    main()
