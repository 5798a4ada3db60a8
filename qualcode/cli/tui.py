"""The Textual workbench: tui, and demo (the sample project opened in it)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qualcode.cli import startup
from qualcode.cli.helpers import location, make_typer, resolve_coder
from qualcode.cli.options import CoderOption

app = make_typer(__doc__)  # the root's table (qualcode.cli.COMMANDS) finds commands here


BlindOption = Annotated[
    bool, typer.Option("--blind", help="Hide every other coder's codings (second coding).")
]


@app.command()
def tui(ctx: typer.Context, coder: CoderOption = None, blind: BlindOption = False) -> None:
    """Open the coding workbench in the terminal."""
    from qualcode.tui.app import run_app

    with location(ctx).open() as project:
        run_app(project, coder=resolve_coder(coder), blind=blind)


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
    startup.loaded()  # building the sample imports its transcripts: long work
    project = build_demo(folder, fresh=fresh, progress=lambda line: typer.echo(line, err=True))
    with project:
        typer.echo(f"Sample project: {folder}", err=True)
        if not build_only:
            from qualcode.tui.app import run_app

            run_app(project, coder=resolve_coder(coder), open_first=True, blind=blind)
