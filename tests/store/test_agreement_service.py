"""Agreement over stored codings: choice of coders, transcripts and codes; reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.domain.errors import InvalidInput, NotFound
from qualcode.services import coding
from qualcode.services.agreement import agreement, write_report
from qualcode.services.project import Project
from qualcode.services.transcripts import transcript_text
from tests.conftest import ProjectPlace


def code(project: Project, quote: str, key: str, coder: str) -> None:
    text = transcript_text(project, "Fokus").text
    start = text.index(quote)
    coding.apply_code(
        project, transcript="Fokus", code=key, start=start, end=start + len(quote), coder=coder
    )


@pytest.fixture
def two_coders(coded_project: Project) -> Project:
    same = "Vi lägger ärendet på is."
    code(coded_project, same, "ACT.WAIT", "anna")
    code(coded_project, same, "ACT.WAIT", "bertil")
    code(coded_project, "Barnen får vänta längre än andra barn.", "DISC.DIFF", "anna")
    return coded_project


def test_identical_coding_agrees_fully_and_a_one_sided_code_does_not(two_coders: Project) -> None:
    report = agreement(two_coders, bootstrap_draws=200)
    assert report.coders == ("anna", "bertil") and report.transcripts == ("Fokus",)
    by_code = {c.code: c for c in report.per_code}
    wait = by_code["ACT.WAIT"]
    assert wait.characters is not None and wait.characters.kappa == pytest.approx(1.0)
    assert wait.alpha is not None and wait.alpha.value == pytest.approx(1.0)
    assert wait.segments is not None and wait.segments.percent_matched == pytest.approx(100.0)
    diff = by_code["DISC.DIFF"]
    assert diff.codings == {"anna": 1, "bertil": 0}
    assert diff.characters is not None and diff.characters.counts.only_a == len(
        "Barnen får vänta längre än andra barn."
    )
    assert diff.characters.counts.both == 0 and diff.characters.kappa == pytest.approx(0.0)
    assert report.pooled_characters is not None
    pooled = report.pooled_characters.counts
    assert pooled.both == len("Vi lägger ärendet på is.")


def test_choosing_coders_codes_and_units(two_coders: Project) -> None:
    only_wait = agreement(two_coders, codes=["ACT"], unit="turn", bootstrap_draws=0)
    keys = [c.code for c in only_wait.per_code]
    assert keys[0] == "ACT" and "ACT.WAIT" in keys and all(k.startswith("ACT") for k in keys)
    chars = agreement(two_coders, unit="char", bootstrap_draws=0)
    assert all(c.alpha is None for c in chars.per_code)
    with pytest.raises(NotFound, match="no coder named 'carla'"):
        agreement(two_coders, coders=["anna", "carla"])
    with pytest.raises(InvalidInput, match="two or more coders"):
        agreement(two_coders, coders=["anna"])
    with pytest.raises(InvalidInput, match="unit must be one of"):
        agreement(two_coders, unit="word")


def test_a_coder_who_coded_nothing_gets_a_clear_message(coded_project: Project) -> None:
    code(coded_project, "Vi lägger ärendet på is.", "ACT.WAIT", "anna")
    with pytest.raises(InvalidInput, match="only anna coded here"):
        agreement(coded_project)


def test_three_coders_get_fleiss_kappa(two_coders: Project) -> None:
    code(two_coders, "Vi lägger ärendet på is.", "ACT.WAIT", "carla")
    report = agreement(two_coders, bootstrap_draws=0, codes=["ACT.WAIT"])
    wait = report.per_code[0]
    assert wait.fleiss is not None and wait.fleiss.value == pytest.approx(1.0)
    assert wait.characters is None


def test_reports_and_cli(two_coders: Project, place: ProjectPlace, tmp_path: Path) -> None:
    report = agreement(two_coders, bootstrap_draws=0)
    html = write_report(report, tmp_path / "a.html").read_text("utf-8")
    assert "ACT.WAIT" in html and "width:100%" in html
    assert "| ACT.WAIT |" in write_report(report, tmp_path / "a.md").read_text("utf-8")
    from openpyxl import load_workbook

    book = load_workbook(write_report(report, tmp_path / "a.xlsx"))
    assert book.sheetnames == ["Per code", "Pooled"]
    by_code = {row[0]: row for row in book["Per code"].iter_rows(min_row=2, values_only=True)}
    assert by_code["ACT.WAIT"][2:4] == (1, 1) and by_code["ACT.WAIT"][6] == pytest.approx(1.0)
    result = CliRunner().invoke(
        app, [*place.cli_args, "agreement", "--json", "--coders", "anna,bertil"]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["coders"] == ["anna", "bertil"]
    assert {row["code"]: row["alpha"] for row in data["codes"]}["ACT.WAIT"] == pytest.approx(1.0)


STANCE = """codebook: Stance
version: 1
language: en
codes:
  - key: STANCE
    name: Stance
    definition: The speaker's stance on the proposal.
    exclusive: true
    children:
      - key: STANCE.FOR
        name: For
        definition: In favour.
      - key: STANCE.AGAINST
        name: Against
        definition: Opposed.
