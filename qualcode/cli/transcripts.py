"""Read transcripts: transcripts (the list), show, speakers."""

from __future__ import annotations

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
    transcript_json,
)
from qualcode.cli.options import CoderOption, JsonOption, TranscriptArgument

app = make_typer(__doc__)  # the root's table (qualcode.cli.COMMANDS) finds commands here


@app.command()
def transcripts(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the transcripts."""
    from qualcode.services.transcripts import list_transcripts

    with location(ctx).open() as project:
        found = list_transcripts(project)
    if as_json:
        print_json([transcript_json(t) for t in found])
    else:
        print_table(
            ["id", "title", "mode", "lang", "date", "words"],
            [[t.id, t.title, t.mode, t.language, t.date, t.word_count] for t in found],
            empty="No transcripts yet: qualcode import FILE adds one.",
        )


@app.command()
def show(
    ctx: typer.Context,
    transcript: TranscriptArgument,
    sentences: Annotated[
        bool, typer.Option("--sentences", help="Number the sentences (for code --sentence).")
    ] = False,
    turns: Annotated[
        bool, typer.Option("--turns", help="Number the turns (for code --turn).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Show a transcript's text with its speakers, turns and sentence units."""
    from qualcode.services.transcripts import transcript_text

    with location(ctx).open() as project:
        doc = transcript_text(project, transcript)
    if (sentences or turns) and not as_json:
        from qualcode.services.locate import numbered_sentences, numbered_turns

        if sentences and turns:
            raise UsageProblem("choose one of --sentences and --turns")
        spans = numbered_sentences(doc) if sentences else numbered_turns(doc)
        ordered = sorted(doc.turns, key=lambda t: t.start)
        rows = [
            [
                n,
                start,
                end,
                *([ordered[n - 1].speaker_label or ""] if turns else []),
                short(doc.text[start:end], 70),
            ]
            for n, (start, end) in enumerate(spans, 1)
        ]
        headers = ["#", "start", "end", *(["speaker"] if turns else []), "text"]
        kind = "sentences" if sentences else "turns"
        print_table(headers, rows, empty=f"{doc.transcript.title!r} has no {kind}.")
        return
    if as_json:
        print_json(
            {
                **transcript_json(doc.transcript),
                "text": doc.text,
                "text_sha256": doc.text_sha256,
                "speakers": [
                    {"id": s.id, "label": s.label, "role": s.role, "pseudonym": s.pseudonym}
                    for s in doc.speakers
                ],
                "turns": [
                    {
                        "id": t.id,
                        "start": t.start,
                        "end": t.end,
                        "speaker": t.speaker_label,
                        "role": t.speaker_role,
                        "timestamp_ms": t.timestamp_ms,
                        "verbatim": t.verbatim,
                    }
                    for t in doc.turns
                ],
                "segments": [
                    {"start": s.start, "end": s.end, "turn_id": s.turn_id} for s in doc.segments
                ],
                "units": [{"start": u.start, "end": u.end, "kind": u.kind} for u in doc.units],
            }
        )
        return
    t = doc.transcript
    typer.echo(f"# {t.title}  ({t.mode}, {t.language}, {t.word_count} words, version {t.version})")
    roles = ", ".join(f"{s.label} ({s.role})" for s in doc.speakers)
    if roles:
        typer.echo(f"speakers: {roles}")
    typer.echo("")
    typer.echo(doc.text)


@app.command()
def speakers(
    ctx: typer.Context,
    transcript: TranscriptArgument,
    label: Annotated[str | None, typer.Argument(help="A speaker label, to change it.")] = None,
    role: Annotated[
        str | None, typer.Option("--role", help="moderator, interviewer or participant.")
    ] = None,
    pseudonym: Annotated[
        str | None, typer.Option("--pseudonym", help="Name used in exports ('' clears it).")
    ] = None,
    coder: CoderOption = None,
    as_json: JsonOption = False,
) -> None:
    """List a transcript's speakers, or set one speaker's role or pseudonym."""
    from qualcode.services.speakers import list_speakers, update_speaker

    with location(ctx).open() as project:
        if label is not None:
            if role is None and pseudonym is None:
                raise UsageProblem("say what to change: --role and/or --pseudonym")
            update_speaker(
                project,
                transcript,
                label,
                coder=resolve_coder(coder),
                role=role,
                pseudonym=pseudonym,
            )
        elif role is not None or pseudonym is not None:
            raise UsageProblem("--role and --pseudonym need a speaker LABEL")
        found = list_speakers(project, transcript)
    if as_json:
        print_json(
            [
                {
                    "id": s.id,
                    "uuid": s.uuid,
                    "label": s.label,
                    "role": s.role,
                    "pseudonym": s.pseudonym,
                }
                for s in found
            ]
        )
    else:
        print_table(
            ["label", "role", "pseudonym"],
            [[s.label, s.role, s.pseudonym] for s in found],
            empty=f"No speakers were found in {transcript!r}.",
        )
