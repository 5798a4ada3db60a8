"""The shared table record and its writers: every format read back with its own library."""

from __future__ import annotations

import csv
import io
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import docx
import openpyxl
import pytest

from qualcode.domain.errors import InvalidInput
from qualcode.domain.tables import (
    MISSING,
    Table,
    as_json,
    make_table,
    text_width,
    to_text,
    transpose,
)
from qualcode.export import registry


def render(table: Table, fmt: str) -> bytes:
    """The table as the services write it: through the registry."""
    return registry.render("table", fmt, table)


def county_table() -> Table:
    return make_table(
        "LVU by county",
        ["county"],
        ["answered", "LVU", "note", "rate %"],
        [
            (["Skåne"], ["39 (42)", 5, None, 0.95420]),
            (["Stockholm"], ["39 (39)", 8, '=HYPERLINK("x")', 0.74696]),
            (["Total"], ["78 (81)", 13, "-minus", -1.5]),
        ],
        about=["Cases: 81 units", "Filter: none"],
        total_row=True,
        decimals=(None, None, None, 2),
    )


def test_shape_is_checked() -> None:
    with pytest.raises(ValueError, match="row 0 has 1 cells"):
        make_table("t", ["a"], ["x", "y"], [(["r"], [1])])
    with pytest.raises(ValueError, match="labels"):
        make_table("t", ["a", "b"], ["x"], [(["r"], [1])])


def test_json_shape_keeps_missing_as_null() -> None:
    data = as_json(county_table())
    assert data["rows"] == [["Skåne"], ["Stockholm"], ["Total"]]
    assert data["columns"] == ["answered", "LVU", "note", "rate %"]
    assert data["cells"][0] == ["39 (42)", 5, None, 0.95420]


def test_text_rendering_aligns_and_shows_missing() -> None:
    text = to_text(county_table())
    lines = text.splitlines()
    assert lines[0] == "LVU by county"
    assert "Skåne" in lines[3] and MISSING in lines[3] and "0.95" in lines[3]
    assert lines[-4].startswith("---")  # a rule above the total row
    assert lines[-3].startswith("Total")
    assert lines[-2:] == ["Cases: 81 units", "Filter: none"]
    assert text_width(county_table()) == max(len(line) for line in lines[1:-2])


def test_csv_neutralises_formulas_but_keeps_numbers() -> None:
    data = render(county_table(), "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["county", "answered", "LVU", "note", "rate %"]
    assert rows[1] == ["Skåne", "39 (42)", "5", "", "0.9542"]
    assert rows[2][3] == '\'=HYPERLINK("x")'
    assert rows[3][3] == "'-minus"
    assert rows[3][4] == "-1.5"  # a negative number stays a number


def test_xlsx_numbers_missing_and_about_sheet() -> None:
    book = openpyxl.load_workbook(io.BytesIO(render(county_table(), "xlsx")))
    assert book.sheetnames == ["Table", "About"]
    sheet = book["Table"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1] == ["Skåne", "39 (42)", 5, None, pytest.approx(0.9542)]
    assert values[3][2] == 13 and sheet.cell(4, 1).font.b
    assert sheet.cell(2, 5).number_format == "0.00"
    about = [row[0].value for row in book["About"].iter_rows()]
    assert about == ["LVU by county", "Cases: 81 units", "Filter: none"]


def test_markdown_table() -> None:
    text = render(county_table(), "md").decode("utf-8")
    assert "| county | answered | LVU | note | rate % |" in text
    assert "| Skåne | 39 (42) | 5 | – | 0.95 |" in text
    assert "| **Total** | **78 (81)** | **13** |" in text
    assert "- Filter: none" in text


def test_html_is_self_contained_and_escaped() -> None:
    page = render(county_table(), "html").decode("utf-8")
    assert "http" not in page.lower().replace("=hyperlink(&quot;x&quot;)", "")
    cells: list[str] = []

    class Cells(HTMLParser):
        def handle_data(self, data: str) -> None:
            cells.append(data)

    Cells().feed(page)
    assert '=HYPERLINK("x")' in cells and "<tfoot>" in page and "Cases: 81 units" in cells


def test_docx_is_a_real_word_table() -> None:
    document = docx.Document(io.BytesIO(render(county_table(), "docx")))
    (word,) = document.tables
    rows = [[cell.text for cell in row.cells] for row in word.rows]
    assert rows[0] == ["county", "answered", "LVU", "note", "rate %"]
    assert rows[1] == ["Skåne", "39 (42)", "5", MISSING, "0.95"]
    assert word.rows[3].cells[0].paragraphs[0].runs[0].bold
    texts = [p.text for p in document.paragraphs]
    assert "LVU by county" in texts and "Filter: none" in texts


def test_every_format_is_listed_and_found_by_suffix() -> None:
    for fmt in registry.format_names("table"):
        assert render(county_table(), fmt)
        assert registry.format_for_path("table", Path("t." + fmt.upper())).name == fmt
    with pytest.raises(InvalidInput, match="cannot write a table as '.pdf'; choose one of"):
        registry.format_for_path("table", Path("t.pdf"))
    assert zipfile.is_zipfile(io.BytesIO(render(county_table(), "docx")))


def test_transpose_turns_groups_into_columns_and_keeps_decimals() -> None:
    turned = transpose(county_table())
    assert turned.row_headers == ("county",)
    assert turned.columns == ("Skåne", "Stockholm", "Total")
    assert [labels[0] for labels in turned.row_labels] == ["answered", "LVU", "note", "rate %"]
    assert turned.cells[1] == (5, 8, 13) and turned.total_column and not turned.total_row
    assert turned.text_body()[3] == ("rate %", "0.95", "0.75", "-1.50")
    assert transpose(turned) == county_table()
    two = make_table("t", ["a", "b"], ["x"], [(["r", "s"], [1]), (["Total", ""], [1])])
    assert transpose(two).columns == ("r / s", "Total")
