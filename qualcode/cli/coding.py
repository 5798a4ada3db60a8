"""Coding from the command line: code, uncode, codings (list or write), undo, redo."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from qualcode.cli.helpers import (
    UsageProblem,
    is_stdout,
    location,
    make_typer,
    print_json,
    print_table,
    resolve_coder,
    short,
)
from qualcode.cli.options import CoderOption, JsonOption, TranscriptArgument
from qualcode.domain.ids import as_id, as_offset

if TYPE_CHECKING:
    from qualcode.domain.records import Coding

app = make_typer(__doc__)  # the root's table (qualcode.cli.COMMANDS) finds commands here


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
    transcript: TranscriptArgument,
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
    with location(ctx).open() as project:
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
            project,
            transcript=transcript,
            code=code_key,
            start=start,
            end=end,
            coder=resolve_coder(coder),
        )
    if as_json:
        print_json(coding_json(made))
    else:
        typer.echo(
            f"Coded {made.start}..{made.end} of {made.transcript_title!r} with "
            f"{made.code_key} (coding {made.id}, coder {made.coder}): {short(made.quote)!r}"
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

    who = resolve_coder(coder)
    with location(ctx).open() as project:
        offsets = [as_offset(number) for number in target[2:]]
        if len(target) == 1 and (named := as_id(target[0])) is not None:
            coding_id = named
        elif len(target) == 4 and offsets[0] is not None and offsets[1] is not None:
            coding_id = coding_service.find_coding_id(
                project,
                transcript=target[0],
                code=target[1],
                start=offsets[0],
                end=offsets[1],
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
    with location(ctx).open() as project:
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
        print_json([coding_json(c) for c in found])
        return
    print_table(
        ["id", "transcript", "code", "coder", "start", "end", "quote"],
        [
            [c.id, c.transcript_title, c.code_key, c.coder, c.start, c.end, short(c.quote)]
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

    to_stdout = output is None or is_stdout(output)
    chosen = (
        find_format("codings", fmt) if fmt is not None else format_for_path("codings", output)  # type: ignore[arg-type]
    )
    if to_stdout and not chosen.text:
        raise UsageProblem(f"{chosen.label} cannot go to standard output; give -o FILE")
    with location(ctx).open() as project:
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


@app.command()
def undo(ctx: typer.Context, coder: CoderOption = None) -> None:
    """Undo your most recent coding, memo or codebook action (never another coder's work)."""
    from qualcode.services import history

    with location(ctx).open() as project:
        done = history.undo(project, coder=resolve_coder(coder))
    typer.echo(done.description)


@app.command()
def redo(ctx: typer.Context, coder: CoderOption = None) -> None:
    """Redo the action you undid last."""
    from qualcode.services import history

    with location(ctx).open() as project:
        done = history.redo(project, coder=resolve_coder(coder))
    typer.echo(done.description)
