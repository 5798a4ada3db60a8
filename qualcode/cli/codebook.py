"""The codebook sub-app: check, apply, merge, retire, export and list codes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qualcode.cli import startup
from qualcode.cli.helpers import (
    UsageProblem,
    is_stdout,
    location,
    make_typer,
    print_json,
    print_table,
    resolve_coder,
)
from qualcode.cli.options import CoderOption, JsonOption

app = make_typer(__doc__)  # the root's table (qualcode.cli.COMMANDS) finds commands here
codebook_app = make_typer("Check, apply and export codebooks (YAML, REFI-QDA .qdc).")
app.add_typer(codebook_app, name="codebook")


@codebook_app.command("check")
def codebook_check(file: Annotated[Path, typer.Argument(help="YAML codebook.")]) -> None:
    """Validate a YAML codebook without touching any project."""
    from qualcode.codebook import load_codebook

    startup.loaded()
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

        with location(ctx).open() as project:
            diff, warnings = apply_qdc(
                project, file, coder=resolve_coder(coder), dry_run=dry_run, retire_missing=retire
            )
        for warning in warnings:
            typer.echo(f"warning: {warning}", err=True)
    else:
        book = load_codebook(file)
        with location(ctx).open() as project:
            diff = (
                diff_codebook(project, book, retire_missing=retire)
                if dry_run
                else apply_codebook(
                    project, book, coder=resolve_coder(coder), retire_missing=retire
                )
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

    with location(ctx).open() as project:
        merged = merge_codes(project, source, target, coder=resolve_coder(coder))
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

    with location(ctx).open() as project:
        edit_code(project, key, coder=resolve_coder(coder), retired=not undo_retire)
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
    to_stdout = output is None or is_stdout(output)
    if fmt in documents and to_stdout and not find_format("codebook", fmt).text:
        raise UsageProblem(f"a {fmt} codebook cannot go to standard output; give -o FILE")
    with location(ctx).open() as project:
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

    with location(ctx).open() as project:
        found = list_codes(project)
        counts = coding_counts(project)
    if as_json:
        print_json(
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
        print_table(
            ["key", "name", "hotkey", "codings"],
            [[c.key, c.name, c.hotkey, counts.get(c.key, 0)] for c in found],
            empty="No codes yet: qualcode codebook apply FILE adds a codebook.",
        )
