"""The issue's undo cases replayed through the CLI, on both engines."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from tests.conftest import CODEBOOK, SHORT_FOCUS_GROUP, ProjectPlace

runner = CliRunner(env={"QUALCODE_CODER": "anna", "QUALCODE_PROJECT": None, "QUALCODE_DB": None})


def qc(place: ProjectPlace, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, [*place.cli_args, *args])
    assert result.exit_code == code, f"exit {result.exit_code}: {result.stdout}{result.stderr}"
    return result.stdout if code == 0 else result.stderr


@pytest.fixture
def ready(place: ProjectPlace, tmp_path: Path) -> ProjectPlace:
    qc(place, "init", str(place.directory), "--lang", "sv")
    qc(place, "codebook", "apply", str(CODEBOOK), "--coder", "setup")
    transcript = tmp_path / "fokus.txt"
    transcript.write_text(SHORT_FOCUS_GROUP, encoding="utf-8")
    qc(place, "import", str(transcript), "--mode", "focus_group", "--title", "Fokus")
    return place


def test_undo_refuses_to_delete_dora_s_edit(ready: ProjectPlace) -> None:
    qc(ready, "memo", "add", "carl skrev", "--coder", "carl")
    qc(ready, "memo", "edit", "1", "dora skrev om", "--coder", "dora")
    error = qc(ready, "undo", "--coder", "carl", code=1)
    assert "dora changed memo 1 since" in error and error.count("\n") == 1
    assert "dora skrev om" in qc(ready, "memo", "list")


def test_undo_after_a_merge_undoes_the_merge(ready: ProjectPlace) -> None:
    qc(ready, "memo", "add", "behåll", "--coder", "carl")
    qc(ready, "code", "Fokus", "BIC", "0", "5", "--coder", "carl")
    qc(ready, "code", "Fokus", "ACT.WAIT", "0", "5", "--coder", "carl")
    said = qc(ready, "codebook", "merge", "BIC", "ACT.WAIT", "--coder", "carl")
    assert "0 codings moved; 1 duplicated a coding already on ACT.WAIT" in said
    assert qc(ready, "undo", "--coder", "carl").strip() == "Undid merging BIC into ACT.WAIT"
    assert "behåll" in qc(ready, "memo", "list")
    assert {"BIC", "ACT.WAIT"} <= {
        line.split()[2] for line in qc(ready, "codings").splitlines()[1:]
    }
