"""The root command's table (qualcode.cli.COMMANDS) and the family modules agree, and
building commands one at a time changes nothing a user sees."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from typer.main import get_command, get_command_name
from typer.testing import CliRunner

import qualcode.cli
from qualcode.cli import COMMANDS, app

runner = CliRunner()
SHARED = {"helpers", "lazy", "options", "startup"}


def defined_in(module: str) -> list[str]:
    """The names of the commands and sub-apps a family module registers on its app."""
    family = importlib.import_module(f"qualcode.cli.{module}").app
    commands = [
        info.name or get_command_name(info.callback.__name__)
        for info in family.registered_commands
        if info.callback is not None
    ]
    return commands + [group.name for group in family.registered_groups]


def test_every_family_module_is_in_the_table_with_exactly_its_commands() -> None:
    families = {m.name for m in pkgutil.iter_modules(qualcode.cli.__path__)} - SHARED
    assert families == set(COMMANDS.values())
    for module in families:
        listed = sorted(name for name, owner in COMMANDS.items() if owner == module)
        assert sorted(defined_in(module)) == listed, module


def test_help_lists_every_command_in_the_tables_order() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    rows = result.stdout.split("Commands:", 1)[1].splitlines()
    names = [found.group(1) for row in rows if (found := re.match(r"  (\S+)", row))]
    assert names == list(COMMANDS)


def test_a_mistyped_command_is_still_answered_with_the_nearest_names() -> None:
    result = runner.invoke(app, ["trnscripts"])
    assert result.exit_code == 2
    assert "No such command 'trnscripts'. Did you mean 'transcripts'?" in result.stderr


def test_a_sub_app_is_loaded_whole() -> None:
    result = runner.invoke(app, ["cases", "reference", "--help"])
    assert result.exit_code == 0
    assert "import" in result.stdout.split("Commands:", 1)[1]


def test_help_lists_the_commands_without_converting_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The list needs each command's help alone: no signature is read for it."""
    root = get_command(app)
    root.main(["--help"], prog_name="qualcode", standalone_mode=False)
    assert "Write and read memos" in capsys.readouterr().out
    assert root.commands == {}
    root.main(["memo", "--help"], prog_name="qualcode", standalone_mode=False)
    assert "delete" in capsys.readouterr().out
    assert list(root.commands) == ["memo"]
