"""Intercoder agreement and adjudication: agreement, disagreements, settle,
accept-agreements."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qualcode.cli.helpers import (
    UsageProblem,
    location,
    make_typer,
    print_json,
    print_table,
    resolve_coder,
    short,
    split_values,
)
from qualcode.cli.options import CoderOption, ExportLanguageOption, JsonOption

app = make_typer(__doc__)  # the root's table (qualcode.cli.COMMANDS) finds commands here

CoderA = Annotated[str, typer.Argument(help="First coder.")]
CoderB = Annotated[str, typer.Argument(help="Second coder.")]
ConsensusLayerOption = Annotated[
    str, typer.Option("--consensus", help="The consensus coder layer.")
]


@app.command("agreement")
def agreement_(
    ctx: typer.Context,
    coders: Annotated[
        list[str] | None, typer.Option("--coders", help="A,B,… (default: all who coded).")
    ] = None,
    codes: Annotated[
        list[str] | None, typer.Option("--codes", help="Codes or groups, comma-separated.")
    ] = None,
    transcripts: Annotated[
        list[str] | None,
        typer.Option("--transcripts", help="Ids or titles (default: those all coders coded)."),
    ] = None,
    unit: Annotated[str, typer.Option("--unit", help="char, sentence or turn.")] = "sentence",
    min_overlap: Annotated[
        float, typer.Option("--min-overlap", help="IoU for matching segments (0–1).")
    ] = 0.9,
    min_share: Annotated[
        float, typer.Option("--min-share", help="Share of a unit a span must cover to mark it.")
    ] = 0.0,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write a .md, .html, .xlsx or .json report.")
    ] = None,
    bootstrap: Annotated[
        int, typer.Option("--bootstrap", help="Bootstrap draws for α's 95 % interval (0: none).")
    ] = 1000,
    lang: ExportLanguageOption = None,
    as_json: JsonOption = False,
) -> None:
    """Intercoder agreement per code and pooled: κ on characters, α on units."""
    from qualcode.export.agreement import rows, to_json
    from qualcode.services.agreement import agreement, write_report
    from qualcode.services.quotes import export_language

    with location(ctx).open() as project:
        found = agreement(
            project,
            coders=split_values(coders),
            codes=split_values(codes),
            transcripts=split_values(transcripts),
            unit=unit,
            min_overlap=min_overlap,
            min_share=min_share,
            bootstrap_draws=bootstrap,
        )
        language = export_language(project, lang)
    if report is not None:
        typer.echo(f"Wrote {write_report(found, report, language=language)}", err=True)
    if as_json:
        print_json(to_json(found))
        return
    typer.echo(
        f"coders {', '.join(found.coders)}; unit {found.unit}; {len(found.transcripts)} transcripts"
    )
    fmt = lambda v, d=3: "–" if v is None else f"{v:.{d}f}"  # noqa: E731
    print_table(
        ["code", "codings", "% agree", "κ chars", "α", "unitized α", "segments"],
        [
            [
                r["code"],
                "/".join(map(str, r["codings"].values())),
                fmt(r["percent_agreement"], 1),
                fmt(r["kappa_chars"]),
                fmt(r["alpha"]),
                fmt(r["unitized_alpha"]),
                fmt(r["segments_matched"], 0),
            ]
            for r in rows(found)
        ],
        empty="No codes to compare: the chosen coders used none in these transcripts.",
    )
    pooled = to_json(found)["pooled"]
    typer.echo(f"pooled: κ chars {fmt(pooled['kappa_chars'])}, α {fmt(pooled['alpha'])}")
    for group in found.groups:
        # κ beside α: Cohen's for two coders, Fleiss' (1971) for three or more
        if group.fleiss is not None:
            kappa = f"Fleiss' κ {fmt(group.fleiss.value)} ({group.fleiss.n_units} units)"
        elif group.kappa is not None:
            kappa = f"Cohen's κ {fmt(group.kappa.value)}"
        else:
            kappa = "κ –"
        typer.echo(f"{group.group}: α {fmt(group.alpha.value)}, {kappa}")


@app.command()
def disagreements(
    ctx: typer.Context,
    coder_a: CoderA,
    coder_b: CoderB,
    transcripts: Annotated[
        list[str] | None, typer.Option("--transcripts", help="Ids or titles.")
    ] = None,
    codes: Annotated[
        list[str] | None, typer.Option("--codes", help="Only these codes (and below).")
    ] = None,
    consensus: ConsensusLayerOption = "consensus",
    unsettled: Annotated[
        bool, typer.Option("--unsettled", help="Only those not yet settled.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """List A's and B's disagreements (presence, boundary, confusion) and their settlement."""
    from qualcode.services.adjudication import list_disagreements

    with location(ctx).open() as project:
        found = list_disagreements(
            project,
            coder_a=coder_a,
            coder_b=coder_b,
            consensus=consensus,
            transcripts=split_values(transcripts),
            codes=split_values(codes),
        )
    settled, total = sum(1 for d in found if d.settled), len(found)
    if unsettled:
        found = [d for d in found if not d.settled]
    if as_json:
        print_json(
            [
                {
                    "key": d.disagreement.key,
                    "kind": d.disagreement.kind,
                    "transcript": d.transcript,
                    "start": d.disagreement.start,
                    "end": d.disagreement.end,
                    "passage": d.passage,
                    "a": [
                        {"id": c.id, "code": c.code_key, "start": c.start, "end": c.end}
                        for c in d.disagreement.codings_a
                    ],
                    "b": [
                        {"id": c.id, "code": c.code_key, "start": c.start, "end": c.end}
                        for c in d.disagreement.codings_b
                    ],
                    "decision": d.settlement.decision if d.settlement else None,
                }
                for d in found
            ]
        )
        return
    print_table(
        ["key", "kind", "transcript", coder_a, coder_b, "settled", "passage"],
        [
            [
                d.disagreement.key,
                d.disagreement.kind,
                d.transcript,
                " ".join(c.code_key for c in d.disagreement.codings_a),
                " ".join(c.code_key for c in d.disagreement.codings_b),
                d.settlement.decision if d.settlement else "",
                short(d.passage, 40),
            ]
            for d in found
        ],
        empty=(
            f"No unsettled disagreements between {coder_a} and {coder_b}."
            if unsettled
            else f"No disagreements between {coder_a} and {coder_b}."
        ),
    )
    typer.echo(f"{settled} of {total} settled")


@app.command()
def settle(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Disagreement key (see `qualcode disagreements`).")],
    decision: Annotated[str, typer.Argument(help="keep_a, keep_b, both, neither or adjust.")],
    coder_a: Annotated[str, typer.Option("--a", help="First coder.")],
    coder_b: Annotated[str, typer.Option("--b", help="Second coder.")],
    span: Annotated[str | None, typer.Option("--span", help="START..END, for adjust.")] = None,
    code_key: Annotated[str | None, typer.Option("--code", help="Code, for adjust.")] = None,
    snap: Annotated[
        bool, typer.Option("--snap", help="Widen an --span that cuts a word to whole words.")
    ] = False,
    consensus: ConsensusLayerOption = "consensus",
    coder: CoderOption = None,
) -> None:
    """Settle one disagreement into the consensus layer (A's and B's codings stay)."""
    from qualcode.services.adjudication import settle as settle_one

    parsed = None
    if span is not None:
        start, _, end = span.partition("..")
        if not (start.isdigit() and end.isdigit()):
            raise UsageProblem(f"--span must be START..END, not {span!r}")
        parsed = (int(start), int(end))
    with location(ctx).open() as project:
        done = settle_one(
            project,
            key,
            decision,
            coder_a=coder_a,
            coder_b=coder_b,
            consensus=consensus,
            adjudicator=resolve_coder(coder),
            span=parsed,
            code=code_key,
            snap=snap,
        )
    again = f" (replacing {done.replaced})" if done.replaced else ""
    typer.echo(f"Settled {key}: {done.decision}{again}; {len(done.coding_ids)} consensus codings")


@app.command("accept-agreements")
def accept_agreements_(
    ctx: typer.Context,
    coder_a: CoderA,
    coder_b: CoderB,
    consensus: ConsensusLayerOption = "consensus",
    coder: CoderOption = None,
) -> None:
    """Copy every coding A and B agree on exactly into the consensus layer."""
    from qualcode.services.adjudication import accept_agreements

    with location(ctx).open() as project:
        done = accept_agreements(
            project,
            coder_a=coder_a,
            coder_b=coder_b,
            consensus=consensus,
            adjudicator=resolve_coder(coder),
        )
    typer.echo(
        f"{done.created} agreed codings copied into {consensus!r} ({done.present} were there)"
    )
