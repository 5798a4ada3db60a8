"""Batch commands start without Textual or spaCy; layers only depend downwards."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from qualcode.services.coding import apply_code
from qualcode.services.project import init_project
from tests.conftest import REPO, add_codebook_and_transcript

PROBE = """
import sys
from typer.testing import CliRunner
from qualcode.cli import app
result = CliRunner().invoke(app, sys.argv[1:])
assert result.exit_code == 0, result.stdout + result.stderr
heavy = sorted(name for name in ("textual", "spacy") if name in sys.modules)
print(",".join(heavy) or "clean")
"""


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["codings", "--json"],
        ["transcripts"],
        ["stats"],
        ["coders"],
        ["codebook", "list"],
        ["memo", "list"],
        ["matrix", "codes", "modes", "--json"],
        ["cooccurrence", "--by", "sentence"],
        ["codebook", "check", str(REPO / "codebooks/starter.yaml")],
    ],
)
def test_batch_commands_import_neither_textual_nor_spacy(args: list[str], tmp_path: Path) -> None:
    init_project(tmp_path / "p").close()
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "-p", str(tmp_path / "p"), *args],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "clean"


HEAVY_PROBE = """
import sys
from typer.testing import CliRunner
from qualcode.cli import app
result = CliRunner().invoke(app, sys.argv[1:])
assert result.exit_code == 0, result.stdout + result.stderr
heavy = ("alembic", "docx", "numpy", "openpyxl", "pydantic", "rich", "spacy",
         "sqlalchemy", "textual", "yaml")
print(",".join(sorted(name for name in heavy if name in sys.modules)))
"""


@pytest.mark.parametrize(
    ("args", "loads"),
    [
        # start-up budget (issue 14): help parses no arguments and opens no database
        (["--help"], ""),
        (["code", "--help"], ""),
        # a current project opens without Alembic; listings and coding need SQLAlchemy only
        (["transcripts", "--json"], "sqlalchemy"),
        (["code", "Fokus", "CTX.PROBLEMS", "0", "5", "--coder", "ann"], "sqlalchemy"),
        (["codings", "--json"], "sqlalchemy"),
        (["undo", "--coder", "setup"], "sqlalchemy"),
        (["stats"], "sqlalchemy"),
        (["memo", "list"], "sqlalchemy"),
        (["codebook", "check", str(REPO / "codebooks/starter.yaml")], "yaml"),
    ],
)
def test_each_command_loads_only_the_heavy_modules_it_uses(
    args: list[str], loads: str, tmp_path: Path
) -> None:
    with init_project(tmp_path / "p") as project:
        add_codebook_and_transcript(project, tmp_path)
        apply_code(project, transcript="Fokus", code="CTX", start=6, end=16, coder="setup")
    done = subprocess.run(
        [sys.executable, "-c", HEAVY_PROBE, "-p", str(tmp_path / "p"), *args],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == loads


FAMILY_PROBE = """
import sys
import typer.main
from qualcode.cli import app
root = typer.main.get_command(app)
assert root.main(sys.argv[1:], prog_name="qualcode", standalone_mode=False) in (None, 0)
print(",".join(sorted(root.commands)))
print(",".join(sorted(m for m in sys.modules if m.startswith("qualcode.cli"))))
"""

SHARED_CLI = [
    "qualcode.cli",
    "qualcode.cli.helpers",
    "qualcode.cli.lazy",
    "qualcode.cli.options",
    "qualcode.cli.startup",
]


@pytest.mark.parametrize(
    ("args", "family"),
    [
        (["transcripts", "--json"], "transcripts"),
        (["code", "Fokus", "CTX.PROBLEMS", "0", "5", "--coder", "ann"], "coding"),
        (["undo", "--coder", "setup"], "coding"),
        (["stats"], "project"),
        (["memo", "list"], "memos"),
        (["cases", "reference"], "cases"),
        (["matrix", "codes", "modes", "--json"], "analysis"),
        (["code", "--help"], "coding"),
    ],
)
def test_a_command_loads_its_own_family_and_builds_only_itself(
    args: list[str], family: str, tmp_path: Path
) -> None:
    """`qualcode CMD` imports the one module defining CMD, not its neighbours', and
    turns CMD alone into a click command (issue 14, item 5: the lazy root group)."""
    with init_project(tmp_path / "p") as project:
        add_codebook_and_transcript(project, tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", FAMILY_PROBE, "-p", str(tmp_path / "p"), *args],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    built, modules = done.stdout.strip().splitlines()[-2:]
    assert built == args[0]
    assert modules.split(",") == sorted([*SHARED_CLI, f"qualcode.cli.{family}"])


def test_headless_layers_import_no_ui() -> None:
    code = (
        "import sys, pkgutil, importlib, qualcode\n"
        "for pkg in ('qualcode.domain', 'qualcode.store', 'qualcode.services'):\n"
        "    module = importlib.import_module(pkg)\n"
        "    for info in pkgutil.walk_packages(module.__path__, pkg + '.'):\n"
        "        if '.migrations' not in info.name: importlib.import_module(info.name)\n"
        "print(sorted(m for m in ('textual', 'typer', 'rich') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_import_linter_contracts_hold() -> None:
    linter = Path(sys.executable).with_name("lint-imports")
    if not linter.exists():
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    done = subprocess.run([str(linter)], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
