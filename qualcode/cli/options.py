"""Options and arguments that several command families declare alike, written once so
their names and help texts cannot drift apart. An option one family alone uses is
declared in that family's module.

These are used in the commands' annotations, which Typer evaluates in the command's
module: import them there at run time, not under TYPE_CHECKING.
"""

from __future__ import annotations

from typing import Annotated

import typer

JsonOption = Annotated[
    bool, typer.Option("--json", help="Machine-readable output (see docs/cli.md).")
]

CoderOption = Annotated[
    str | None,
    typer.Option("--coder", help="Who is coding (default: $QUALCODE_CODER or your login name)."),
]

TranscriptArgument = Annotated[str, typer.Argument(help="Transcript id or title.")]

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

# quote collections: `quotes` and `collection export` write the same formats
CollectionFormatOption = Annotated[
    str, typer.Option("--format", "-f", help="md, html, csv, json, docx or xlsx.")
]

AllowLeaksOption = Annotated[
    bool, typer.Option("--allow-leaks", help="Write even if a listed name remains.")
]
