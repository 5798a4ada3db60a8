"""``qualcode codings -f csv`` / ``-o FILE`` writes what ``import-codings`` reads."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import qc, ready
from tests.conftest import CODEBOOK, SHORT_FOCUS_GROUP, ProjectPlace

__all__ = ["ready"]  # the fixture, used by name


def listed(place: ProjectPlace) -> list[tuple[str, str, str, int, int]]:
    return [
        (c["coder"], c["code"], c["quote"], c["start"], c["end"])
        for c in json.loads(qc(place, "codings", "--json"))
    ]


def test_codings_out_to_stdout_and_a_file_and_into_another_project(
    ready: ProjectPlace, tmp_path: Path
) -> None:
    qc(ready, "code", "Fokus", "ACT.WAIT", "--quote", "på is", "--coder", "anna")
    qc(ready, "code", "Fokus", "BIC", "--quote", "vänta", "--coder", "bo")
    printed = qc(ready, "codings", "-f", "csv")
    assert printed.splitlines()[0] == "transcript,coder,code,start,end,memo,quote"
    assert "Fokus,anna,ACT.WAIT,135,140,,på is" in printed
    out = tmp_path / "codings.xlsx"
    assert "Wrote 2 codings" in qc(ready, "codings", "-o", str(out))
    assert "cannot go to standard output" in qc(ready, "codings", "-f", "xlsx", code=2)

    other = ProjectPlace(tmp_path / "other", None)
    qc(other, "init", str(other.directory), "--lang", "sv")
    qc(other, "codebook", "apply", str(CODEBOOK))
    transcript = tmp_path / "fokus.txt"
    transcript.write_text(SHORT_FOCUS_GROUP, encoding="utf-8")
    qc(other, "import", str(transcript), "--mode", "focus_group", "--title", "Fokus")
    assert "Imported 2 codings" in qc(other, "import-codings", str(out))
    assert listed(other) == listed(ready)
