"""Quotes keep the source's spacing between the context and the quoted words."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.services import coding
from qualcode.services.project import Project
from qualcode.services.transcripts import transcript_text
from tests.conftest import ProjectPlace


def test_context_keeps_the_source_spacing_around_the_bold_hit(
    coded_project: Project, place: ProjectPlace, tmp_path: Path
) -> None:
    start = transcript_text(coded_project, "Fokus").text.index("Det är så vi gör")
    coding.apply_code(coded_project, transcript="Fokus", code="ACT.WAIT", start=start,
                      end=start + len("Det är så vi gör"), coder="anna")  # fmt: skip
    target = tmp_path / "kwic.md"
    result = CliRunner(env={"QUALCODE_CODER": "anna"}).invoke(
        app, [*place.cli_args, "quotes", "ACT.WAIT", "--context", "1", "-o", str(target)]
    )
    assert result.exit_code == 0, result.stderr
    assert "> Vi lägger ärendet på is. **Det är så vi gör**, tyvärr." in target.read_text("utf-8")
    html = tmp_path / "kwic.html"
    CliRunner(env={"QUALCODE_CODER": "anna"}).invoke(
        app,
        [*place.cli_args, "quotes", "ACT.WAIT", "--context", "1", "-f", "html", "-o", str(html)],
    )
    assert 'gör<span class="context">, tyvärr.' in html.read_text("utf-8")
