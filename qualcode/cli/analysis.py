"""Analysis: matrix, cooccurrence, words, kwic and the stop-word list."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from qualcode.cli.helpers import (
    check_output,
    location,
    make_typer,
    print_json,
    resolve_coder,
    split_values,
    table_language,
)
from qualcode.cli.options import CoderOption, ExportLanguageOption, JsonOption
from qualcode.domain.errors import QualcodeError

if TYPE_CHECKING:
    from qualcode.services.project import Project

app = make_typer(__doc__)  # the root's table (qualcode.cli.COMMANDS) finds commands here

ContextOption = Annotated[int, typer.Option("--context", help="Sentences around each passage.")]


CoderList = Annotated[
    list[str] | None,
    typer.Option("--coder", help="Count this coder's codings (repeat to pool several)."),
]
ConsensusOption = Annotated[
    bool, typer.Option("--consensus", help="Count the consensus layer's codings.")
]
WhereOption = Annotated[
    str | None,
    typer.Option("--where", help="Only passages matching this query (docs/query.md)."),
]
CodesOption = Annotated[
    list[str] | None, typer.Option("--codes", help="Codes or groups, comma-separated.")
]
CellOption = Annotated[
    tuple[str, str] | None,
    typer.Option("--cell", help="Print the passages behind the cell ROW COL instead."),
]
AnalysisOutputOption = Annotated[
    Path | None,
    typer.Option(
        "-o",
        "--output",
        help="Write .html (heat map), .json, .csv, .xlsx, .md or .docx (pseudonymised).",
    ),
]
ChartOption = Annotated[
    Path | None, typer.Option("--chart", help="Write the heat map alone as .svg or .png.")
]


def _analysis_output(
    project: Project, result: Any, output: Path | None, chart: Path | None
) -> None:
    """Write the files asked for (pseudonymised by the service, like every export)."""
    check_output("matrix", output)
    from qualcode.services.table_files import write_analysis

    for path in write_analysis(project, result, output=output, chart=chart):
        typer.echo(f"Wrote {path}", err=True)


def _print_table_json(data: dict[str, Any]) -> None:
    """A table's JSON on one line: indenting tens of thousands of cells would take
    longer than computing them (the standard library indents in pure Python)."""
    typer.echo(json.dumps(data, ensure_ascii=False, default=str))


def _print_matrix(result: Any) -> None:
    from qualcode.domain.analysis import format_number

    typer.echo(result.header)
    if result.note:
        typer.echo(result.note)
    header, rows = result.to_table()
    cells = [[str(row[0]), *(format_number(v, result.measure) for v in row[1:])] for row in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in cells)) for i, h in enumerate(header)]
    typer.echo(
        "  ".join(
            str(h).ljust(w) if i == 0 else str(h).rjust(w)
            for i, (h, w) in enumerate(zip(header, widths, strict=True))
        )
    )
    for row in cells:
        if row[0] == result.total_label:
            typer.echo("  ".join("-" * w for w in widths))
        typer.echo(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )


def passage_json(p: Any) -> dict[str, Any]:
    """A retrieved passage as the drill-down of a cell prints it (not pseudonymised:
    it is for the researcher's terminal, not an export)."""
    return {
        "transcript_id": p.transcript_id,
        "transcript": p.transcript,
        "mode": p.mode,
        "start": p.start,
        "end": p.end,
        "text": p.text,
        "speaker": p.speaker,
        "role": p.role,
        "timestamp_ms": p.timestamp_ms,
        "verbatim": p.verbatim,
        "codes": [{"code": code, "coder": coder} for code, coder in p.codes],
        "before": p.before,
        "after": p.after,
    }


def _print_passages(found: Any, as_json: bool) -> None:
    if as_json:
        print_json({"query": found.query, "passages": [passage_json(p) for p in found.passages]})
        return
    typer.echo(f"{len(found.passages)} passages for {found.query}")
    for p in found.passages:
        who = f"{p.speaker} ({p.role})" if p.speaker else "no speaker"
        codes = ", ".join(sorted({code for code, _ in p.codes}))
        typer.echo(f"\n{p.transcript} [{p.start}–{p.end}] {who} · {codes}")
        typer.echo(f"  {' '.join(p.text.split())}")


def _cell_query(result: Any, cell: tuple[str, str]) -> str:
    try:
        row, column = result.find_cell(*cell)
    except KeyError as exc:
        raise QualcodeError(str(exc.args[0])) from None
    return str(result.cell_query(row, column))


@app.command()
def matrix(
    ctx: typer.Context,
    rows: Annotated[
        str,
        typer.Argument(
            help="codes, transcripts, cases, attribute:NAME, speakers, roles, modes or coders."
        ),
    ],
    columns: Annotated[str, typer.Argument(help="As ROWS.")],
    measure: Annotated[
        str,
        typer.Option(
            "--measure",
            "-m",
            help="codings, passages, transcripts, cases, "
            "characters, words or share (of the words).",
        ),
    ] = "codings",
    codes: CodesOption = None,
    where: WhereOption = None,
    coder: CoderList = None,
    consensus: ConsensusOption = False,
    cell: CellOption = None,
    context: ContextOption = 0,
    output: AnalysisOutputOption = None,
    chart: ChartOption = None,
    lang: ExportLanguageOption = None,
    as_json: JsonOption = False,
) -> None:
    """Cross codes with transcripts, cases, attributes, speakers, roles, modes or coders."""
    from qualcode.services.analysis import Request, cell_passages
    from qualcode.services.analysis import matrix as build

    check_output("matrix", output)
    with location(ctx).open() as project:
        request = Request(
            rows, columns, measure, tuple(split_values(codes)), where, tuple(coder or ()),
            consensus, table_language(project, lang, output or chart),
        )  # fmt: skip
        result = build(project, request)
        if cell is not None:
            _print_passages(
                cell_passages(project, _cell_query(result, cell), context=context), as_json
            )
            return
        _analysis_output(project, result, output, chart)
    if as_json:
        _print_table_json(result.as_json())
    else:
        _print_matrix(result)


@app.command()
def cooccurrence(
    ctx: typer.Context,
    by: Annotated[
        str, typer.Option("--by", help="overlap, sentence, turn or near (with --within).")
    ] = "overlap",
    within: Annotated[
        int | None, typer.Option("--within", help="Within N sentences (implies --by near).")
    ] = None,
    jaccard: Annotated[bool, typer.Option("--jaccard", help="Jaccard instead of counts.")] = False,
    codes: CodesOption = None,
    where: WhereOption = None,
    coder: CoderList = None,
    consensus: ConsensusOption = False,
    cell: CellOption = None,
    context: ContextOption = 0,
    output: AnalysisOutputOption = None,
    chart: ChartOption = None,
    lang: ExportLanguageOption = None,
    as_json: JsonOption = False,
) -> None:
    """Codes × codes: where codes come together; the diagonal is each code's own count."""
    from qualcode.services.analysis import (
        CooccurrenceRequest,
        cell_passages,
        pair_query,
        turn_passages,
    )
    from qualcode.services.analysis import cooccurrence as build

    mode = "near" if within is not None and by in ("overlap", "near") else by
    check_output("matrix", output)
    with location(ctx).open() as project:
        request = CooccurrenceRequest(
            mode, within or 0, jaccard, tuple(split_values(codes)), where, tuple(coder or ()),
            consensus, table_language(project, lang, output or chart),
        )  # fmt: skip
        result = build(project, request)
        if cell is not None:
            try:
                row, column = result.find_cell(*cell)
            except KeyError as exc:
                raise QualcodeError(str(exc.args[0])) from None
            query = pair_query(result, row, column, mode, within or 0)
            found = (
                turn_passages(project, request, row, column, context=context)
                if query is None
                else cell_passages(project, query, context=context)
            )
            _print_passages(found, as_json)
            return
        _analysis_output(project, result, output, chart)
    if as_json:
        _print_table_json(result.as_json())
    else:
        _print_matrix(result)


@app.command()
def words(
    ctx: typer.Context,
    where: WhereOption = None,
    group: Annotated[
        list[str] | None,
        typer.Option("--group", help="Compare groups: a query per group, e.g. mode:telephone."),
    ] = None,
    lemmas: Annotated[bool, typer.Option("--lemmas", help="Count lemmas, not word forms.")] = False,
    keep_stop_words: Annotated[
        bool, typer.Option("--keep-stop-words", help="Count stop words too.")
    ] = False,
    min_length: Annotated[int, typer.Option("--min-length", help="Shortest word counted.")] = 3,
    min_count: Annotated[int, typer.Option("--min-count", help="Fewest occurrences shown.")] = 2,
    limit: Annotated[int, typer.Option("--limit", help="Most words shown (0: all).")] = 50,
    output: AnalysisOutputOption = None,
    chart: ChartOption = None,
    lang: ExportLanguageOption = None,
    as_json: JsonOption = False,
) -> None:
    """Word or lemma frequencies in the passages of a query (or whole transcripts)."""
    from qualcode.services.words import WordRequest, word_frequencies

    check_output("matrix", output)
    with location(ctx).open() as project:
        request = WordRequest(
            where, tuple(group or ()), lemmas, not keep_stop_words, min_length, min_count,
            limit or None, table_language(project, lang, output or chart),
        )  # fmt: skip
        result = word_frequencies(project, request)
        _analysis_output(project, result, output, chart)
    if as_json:
        _print_table_json(result.as_json())
    elif not result.rows.labels:
        typer.echo(f"{result.header}\nNo word is frequent enough; try --min-count 1.")
    else:
        _print_matrix(result)


@app.command()
def kwic(
    ctx: typer.Context,
    term: Annotated[
        str, typer.Argument(help="A word, a phrase, a prefix (placer*) or lemma:WORD.")
    ],
    width: Annotated[int, typer.Option("--width", "-w", help="Characters either side.")] = 40,
    where: WhereOption = None,
    limit: Annotated[int, typer.Option("--limit", help="Most lines shown (0: all).")] = 0,
    as_json: JsonOption = False,
) -> None:
    """Keyword in context: every occurrence of TERM, lines aligned on it."""
    from qualcode.services.words import kwic as find

    with location(ctx).open() as project:
        shown, lines = find(project, term, width=width, where=where, limit=limit or None)
    if as_json:
        print_json({"term": shown, "width": width, "lines": [line.as_json() for line in lines]})
        return
    typer.echo(f"{len(lines)} occurrences of {shown}")
    for line in lines:
        typer.echo(
            f"{line.left:>{width}}  {line.keyword}  {line.right:<{width}}  "
            f"{line.transcript} [{line.start}]".rstrip()
        )


@app.command("stopwords")
def stopwords_(
    ctx: typer.Context,
    add: Annotated[list[str] | None, typer.Option("--add", help="Words to leave out too.")] = None,
    remove: Annotated[
        list[str] | None, typer.Option("--remove", help="Words of spaCy's lists to count.")
    ] = None,
    coder: CoderOption = None,
    as_json: JsonOption = False,
) -> None:
    """The project's changes to the stop-word lists that `qualcode words` leaves out."""
    from qualcode.services.words import edit_stop_words, project_stop_words

    with location(ctx).open() as project:
        if add or remove:
            edits = edit_stop_words(
                project,
                add=split_values(add),
                remove=split_values(remove),
                coder=resolve_coder(coder),
            )
        else:
            edits = project_stop_words(project)
    if as_json:
        print_json(edits)
        return
    typer.echo(f"added: {', '.join(edits['add']) or '–'}")
    typer.echo(f"removed: {', '.join(edits['remove']) or '–'}")
