"""The attr sub-app: typed attributes of transcripts and cases."""

from __future__ import annotations

from typing import Annotated

import typer

from qualcode.cli.helpers import location, make_typer, print_json, print_table, resolve_coder
from qualcode.cli.options import CoderOption, JsonOption

app = make_typer(__doc__)  # the root's table (qualcode.cli.COMMANDS) finds commands here
attr_app = make_typer(
    "Typed attributes of transcripts and cases (county, response status, counts)."
)
app.add_typer(attr_app, name="attr")


AttrTranscript = Annotated[
    str | None, typer.Option("--transcript", "-t", help="Of this transcript.")
]
AttrCase = Annotated[str | None, typer.Option("--case", help="Of this case (e.g. a municipality).")]


@attr_app.command("set")
def attr_set(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Attribute name, e.g. county.")],
    value: Annotated[str, typer.Argument(help="The value.")],
    transcript: AttrTranscript = None,
    case: AttrCase = None,
    value_type: Annotated[
        str | None,
        typer.Option("--type", help="text, number, date or boolean (default: inferred)."),
    ] = None,
    coder: CoderOption = None,
) -> None:
    """Set an attribute of a transcript or a case."""
    from qualcode.services.attributes import set_attribute

    with location(ctx).open() as project:
        set_attribute(
            project,
            name,
            value,
            coder=resolve_coder(coder),
            transcript=transcript,
            case=case,
            value_type=value_type,
        )
    typer.echo(f"Set {name} = {value} on {transcript or case}")


@attr_app.command("unset")
def attr_unset(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Attribute name.")],
    transcript: AttrTranscript = None,
    case: AttrCase = None,
    coder: CoderOption = None,
) -> None:
    """Remove an attribute value: it becomes missing (not zero)."""
    from qualcode.services.attributes import set_attribute

    with location(ctx).open() as project:
        set_attribute(
            project, name, None, coder=resolve_coder(coder), transcript=transcript, case=case
        )
    typer.echo(f"Removed {name} from {transcript or case}")


@attr_app.command("list")
def attr_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List every attribute value."""
    from qualcode.services.attributes import list_values

    with location(ctx).open() as project:
        found = list_values(project)
    if as_json:
        print_json(
            [
                {
                    "attribute": v.attribute,
                    "type": v.value_type,
                    "scope": v.scope,
                    "owner": v.owner,
                    "value": v.value,
                }
                for v in found
            ]
        )
    else:
        print_table(
            ["attribute", "scope", "owner", "value"],
            [[v.attribute, v.scope, v.owner, v.value] for v in found],
            empty="No attributes are set.",
        )
