"""Codings out as CSV or Excel and back in: the same codings, memos included; files
as spreadsheets save them (semicolons); codings placed by their quote."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from qualcode.domain.errors import InvalidInput
from qualcode.services import coding, memos, transcripts
from qualcode.services.codings_csv import import_codings_csv
from qualcode.services.codings_export import coding_table, write_codings
from qualcode.services.project import Project, init_project
from tests.conftest import add_codebook_and_transcript

MEMOS = ['=HYPERLINK("http://x")', "'=written with an apostrophe", "-minus\nand a line"]


def _code(project: Project) -> None:
    text = transcripts.transcript_text(project, "Fokus").text
    spans = [("anna", "BIC", "på is"), ("bo", "ACT.WAIT", "får vänta"), ("anna", "BIC", "barn")]
    for number, (coder, code, words) in enumerate(spans):
        start = text.index(words)
        made = coding.apply_code(
            project, transcript="Fokus", code=code, start=start, end=start + len(words), coder=coder
        )
        memos.add_memo(project, target="coding", ref=str(made.id), text=MEMOS[number], coder=coder)


def _codings(project: Project) -> list[tuple[str, str, str, int, int, str]]:
    return [
        (c.transcript_title, c.coder, c.code_key, c.start, c.end, c.quote)
        for c in coding.list_codings(project)
    ]


def _memos(project: Project) -> list[str]:
    return sorted(m.text for m in memos.list_memos(project, target="coding"))


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Project]:
    """A second project with the same codebook and transcript and no codings."""
    with init_project(tmp_path / "fresh", language="sv") as made:
        yield add_codebook_and_transcript(made, tmp_path)


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_codings_go_out_and_come_back_the_same(
    coded_project: Project, fresh: Project, tmp_path: Path, suffix: str
) -> None:
    _code(coded_project)
    path = write_codings(coding_table(coded_project), tmp_path / f"out.{suffix}")
    report = import_codings_csv(fresh, path)
    assert report.imported == 3
    assert _codings(fresh) == _codings(coded_project)
    assert _memos(fresh) == _memos(coded_project) == sorted(MEMOS)


def test_the_csv_is_safe_in_a_spreadsheet_and_keeps_numbers(
    coded_project: Project, tmp_path: Path
) -> None:
    _code(coded_project)
    data = write_codings(coding_table(coded_project), tmp_path / "out.csv").read_bytes()
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["transcript", "coder", "code", "start", "end", "memo", "quote"]
    by_memo = {row[5]: row for row in rows[1:]}
    assert set(by_memo) == {
        '\'=HYPERLINK("http://x")',
        "''=written with an apostrophe",
        "'-minus\nand a line",
    }
    for row in rows[1:]:
        assert row[3].isdigit() and row[4].isdigit()  # offsets are bare numbers, unquoted
        assert f",{row[3]},{row[4]}," in text


def test_the_xlsx_has_number_cells_and_text_never_a_formula(
    coded_project: Project, tmp_path: Path
) -> None:
    _code(coded_project)
    path = write_codings(coding_table(coded_project), tmp_path / "out.xlsx")
    sheet = load_workbook(path).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("transcript", "coder", "code", "start", "end", "memo", "quote")
    assert all(isinstance(row[3], int) and isinstance(row[4], int) for row in rows[1:])
    assert {row[5] for row in rows[1:]} == set(MEMOS)
    assert all(cell.data_type == "s" for cell in sheet["F"][1:])


def test_a_semicolon_file_as_swedish_excel_saves_it(coded_project: Project, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "\ufefftranscript;coder;code;start;end;memo\r\nFokus;carla;BIC;0;5;ett; två\r\n".replace(
            "ett; två", '"ett; två"'
        ).encode("utf-8")
    )
    assert import_codings_csv(coded_project, path).imported == 1
    assert [(c.coder, c.start, c.end) for c in coding.list_codings(coded_project)] == [
        ("carla", 0, 5)
    ]
    assert _memos(coded_project) == ["ett; två"]


def test_rows_that_give_the_quote_instead_of_offsets(
    coded_project: Project, tmp_path: Path
) -> None:
    text = transcripts.transcript_text(coded_project, "Fokus").text
    path = tmp_path / "quotes.csv"
    path.write_text(
        "transcript,coder,code,quote,occurrence\n"
        "Fokus,carla,BIC,på   is,\n"  # spacing does not matter
        "Fokus,carla,ACT.WAIT,får,2\n"
        "Fokus,dan,BIC,barn,\n",  # whole words: not the start of "Barnen"
        encoding="utf-8",
    )
    assert import_codings_csv(coded_project, path).imported == 3
    second = text.index("får", text.index("får") + 1)
    assert [(c.coder, c.code_key, c.start, c.end) for c in coding.list_codings(coded_project)] == [
        ("carla", "BIC", text.index("på is"), text.index("på is") + 5),
        ("carla", "ACT.WAIT", second, second + 3),
        ("dan", "BIC", text.index(" barn.") + 1, text.index(" barn.") + 5),
    ]


def test_an_ambiguous_or_missing_quote_is_named_by_line_and_nothing_imported(
    coded_project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "quotes.csv"
    path.write_text(
        "transcript,coder,code,quote\n"
        "Fokus,carla,BIC,på is\n"
        "Fokus,carla,BIC,får\n"
        "Fokus,carla,BIC,inte alls här\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as caught:
        import_codings_csv(coded_project, path)
    message = str(caught.value)
    assert "2 bad rows, nothing imported" in message
    assert "line 3: 'får' occurs 2 times in 'Fokus'" in message
    assert "line 4: 'inte alls här' does not occur in 'Fokus'" in message
    assert coding.list_codings(coded_project) == []


def test_a_quote_beside_offsets_is_a_check(coded_project: Project, tmp_path: Path) -> None:
    text = transcripts.transcript_text(coded_project, "Fokus").text
    start = text.index("på is")
    path = tmp_path / "checked.csv"
    path.write_text(
        "transcript,coder,code,start,end,quote\n"
        f"Fokus,carla,BIC,{start},{start + 5},på is\n"
        f"Fokus,carla,ACT.WAIT,{start},{start + 5},på isen\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput, match=r"line 3: the quote does not match the text at \d+"):
        import_codings_csv(coded_project, path)
    assert coding.list_codings(coded_project) == []


def test_a_tab_separated_file_and_a_damaged_workbook(
    coded_project: Project, tmp_path: Path
) -> None:
    text = transcripts.transcript_text(coded_project, "Fokus").text
    start = text.index("på is")
    tabbed = tmp_path / "tabs.csv"
    tabbed.write_text(
        f"transcript\tcoder\tcode\tstart\tend\tquote\nFokus\tcarla\tBIC\t{start}\t{start + 5}\tpå is\n",
        encoding="utf-8",
    )
    assert import_codings_csv(coded_project, tabbed).imported == 1
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"transcript,coder,code,start,end\n")
    with pytest.raises(InvalidInput, match="broken.xlsx"):
        import_codings_csv(coded_project, broken)
    assert len(coding.list_codings(coded_project)) == 1
