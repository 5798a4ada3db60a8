"""A command started by ``main()`` loads its code with the garbage collector off and
turns it back on before its work (``qualcode.cli.startup``); callers that drive
``app`` themselves keep their collector as it was."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.services.project import init_project
from tests.conftest import REPO

# the collector's state as the process ends, after the command ran through main()
PROBE = """
import atexit, gc, sys
atexit.register(lambda: print("collector", gc.isenabled(), gc.get_freeze_count() > 0))
from qualcode.cli import main
sys.argv = ["qualcode", *sys.argv[1:]]
main()
"""


def run_main(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=REPO
    )


@pytest.mark.parametrize(
    "args",
    [
        ["transcripts", "--json"],  # opens its project
        ["codebook", "list"],
        ["codebook", "check", str(REPO / "codebooks/starter.yaml")],  # opens none
    ],
)
def test_a_command_collects_again_once_its_code_is_loaded(args: list[str], tmp_path: Path) -> None:
    init_project(tmp_path / "p").close()
    done = run_main("-p", str(tmp_path / "p"), *args)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("collector True True")


def test_init_collects_again(tmp_path: Path) -> None:
    done = run_main("init", str(tmp_path / "new"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "new" / "qualcode.db").exists()
    assert done.stdout.strip().endswith("collector True True")


def test_a_failing_command_still_exits_cleanly(tmp_path: Path) -> None:
    done = run_main("-p", str(tmp_path / "missing"), "transcripts")
    assert done.returncode == 1
    assert "missing does not exist" in done.stderr
    assert "Traceback" not in done.stderr


def test_driving_app_directly_leaves_the_collector_alone(tmp_path: Path) -> None:
    init_project(tmp_path / "p").close()
    frozen = gc.get_freeze_count()
    result = CliRunner().invoke(app, ["-p", str(tmp_path / "p"), "transcripts", "--json"])
    assert result.exit_code == 0, result.output
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen
