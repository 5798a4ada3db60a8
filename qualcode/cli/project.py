"""Create a project and say what is in it: init, stats, coders."""

from __future__ import annotations

from typing import Annotated

import typer

from qualcode.cli import startup
from qualcode.cli.helpers import location, make_typer, print_json, print_table
from qualcode.cli.options import JsonOption

app = make_typer(__doc__)  # the root's table (qualcode.cli.COMMANDS) finds commands here


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
    where = location(ctx)
    from qualcode.services.project import init_project

    folder = directory or where.directory or (None if where.db else ".")
    with init_project(folder, db_url=where.db, language=lang, name=name) as project:
        startup.loaded()
        typer.echo(f"Created project in {project.directory or project.database.where}")


@app.command()
def stats(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Counts of transcripts, words and codings per code, coder and transcript."""
    from qualcode.services.stats import project_stats

    with location(ctx).open() as project:
        figures = project_stats(project)
    if as_json:
        print_json(figures.__dict__)
        return
    typer.echo(
        f"{figures.transcripts} transcripts, {figures.words} words, "
        f"{figures.codes} codes, {figures.codings} codings"
    )
    if figures.by_code:
        typer.echo("")
        print_table(["code", "codings"], [[k, v] for k, v in figures.by_code.items()], empty="")
    if figures.by_coder:
        typer.echo("")
        print_table(["coder", "codings"], [[k, v] for k, v in figures.by_coder.items()], empty="")


@app.command()
def coders(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the coders."""
    from qualcode.services.coders import list_coders

    with location(ctx).open() as project:
        found = list_coders(project)
    if as_json:
        print_json([{"id": c.id, "uuid": c.uuid, "name": c.name} for c in found])
    else:
        print_table(["id", "name"], [[c.id, c.name] for c in found], empty="No coders yet.")
