"""The collection sub-app: named quote collections, built, ordered, edited, exported."""

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
    short,
)
from qualcode.cli.options import (
    AllowLeaksOption,
    CoderOption,
    CollectionFormatOption,
    ExportLanguageOption,
    JsonOption,
    TranscriptArgument,
)

app = make_typer(__doc__)  # the root's table (qualcode.cli.COMMANDS) finds commands here
collection_app = make_typer("Named quote collections for reports: add, order, edit, export.")
app.add_typer(collection_app, name="collection")

CollectionName = Annotated[str, typer.Argument(help="Collection name.")]


@collection_app.command("create")
def collection_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A short name, e.g. 'on-hold'.")],
    title: Annotated[str | None, typer.Option("--title", help="Title used in exports.")] = None,
    coder: CoderOption = None,
) -> None:
    """Create an empty quote collection."""
    from qualcode.services.collections import create_collection

    with location(ctx).open() as project:
        create_collection(project, name, title=title, coder=resolve_coder(coder))
    typer.echo(f"Created collection {name!r}")


@collection_app.command("add")
def collection_add(
    ctx: typer.Context,
    name: CollectionName,
    query: Annotated[str, typer.Argument(help="Add every passage this query finds.")],
    theme: Annotated[
        str | None, typer.Option("--theme", help="Theme for them all (default: first code).")
    ] = None,
    coder: CoderOption = None,
) -> None:
    """Add the passages a query finds to a collection."""
    from qualcode.services.collections import add_retrieval
    from qualcode.services.retrieval import retrieve

    with location(ctx).open() as project:
        found = retrieve(project, query)
        if not found.passages:
            typer.echo(f"0 passages match {found.query}; nothing was added to {name!r}.")
            return
        added = add_retrieval(project, name, found, coder=resolve_coder(coder), theme=theme)
    typer.echo(f"Added {added} quotes to {name!r}")


@collection_app.command("add-span")
def collection_add_span(
    ctx: typer.Context,
    name: CollectionName,
    transcript: TranscriptArgument,
    start: Annotated[int, typer.Argument()],
    end: Annotated[int, typer.Argument()],
    theme: Annotated[str, typer.Option("--theme", help="Theme (a code key or any name).")] = "",
    coder: CoderOption = None,
) -> None:
    """Add characters START..END of a transcript as a quote."""
    from qualcode.services.collections import add_span

    with location(ctx).open() as project:
        item = add_span(
            project, name, transcript, start, end, coder=resolve_coder(coder), theme=theme
        )
    typer.echo(f"Added item {item.id}: {short(item.verbatim_text)}")


@collection_app.command("edit")
def collection_edit(
    ctx: typer.Context,
    name: CollectionName,
    item: Annotated[int, typer.Argument(help="Item id (see collection show).")],
    text: Annotated[
        str | None, typer.Argument(help="Edited wording; omit to restore the verbatim.")
    ] = None,
    coder: CoderOption = None,
) -> None:
    """Edit a quote's wording: [brackets] for insertions, […] for omissions."""
    from qualcode.services.collections import edit_quote

    with location(ctx).open() as project:
        check = edit_quote(project, name, item, text, coder=resolve_coder(coder))
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
    name: CollectionName,
    item: Annotated[int, typer.Argument(help="Item id.")],
    position: Annotated[int | None, typer.Option("--to", help="New position, 1 = first.")] = None,
    theme: Annotated[str | None, typer.Option("--theme", help="Move into this theme.")] = None,
    coder: CoderOption = None,
) -> None:
    """Reorder an item or move it to another theme."""
    from qualcode.services.collections import move_item

    if position is None and theme is None:
        raise UsageProblem("say where: --to POSITION and/or --theme THEME")
    with location(ctx).open() as project:
        move_item(project, name, item, coder=resolve_coder(coder), position=position, theme=theme)
    typer.echo(f"Moved item {item}")


@collection_app.command("remove")
def collection_remove(
    ctx: typer.Context,
    name: CollectionName,
    item: Annotated[int, typer.Argument(help="Item id.")],
    coder: CoderOption = None,
) -> None:
    """Remove an item from a collection."""
    from qualcode.services.collections import remove_item

    with location(ctx).open() as project:
        remove_item(project, name, item, coder=resolve_coder(coder))
    typer.echo(f"Removed item {item}")


@collection_app.command("list")
def collection_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the collections."""
    from qualcode.services.collections import list_collections

    with location(ctx).open() as project:
        found = list_collections(project)
    if as_json:
        print_json([{"name": c.name, "title": c.title, "items": c.items} for c in found])
    else:
        print_table(
            ["name", "title", "items"],
            [[c.name, c.title, c.items] for c in found],
            empty="No collections yet: qualcode collection create NAME makes one.",
        )


@collection_app.command("show")
def collection_show(
    ctx: typer.Context,
    name: CollectionName,
    as_json: JsonOption = False,
) -> None:
    """Show a collection's items in order."""
    from qualcode.services.collections import show_collection

    with location(ctx).open() as project:
        view = show_collection(project, name)
    if as_json:
        print_json(
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
    print_table(
        ["id", "theme", "transcript", "quote", "edited"],
        [
            [i.id, i.theme, i.transcript, short(i.text, 50), "yes" if i.edited_text else ""]
            for i in view.items
        ],
        empty=f"Collection {name!r} has no quotes yet.",
    )


@collection_app.command("export")
def collection_export(
    ctx: typer.Context,
    name: CollectionName,
    fmt: CollectionFormatOption = "md",
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="File (default: exports/; - is stdout for text)."),
    ] = None,
    context: Annotated[int, typer.Option("--context", help="Sentences of context.")] = 0,
    allow_leaks: AllowLeaksOption = False,
    lang: ExportLanguageOption = None,
) -> None:
    """Export a collection, pseudonymised and leak-checked."""
    from qualcode.services.quotes import stored_collection, write_collection

    check_stdout_format(output, fmt)
    with location(ctx).open() as project:
        collection = stored_collection(project, name, context=context, language=lang)
        path = output or default_export(project, name, fmt)
        written = write_collection(project, collection, fmt, path, allow_leaks=allow_leaks)
    typer.echo(f"Wrote {len(collection.quotes)} quotes to {written}", err=is_stdout(path))
