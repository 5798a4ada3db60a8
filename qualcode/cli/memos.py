"""The memo sub-app: add, list, edit and delete memos."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from qualcode.cli.helpers import (
    UsageProblem,
    location,
    make_typer,
    print_json,
    print_table,
    resolve_coder,
    short,
)
from qualcode.cli.options import CoderOption, JsonOption

if TYPE_CHECKING:
    from qualcode.domain.records import Memo

app = make_typer(__doc__)  # the root's table (qualcode.cli.COMMANDS) finds commands here
memo_app = make_typer("Write and read memos on the project, transcripts, codes and codings.")
app.add_typer(memo_app, name="memo")


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
    with location(ctx).open() as project:
        memo = memo_service.add_memo(
            project, target=target, ref=ref, text=text, coder=resolve_coder(coder)
        )
    if as_json:
        print_json(memo_json(memo))
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
    with location(ctx).open() as project:
        found = memo_service.list_memos(project, target=target if ref else None, ref=ref)
    if as_json:
        print_json([memo_json(m) for m in found])
    else:
        print_table(
            ["id", "on", "ref", "author", "text"],
            [[m.id, m.target, m.target_ref, m.author, short(m.text)] for m in found],
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

    with location(ctx).open() as project:
        memo = memo_service.edit_memo(project, memo_id, text=text, coder=resolve_coder(coder))
    typer.echo(f"Edited memo {memo.id}")


@memo_app.command("delete")
def memo_delete(
    ctx: typer.Context,
    memo_id: Annotated[int, typer.Argument(metavar="ID")],
    coder: CoderOption = None,
) -> None:
    """Delete a memo (undo brings it back)."""
    from qualcode.services import memos as memo_service

    with location(ctx).open() as project:
        memo = memo_service.delete_memo(project, memo_id, coder=resolve_coder(coder))
    typer.echo(f"Deleted memo {memo.id}")
