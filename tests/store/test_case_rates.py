"""Rates against a reference population, checked against hand arithmetic (Tabell 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.domain.errors import InvalidInput
from qualcode.domain.tables import Table
from qualcode.services.case_import import import_case_table
from qualcode.services.case_rates import import_reference, list_references, rates
from qualcode.services.project import Project
from tests.conftest import TRANSCRIPTS

FOLDER = TRANSCRIPTS / "kartlaggning"


@pytest.fixture
def mapped(project: Project) -> Project:
    import_case_table(project, FOLDER / "kartlaggning-enheter.csv", key="enhet", coder="anna")
    import_reference(
        project, FOLDER / "asylsokande-barn-per-lan.csv", name="asylsökande barn", coder="anna"
    )
    return project


def value(table: Table, row: str, column: str) -> object:
    rows = [labels[0] for labels in table.row_labels]
    return table.cells[rows.index(row)][table.columns.index(column)]


def test_tabell_2_by_hand(mapped: Project) -> None:
    table = rates(mapped, events=["lvu", "sol"], years=[2010, 2011, 2012], estimate_for=["Riket"])
    # the report's inputs (DOMAIN.md): year-end figures and their means
    stockholm = (1128 + 1048 + 1036) / 3
    skane = (454 + 435 + 684) / 3
    riket = (8237 + 9120 + 11005) / 3
    assert value(table, "Stockholm", "mean population") == pytest.approx(stockholm)
    assert value(table, "Total", "mean population") == pytest.approx(1595.0)
    assert value(table, "Riket (estimate)", "mean population") == pytest.approx(9454.0)
    # placements 2010–2012 from Tabell 1: LVU 8 + 5, SoL 62 + 11
    per_year = (13 + 73) / 3
    assert value(table, "Total", "lvu+sol per year") == pytest.approx(per_year)
    pooled = per_year / (stockholm + skane)
    assert value(table, "Total", "lvu+sol % of population") == pytest.approx(100 * pooled)
    assert round(100 * pooled, 1) == 1.8  # "just under 2 %"
    assert value(table, "Total", "lvu % of population") == pytest.approx(100 * 13 / 3 / 1595)
    assert round(100 * 13 / 3 / 1595, 1) == 0.3  # the report's LVU 0.3 %
    assert value(table, "Skåne", "sol % of population") == pytest.approx(100 * 11 / 3 / skane)
    estimate = value(table, "Riket (estimate)", "lvu+sol per year")
    assert estimate == pytest.approx(pooled * riket)
    assert value(table, "Riket (estimate)", "lvu+sol events") is None  # nothing was counted
    assert value(table, "Riket (estimate)", "lvu per year") == pytest.approx(13 / 3 / 1595 * riket)


def test_reimport_replaces_and_reports_changes(mapped: Project, tmp_path: Path) -> None:
    (found,) = list_references(mapped)
    assert found.attribute == "län" and found.years == (2010, 2011, 2012)
    assert found.values["Skåne"][2012] == 684
    again = import_reference(
        mapped, FOLDER / "asylsokande-barn-per-lan.csv", name="asylsökande barn", coder="a"
    )
    assert again.changed == 0
    edited = tmp_path / "ref.csv"
    edited.write_text("län;år;n\nSkåne;2012;700\nSkåne;2011;435\n", encoding="utf-8")
    assert import_reference(mapped, edited, name="asylsökande barn", coder="a").changed == 8


def test_tabell_2_in_swedish_has_the_same_figures(mapped: Project) -> None:
    english = rates(mapped, events=["lvu", "sol"], estimate_for=["Riket"])
    swedish = rates(mapped, events=["lvu", "sol"], estimate_for=["Riket"], language="sv")
    assert swedish.cells == english.cells
    assert swedish.title == "Antal per år efter län i förhållande till asylsökande barn"
    assert value(swedish, "Totalt", "genomsnittlig population") == pytest.approx(1595.0)
    assert value(swedish, "Riket (skattning)", "lvu+sol antal") is None
    assert "lvu % av populationen" in swedish.columns and "population 2012" in swedish.columns
    assert swedish.about[0] == "Fall: 81."
    assert any(line.startswith("% av populationen = per år") for line in swedish.about)
    words = " ".join([swedish.title, *swedish.columns, *swedish.about]).split()
    for english_word in ("Total", "events", "estimate", "mean", "Cases", "year", "against"):
        assert english_word not in words, english_word


def test_rate_errors(mapped: Project, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no figure for 'Skåne' in 2013"):
        rates(mapped, events=["lvu"], years=[2012, 2013])
    with pytest.raises(InvalidInput, match="has no län 'Norden'"):
        rates(mapped, events=["lvu"], estimate_for=["Norden"])
    with pytest.raises(InvalidInput, match="'kommentar' holds text values"):
        rates(mapped, events=["kommentar"])
    twice = tmp_path / "twice.csv"
    twice.write_text("län;år;n\nSkåne;2012;1\nSkåne;2012;2\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="line 3: Skåne 2012 is given twice"):
        import_reference(mapped, twice, name="x", coder="a")
    words = tmp_path / "words.csv"
    words.write_text("län;år;n\nSkåne;tjugo;1\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="'tjugo' is not a year"):
        import_reference(mapped, words, name="x", coder="a")
    assert [r.name for r in list_references(mapped)] == ["asylsökande barn"]
