"""A command group that builds its subcommands one at a time, when they are asked for.

Typer turns a whole app into click objects before running anything: every command's
signature is read and every annotation evaluated (about 45 ms for qualcode's 62
commands), and every module that defines a command must be imported first. This group
instead holds a table of subcommand name → module; asking it for one name imports that
module and converts that one command (or that one sub-app, whole). `qualcode --help`
imports every family but converts none: its list needs each command's help text only.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from typer.core import TyperCommand, TyperGroup
from typer.main import (
    get_command_from_info,
    get_command_name,
    get_group_from_info,
    solve_typer_info_defaults,
)
from typer.models import CommandInfo, TyperInfo

from qualcode.cli.helpers import QualcodeGroup

if TYPE_CHECKING:
    import typer
    from typer._click import Command  # Typer ships its own copy of click


class LazyGroup(QualcodeGroup):
    """A QualcodeGroup whose subcommands live in the modules its table names.

    Each module named in ``modules`` defines a Typer app called ``app`` on which its
    commands (``@app.command``) and sub-apps (``app.add_typer``) are registered.
    """

    modules: ClassVar[Mapping[str, str]] = {}

    def list_commands(self, ctx: Any) -> list[str]:
        return [*self.modules]  # the table's order is the order --help lists them in

    def get_command(self, ctx: Any, cmd_name: str) -> Command | None:
        if cmd_name not in self.commands and cmd_name in self.modules:
            self.commands[cmd_name] = build_command(self.modules[cmd_name], cmd_name)
        return self.commands.get(cmd_name)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.modules:
            # a name not in the table: build every command, so that Typer's "Did you
            # mean …?" chooses among them all (it looks only at those built so far)
            for name in self.list_commands(ctx):
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        # Typer lays the list out from stand-ins that carry each command's help alone
        listing = TyperGroup(
            commands={
                name: self.commands.get(name) or summarise_command(module, name)
                for name, module in self.modules.items()
            }
        )
        listing.format_commands(ctx, formatter)


def registration(module_name: str, name: str) -> tuple[typer.Typer, CommandInfo | TyperInfo]:
    """The family app in ``module_name`` and its registration of command or sub-app ``name``."""
    family: typer.Typer = importlib.import_module(module_name).app
    for info in family.registered_commands:
        if info.callback and (info.name or get_command_name(info.callback.__name__)) == name:
            return family, info
    for group in family.registered_groups:
        if group.name == name:
            return family, group
    raise LookupError(f"{module_name} defines no command {name!r}")


def build_command(module_name: str, name: str) -> Command:
    """Import ``module_name`` and convert its command or sub-app ``name`` to click."""
    family, info = registration(module_name, name)
    if isinstance(info, CommandInfo):
        return get_command_from_info(
            info,
            pretty_exceptions_short=family.pretty_exceptions_short,
            rich_markup_mode=family.rich_markup_mode,
        )
    return get_group_from_info(
        info,
        pretty_exceptions_short=family.pretty_exceptions_short,
        rich_markup_mode=family.rich_markup_mode,
        suggest_commands=family.suggest_commands,
    )


def summarise_command(module_name: str, name: str) -> Command:
    """A stand-in for command ``name`` with the help texts Typer would give it and no
    parameters, for a listing: its signature is not read."""
    _, info = registration(module_name, name)
    if isinstance(info, CommandInfo):
        given = info.help
        return TyperCommand(
            name,
            help=inspect.getdoc(info.callback) if given is None else inspect.cleandoc(given),
            short_help=info.short_help,
            hidden=info.hidden,
            deprecated=info.deprecated,
        )
    solved = solve_typer_info_defaults(info)
    return TyperCommand(
        name,
        help=solved.help,
        short_help=solved.short_help,
        hidden=solved.hidden,
        deprecated=solved.deprecated,
    )