"""


def test_exclusive_group_coded_by_three_gets_fleiss_kappa_beside_alpha(
    coded_project: Project, place: ProjectPlace
) -> None:
    from qualcode.codebook import parse_codebook
    from qualcode.services.codebook import apply_codebook

    apply_codebook(coded_project, parse_codebook(STANCE), coder="setup")
    first, second, third = (
        "Vi lägger ärendet på is.",
        "Hos oss är det likadant.",
        "Barnen får vänta längre än andra barn.",
    )
    for coder in ("anna", "bertil", "carla"):
        code(coded_project, first, "STANCE.FOR", coder)
        code(coded_project, second, "STANCE.AGAINST", coder)
    for coder, key in (
        ("anna", "STANCE.FOR"),
        ("bertil", "STANCE.FOR"),
        ("carla", "STANCE.AGAINST"),
    ):
        code(coded_project, third, key, coder)
    report = agreement(coded_project, bootstrap_draws=0, codes=["STANCE"])
    (group,) = report.groups
    # by hand (Fleiss 1971): P̄ = (1 + 1 + 1/3) / 3 = 7/9, P̄_e = (5/9)² + (4/9)² = 41/81,
    # κ = (7/9 − 41/81) / (1 − 41/81) = 22/40
    assert group.fleiss is not None and group.fleiss.value == pytest.approx(0.55)
    assert group.fleiss.categories == ("STANCE.FOR", "STANCE.AGAINST")
    assert group.fleiss.n_units == 3 and group.kappa is None
    result = CliRunner().invoke(app, [*place.cli_args, "agreement", "--codes", "STANCE"])
    assert result.exit_code == 0, result.stderr
    assert "STANCE: α" in result.stdout and "Fleiss' κ 0.550" in result.stdout
    as_json = CliRunner().invoke(app, [*place.cli_args, "agreement", "--codes", "STANCE", "--json"])
    (row,) = json.loads(as_json.stdout)["groups"]
    assert row["fleiss_kappa"] == pytest.approx(0.55) and row["fleiss_units"] == 3
    assert row["kappa"] is None and row["alpha"] is not None
    report = agreement(coded_project, bootstrap_draws=0, codes=["STANCE"])
    markdown = write_report(report, place.directory.parent / "a.md").read_text("utf-8")
    assert "| STANCE | STANCE.FOR, STANCE.AGAINST |" in markdown
    assert "Fleiss' κ 0.550 (3 units)" in markdown
    html = write_report(report, place.directory.parent / "a.html").read_text("utf-8")
    assert "Fleiss&#x27; κ 0.550 (3 units)" in html


def test_the_report_carries_counts_intervals_confusion_and_a_methods_paragraph(
    coded_project: Project, tmp_path: Path
) -> None:
    from qualcode.codebook import parse_codebook
    from qualcode.services.codebook import apply_codebook

    apply_codebook(coded_project, parse_codebook(STANCE), coder="setup")
    first, second = "Vi lägger ärendet på is.", "Hos oss är det likadant."
    for coder in ("anna", "bertil"):
        code(coded_project, first, "STANCE.FOR", coder)
    code(coded_project, second, "STANCE.FOR", "anna")
    code(coded_project, second, "STANCE.AGAINST", "bertil")
    report = agreement(coded_project, bootstrap_draws=200)
    markdown = write_report(report, tmp_path / "a.md").read_text("utf-8")
    # A's rows against B's columns: one unit both FOR, one FOR against AGAINST
    assert "### STANCE: anna (rows) × bertil (columns)" in markdown
    assert "| STANCE.FOR | 1 | 1 |" in markdown and "| STANCE.AGAINST | 0 | 0 |" in markdown
    assert "## Methods" in markdown and "Agreement between 2 coders (anna, bertil)" in markdown
    assert "200 bootstrap draws over units" in markdown
    wait = {c.code: c for c in report.per_code}["STANCE.FOR"]
    assert wait.characters is not None
    counts = wait.characters.counts
    assert f"| {counts.both} / {counts.only_a} / {counts.only_b} / {counts.neither} |" in markdown
    html = write_report(report, tmp_path / "a.html").read_text("utf-8")
    assert "<h2>Methods</h2>" in html and "anna (rows) × bertil (columns)" in html
    assert f"{counts.both} / {counts.only_a} / {counts.only_b} / {counts.neither}" in html

    # the same report for a Swedish methods chapter: no English heading or sentence left
    swedish = write_report(report, tmp_path / "sv.md", language="sv").read_text("utf-8")
    assert swedish.startswith("# Överensstämmelse mellan kodare\n")
    assert "### STANCE: anna (rader) × bertil (kolumner)" in swedish
    assert "## Metod" in swedish and "Överensstämmelsen mellan 2 kodare (anna, bertil)" in swedish
    assert (
        "200 bootstrapdragningar över enheter" in swedish and "över meningar som enheter" in swedish
    )
    for english in ("Methods", "Agreement", "Pooled", "Exclusive", "coders", "rows", "units"):
        assert english not in swedish, english
    page = write_report(report, tmp_path / "sv.html", language="sv").read_text("utf-8")
    assert '<html lang="sv">' in page and "<h2>Metod</h2>" in page
