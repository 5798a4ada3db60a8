"""Quotes for reports: quotes (find and export a collection), pseudonyms,
attribution."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qualcode.cli.helpers import (
    UsageProblem,
    check_stdout_format,
    default_export,
    is_stdout,
    location,
    make_typer,
    print_json,
    print_table,
    resolve_coder,
    split_values,
)
from qualcode.cli.options import (
    AllowLeaksOption,
    CoderOption,
    CollectionFormatOption,
    ExportLanguageOption,
    JsonOption,
)

app = make_typer(__doc__)  # the root's table (qualcode.cli.COMMANDS) finds commands here


@app.command()
def quotes(
    ctx: typer.Context,
    query: Annotated[
        str, typer.Argument(help="A query, e.g. 'ACT.WAIT AND role:participant' (docs/query.md).")
    ],
    context: Annotated[
        int, typer.Option("--context", help="Sentences of context around each quote.")
    ] = 0,
    fmt: CollectionFormatOption = "md",
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
    allow_leaks: AllowLeaksOption = False,
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

    with location(ctx).open() as project:
        choice = choose_coders(
            project,
            coders=split_values(coders),
            consensus=None if not consensus else "",
            all_coders=all_coders,
            current=resolve_coder(None),
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
        check_stdout_format(output, fmt)
        if not found.passages:
            message = f"0 passages match {found.query}; nothing was written."
            typer.echo(message, err=is_stdout(output))
            return
        output = output or default_export(project, "quotes", fmt)
        written = write_collection(project, collection, fmt, output, allow_leaks=allow_leaks)
    # counted as the document counts them: a passage under two themes is two quotes
    quotes, passages, groups = len(collection.quotes), len(found.passages), len(collection.themes)
    typer.echo(
        f"Wrote {quotes} quote{'s' * (quotes != 1)} ({passages} passage{'s' * (passages != 1)}) "
        f"in {groups} theme{'s' * (groups != 1)} to {written} (codings of {choice.description})",
        err=is_stdout(output),
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

    with location(ctx).open() as project:
        if term is not None:
            if remove == (replacement is not None):
                raise UsageProblem("give TERM REPLACEMENT, or TERM --remove")
            set_pseudonym(
                project, term, None if remove else replacement, coder=resolve_coder(coder)
            )
        listed = pseudonym_list(project)
    if as_json:
        print_json(listed)
    else:
        print_table(
            ["term", "replacement"],
            [[t, r] for t, r in sorted(listed.items())],
            empty="No names or places are listed for pseudonymisation.",
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

    with location(ctx).open() as project:
        if role or mode or template:
            found = set_attribution(
                project, coder=resolve_coder(coder), role=role, mode=mode, template=template
            )
        else:
            found = attribution(project)
    typer.echo(f"template: {found.template}")
    print_table(
        ["role", "attributed as"],
        [[k, v] for k, v in found.roles.items()],
        empty="No attribution is set for any role.",
    )
    print_table(
        ["mode", "attributed as"],
        [[k, v] for k, v in found.modes.items()],
        empty="No attribution is set for any mode.",
    )
    typer.echo(f'e.g. "{found.of("participant", "focus_group")}"')
