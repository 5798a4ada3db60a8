"""What every command family shares: the error handling group, the project a command
opens, the coder it acts as, and the printers of JSON, tables and exchange reports.

Nothing here imports the services at module level: a command's start-up loads only
what that command uses (tests/test_import_hygiene.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from qualcode.cli import startup
from qualcode.domain.errors import InvalidInput, QualcodeError

if TYPE_CHECKING:
    from qualcode.domain.records import Transcript
    from qualcode.services.project import Project


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


def make_typer(help_text: str | None, cls: type[TyperGroup] = QualcodeGroup) -> typer.Typer:
    """A Typer app with the settings every qualcode (sub)command shares: no shell
    completion options, no Rich markup or tracebacks, -h as well as --help."""
    return typer.Typer(
        cls=cls,
        help=help_text,
        no_args_is_help=False,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )


@dataclass
class Location:
    """Where the project is, from the root's -p/--project and --db."""

    directory: str | None
    db: str | None

    def open(self) -> Project:
        from qualcode.services.project import open_project

        project = open_project(self.directory, self.db)
        startup.loaded()
        return project


def location(ctx: typer.Context) -> Location:
    found: Location = ctx.find_root().obj
    return found


def resolve_coder(name: str | None) -> str:
    """--coder as given, else $QUALCODE_CODER or the login name; an empty name is an error."""
    from qualcode.services.coders import default_coder_name

    if name is None:
        return default_coder_name()
    if not name.strip():
        raise InvalidInput(
            "--coder needs a name; leave it out to use $QUALCODE_CODER or your login name"
        )
    return name


def split_values(values: list[str] | None) -> list[str]:
    """A repeatable option's values, each of which may also be comma-separated."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def print_table(headers: list[str], rows: list[list[Any]], *, empty: str) -> None:
    """Rows under their headers, or the sentence ``empty`` says when there are none."""
    if not rows:
        typer.echo(empty)
        return
    cells = [[str(v) if v is not None else "" for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    typer.echo("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for row in cells:
        typer.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def short(text: str, width: int = 60) -> str:
    """A text on one line, cut with an ellipsis for a terminal listing."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def transcript_json(t: Transcript) -> dict[str, Any]:
    """A transcript as `transcripts --json`, `show --json` and `import --json` print it."""
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


def exchange_json(report: Any) -> dict[str, Any]:
    """A REFI-QDA import's or export's report, as `import`/`export --json` print it."""
    return {
        "file": str(report.path) if report.path else None,
        **report.counts,
        "not_carried": list(report.not_carried),
        "warnings": list(report.warnings),
    }


def print_exchange(report: Any, verb: str) -> None:
    typer.echo(f"{verb} {report.path.name if report.path else ''}: {report.summary()}")
    for warning in report.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if report.not_carried:
        typer.echo("Not carried over:")
        for item in report.not_carried:
            typer.echo(f"  - {item}")


def is_stdout(output: Path | None) -> bool:
    return output is not None and str(output) == "-"


def check_stdout_format(output: Path | None, fmt: str) -> None:
    """Only text formats may go to standard output; Word and Excel files are bytes."""
    from qualcode.export import registry

    if is_stdout(output) and not registry.find_format("collection", fmt).text:
        raise UsageProblem(f"{fmt} is not text; give a file name with -o instead of -")


def default_export(project: Project, stem: str, fmt: str) -> Path:
    """A dated file in the project's exports/ folder (made owner-only)."""
    from datetime import datetime

    project.exports_dir.mkdir(mode=0o700, exist_ok=True)
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in stem)[:60]
    return project.exports_dir / f"{safe}-{datetime.now():%Y%m%d-%H%M%S}.{fmt}"


def check_output(kind: str, output: Path | None) -> None:
    """A file name whose extension no writer of ``kind`` has is a usage error, said
    before anything is computed."""
    if output is None:
        return
    from qualcode.services.table_files import check_path

    try:
        check_path(kind, output)
    except InvalidInput as exc:
        raise UsageProblem(str(exc)) from None


def table_language(project: Any, lang: str | None, output: Path | None) -> str:
    """The language of a table's words: ``--lang`` when given; else the project's when
    the table goes to a file (a document for a report), English on the terminal and in
    ``--json``, where the tool speaks and scripts read identifiers (docs/decisions.md)."""
    from qualcode.services.quotes import export_language

    if lang is None and output is None:
        return "en"
    return export_language(project, lang)
