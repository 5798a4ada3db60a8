"""`cases table` over the shipped mapping sample: Tabell 1 and counts computed here."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

import pytest

from qualcode.domain.errors import InvalidInput
from qualcode.domain.tables import Table
from qualcode.services.case_import import import_case_table
from qualcode.services.case_tables import case_table
from qualcode.services.project import Project
from tests.conftest import TRANSCRIPTS

SAMPLE = TRANSCRIPTS / "kartlaggning" / "kartlaggning-enheter.csv"
SUMMED = ("lvu", "lvu_övervägda", "sol", "sol_övervägda")


@pytest.fixture
def mapped(project: Project) -> Project:
    import_case_table(project, SAMPLE, key="enhet", coder="anna")
    return project


def cell(table: Table, row: str, column: str) -> object:
    labels = [labels[0] for labels in table.row_labels]
    return table.cells[labels.index(row)][table.columns.index(column)]


def test_the_sample_reproduces_tabell_1(mapped: Project) -> None:
    """The report's figures (DOMAIN.md): answered (contacted), placements, units with any."""
    table = case_table(mapped, by=["län"], sums=SUMMED, counts=["svarat=ja"])
    expected = {
        # county: answered (contacted), LVU, LVU considered, SoL, SoL considered, any LVU, any SoL
        "Stockholm": ("39 (39)", 8, 10, 62, 11, 3, 13),
        "Skåne": ("39 (42)", 5, 5, 11, 3, 3, 4),
        "Total": ("78 (81)", 13, 15, 73, 14, 6, 17),
    }
    for county, (answered, lvu, lvu_o, sol, sol_o, any_lvu, any_sol) in expected.items():
        assert cell(table, county, "svarat=ja") == answered
        assert cell(table, county, "lvu sum") == lvu
        assert cell(table, county, "lvu_övervägda sum") == lvu_o
        assert cell(table, county, "sol sum") == sol
        assert cell(table, county, "sol_övervägda sum") == sol_o
        assert cell(table, county, "lvu >0") == any_lvu
        assert cell(table, county, "sol >0") == any_sol
    assert table.total_row and table.row_labels[-1] == ("Total",)


def independent_counts() -> dict[str, dict[str, list[int]]]:
    """Per county and summed column: [sum, n with value, n missing, n > 0], from csv."""
    rows = list(csv.DictReader(io.StringIO(SAMPLE.read_text("utf-8-sig")), delimiter=";"))
    found: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0] * 4))
    for row in rows:
        for county in (row["län"], "Total"):
            for name in SUMMED:
                figures = found[county][name]
                if row[name] == "":
                    figures[2] += 1
                else:
                    figures[0] += int(row[name])
                    figures[1] += 1
                    figures[3] += int(row[name]) > 0
    return found


def test_missing_stays_missing_in_every_column(mapped: Project) -> None:
    table = case_table(mapped, by=["län"], sums=SUMMED)
    for county, by_name in independent_counts().items():
        for name, (total, present, missing, positive) in by_name.items():
            assert cell(table, county, f"{name} sum") == total
            assert cell(table, county, f"{name} n") == present
            assert cell(table, county, f"{name} missing") == missing
            assert cell(table, county, f"{name} >0") == positive
    # the three Skåne units that never answered are missing everywhere, not zero
    assert cell(table, "Skåne", "lvu missing") == 3


def test_two_groupings_and_a_filter(mapped: Project) -> None:
    table = case_table(
        mapped, by=["län", "svarat"], sums=["lvu"], where="attr:utvisning_under_vård=ja"
    )
    assert table.row_headers == ("län", "svarat")
    rows = {labels: cells for labels, cells in zip(table.row_labels, table.cells, strict=True)}
    assert rows[("Stockholm", "yes")][:2] == (2, 7)  # Granlunda 2 + Sjöstad 5
    assert rows[("Skåne", "yes")][:2] == (1, 3)  # Hagaslätt
    assert rows[("Total", "")][:2] == (3, 10)
    assert "Only cases where attr:utvisning_under_vård=ja." in table.about


def test_bad_groupings_are_one_error(mapped: Project) -> None:
    with pytest.raises(InvalidInput, match="--sum kommentar: 'kommentar' holds text values"):
        case_table(mapped, by=["län"], sums=["kommentar"])
    with pytest.raises(InvalidInput, match="no case has an attribute 'kommun'"):
        case_table(mapped, by=["kommun"])
    with pytest.raises(InvalidInput, match="only attr: filters apply to cases"):
        case_table(mapped, by=["län"], where="DISC.STRUCT")
    with pytest.raises(InvalidInput, match="write ATTRIBUTE=VALUE"):
        case_table(mapped, by=["län"], counts=["svarat"])
