"""The ``qualcode`` command line: a thin shell over ``qualcode.services``.

Every listing takes ``--json`` with the stable keys documented in docs/cli.md. A user
error prints one sentence on stderr and exits 1; a usage error exits 2. Commands are
grouped by family, one module each; ``COMMANDS`` below says which module defines which
command, and only that module is imported, and only that command built, when it runs
(``qualcode.cli.lazy``). Services, SQLAlchemy, Textual and spaCy are imported inside
the commands that use them, so batch commands start fast.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, ClassVar

import typer

from qualcode.cli import startup
from qualcode.cli.helpers import Location, make_typer
from qualcode.cli.lazy import LazyGroup

# Every command and sub-app by name → the module (in this package) that defines it, in
# the order `qualcode --help` lists them. A new command is written in its family's
# module and gets its line here (tests/cli/test_lazy_cli.py checks the two agree).
COMMANDS: dict[str, str] = {
    "init": "project",
    "stats": "project",
    "coders": "project",
    "import": "importing",
    "export": "exchange",
    "backup": "exchange",
    "merge": "exchange",
    "import-codings": "importing",
    "transcripts": "transcripts",
    "show": "transcripts",
    "speakers": "transcripts",
    "code": "coding",
    "uncode": "coding",
    "codings": "coding",
    "undo": "coding",
    "redo": "coding",
    "quotes": "quotes",
    "pseudonyms": "quotes",
    "agreement": "agreement",
    "disagreements": "agreement",
    "settle": "agreement",
    "accept-agreements": "agreement",
    "attribution": "quotes",
    "tui": "tui",
    "demo": "tui",
    "matrix": "analysis",
    "cooccurrence": "analysis",
    "words": "analysis",
    "kwic": "analysis",
    "stopwords": "analysis",
    "collection": "collection",
    "codebook": "codebook",
    "memo": "memos",
    "attr": "attributes",
    "cases": "cases",
}


class RootGroup(LazyGroup):
    modules: ClassVar[Mapping[str, str]] = {
        name: f"{__name__}.{module}" for name, module in COMMANDS.items()
    }


app = make_typer("qualcode: code qualitative interview transcripts from the keyboard.", RootGroup)


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
        from qualcode.cli.tui import tui

        tui(ctx)


def main() -> None:
    """Console-script entry point."""
    startup.loading()
    app(prog_name="qualcode")
