"""`qualcode agreement`: the figures on screen and in JSON, and a report written in the
project's language unless `--lang` says otherwise."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import qc, ready
from tests.conftest import ProjectPlace

__all__ = ["ready"]  # the fixture, used by name


def test_the_report_is_in_the_projects_language_unless_asked(
    ready: ProjectPlace, tmp_path: Path
) -> None:
    for coder in ("anna", "bertil"):
        qc(ready, "code", "Fokus", "ACT.WAIT", "--sentence", "4", "--coder", coder)
    qc(ready, "code", "Fokus", "ACT.WAIT", "--sentence", "6", "--coder", "anna")
    figures = json.loads(qc(ready, "agreement", "--codes", "ACT.WAIT", "--json"))
    assert figures["coders"] == ["anna", "bertil"]
    (wait,) = figures["codes"]
    assert wait["codings"] == {"anna": 2, "bertil": 1} and 0 < wait["alpha"] < 1

    swedish = tmp_path / "sv.md"
    qc(ready, "agreement", "--codes", "ACT.WAIT", "--bootstrap", "0", "--report", str(swedish))
    text = swedish.read_text("utf-8")
    assert text.startswith("# Överensstämmelse mellan kodare")
    assert "enhet: mening;" in text and "## Metod" in text
    english = tmp_path / "en.html"
    qc(ready, "agreement", "--codes", "ACT.WAIT", "--bootstrap", "0", "--lang", "en",
       "--report", str(english))  # fmt: skip
    page = english.read_text("utf-8")
    assert '<html lang="en">' in page and "<h1>Intercoder agreement</h1>" in page
    assert "Agreement between 2 coders (anna, bertil)" in page
