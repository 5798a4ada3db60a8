"""`qualcode matrix` and `qualcode cooccurrence` as a user runs them: the table, JSON
with the documented keys, drill-down, HTML and chart files read back, bad input."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.cli.test_cli import _documented_keys, qc, ready  # noqa: F401  (fixture)
from tests.conftest import REPO, SHORT_FOCUS_GROUP, ProjectPlace


def offsets(quote: str) -> tuple[str, str]:
    start = SHORT_FOCUS_GROUP.index(quote)
    return str(start), str(start + len(quote))


@pytest.fixture
def coded(ready: ProjectPlace) -> ProjectPlace:  # noqa: F811
    qc(ready, "code", "Fokus", "ACT.WAIT", *offsets("Vi lägger ärendet på is."), "--coder", "anna")
    qc(
        ready,
        "code",
        "Fokus",
        "ACT.WAIT",
        *offsets("ärendet på is. Det är så vi gör"),
        "--coder",
        "bertil",
    )
    qc(ready, "code", "Fokus", "DISC.DIFF", *offsets("Barnen får vänta längre"), "--coder", "anna")
    qc(ready, "code", "Fokus", "DISC.STRUCT", *offsets("på is. Det är så"), "--coder", "anna")
    return ready


def test_matrix_table_totals_and_header(coded: ProjectPlace) -> None:
    out = qc(coded, "matrix", "codes", "modes", "--codes", "ACT,ACT.WAIT,DISC", "-m", "passages")
    lines = out.splitlines()
    assert lines[0].startswith("codes × modes: passages") and "anna, bertil, pooled" in lines[0]
    table = [line.split() for line in lines[1:] if not line.startswith("-")]
    assert table[0] == ["codes", "focus_group", "Total"]
    assert table[1:] == [
        ["ACT", "1", "1"],
        ["ACT.WAIT", "1", "1"],
        ["DISC", "2", "2"],
        ["Total", "2", "2"],
    ]


def test_matrix_json_has_the_documented_keys_and_reads_into_rows(coded: ProjectPlace) -> None:
    data = json.loads(qc(coded, "matrix", "codes", "roles", "--codes", "ACT,DISC", "--json"))
    documented = _documented_keys(REPO / "docs" / "cli.md")
    assert set(data) == documented["matrix"]
    assert data["rows"] == ["ACT", "DISC"] and data["columns"] == ["moderator", "participant"]
    assert data["cells"] == [[0, 2], [0, 2]] and data["total"] == 4
    assert data["queries"][0][1] == "ACT AND role:participant"
    co = json.loads(qc(coded, "cooccurrence", "--codes", "ACT.WAIT,DISC.STRUCT", "--json"))
    assert set(co) == documented["matrix"]
    assert co["cells"] == [[1, 1], [1, 1]]
    assert co["queries"][0][1] == "ACT.WAIT OVERLAPS DISC.STRUCT"


def test_cell_prints_the_passages_behind_the_number(coded: ProjectPlace) -> None:
    out = qc(coded, "matrix", "codes", "coders", "--cell", "ACT.WAIT", "bertil")
    assert out.startswith("1 passages for ACT.WAIT AND coder:bertil")
    assert "ärendet på is. Det är så vi gör" in out
    data = json.loads(
        qc(coded, "cooccurrence", "--codes", "ACT.WAIT,DISC.STRUCT", "--cell", "ACT.WAIT",
           "DISC.STRUCT", "--json")
    )  # fmt: skip
    assert [p["text"] for p in data["passages"]] == ["Vi lägger ärendet på is. Det är så vi gör"]
    err = qc(coded, "matrix", "codes", "modes", "--cell", "ACT", "telephone", code=1)
    assert "'telephone' is not one of the modes: focus_group" in err


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.tags: list[str] = []
        self._in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_cell = tag == "td"

    def handle_data(self, data: str) -> None:
        if self._in_cell and data.strip():
            self.cells.append(data.strip())
            self._in_cell = False


def test_html_heat_map_and_chart_files(coded: ProjectPlace, tmp_path: Path) -> None:
    page, chart = tmp_path / "m.html", tmp_path / "m.svg"
    qc(
        coded,
        "matrix",
        "codes",
        "modes",
        "--codes",
        "ACT,DISC",
        "-o",
        str(page),
        "--chart",
        str(chart),
    )
    text = page.read_text(encoding="utf-8")
    parsed = _Page()
    parsed.feed(text)
    assert parsed.cells == ["2", "2", "2", "2", "4", "4"]
    assert "svg" in parsed.tags and "script" not in parsed.tags
    assert not re.search(r"(src|href)=\"(https?:|//)", text) and "<metadata>" not in text
    assert 'title="ACT AND mode:focus_group"' in text
    assert chart.read_bytes().lstrip().startswith(b"<?xml") and b"<svg" in chart.read_bytes()
    assert oct(page.stat().st_mode & 0o777) == "0o600"
    png = tmp_path / "m.png"
    qc(coded, "cooccurrence", "--chart", str(png))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_input_is_one_sentence(coded: ProjectPlace, tmp_path: Path) -> None:
    err = qc(coded, "matrix", "codes", "colour", code=1)
    assert err.startswith("qualcode: unknown dimension 'colour'; use one of codes, transcripts")
    err = qc(coded, "matrix", "codes", "modes", "-m", "weight", code=1)
    assert "unknown measure 'weight'; use one of codings, passages" in err
    err = qc(coded, "matrix", "codes", "modes", "--chart", str(tmp_path / "x.gif"), code=1)
    assert "a chart is written as svg or png, not gif" in err
    assert not (tmp_path / "x.gif").exists()
    err = qc(coded, "matrix", "codes", "modes", "--where", "ACT.WAIT AND", code=1)
    assert "bad query" in err and "column 13" in err
    # every command that takes a query shows it with a caret under the problem
    for args in (
        ["quotes", "ACT.WAIT("],
        ["words", "--where", "(("],
        ["kwic", "x", "--where", "AND"],
    ):
        err = qc(coded, *args, code=1)
        assert err.startswith("qualcode: bad query, column ") and "^" in err, args
    err = qc(coded, "matrix", "codes", "modes", "--coder", "carl", code=1)
    assert "coder 'carl' has no codings; the coders are: anna, bertil" in err
    out = qc(coded, "matrix", "codes", "modes", "--codes", "BIC")
    assert "Nothing matches" in out and "BIC" in out


def test_words_kwic_and_stopwords_commands(coded: ProjectPlace) -> None:
    documented = _documented_keys(REPO / "docs" / "cli.md")
    data = json.loads(qc(coded, "words", "--min-count", "1", "--limit", "0", "--json"))
    assert set(data) == documented["words"]
    counts = dict(zip(data["rows"], data["row_totals"], strict=True))
    spoken = [
        w.lower() for w in re.findall(r"\w+", re.sub(r"(?m)^[^\n:]{1,40}:", " ", SHORT_FOCUS_GROUP))
    ]
    assert counts["barnen"] == spoken.count("barnen") and "och" not in counts
    assert "moderator" not in counts
    out = qc(coded, "words", "--where", "ACT.WAIT", "--min-count", "1")
    assert out.startswith("words by frequency") and "lägger" in out
    lines = json.loads(qc(coded, "kwic", "lemma:vänta", "--width", "10", "--json"))
    assert set(lines) == documented["kwic"]
    assert set(lines["lines"][0]) == {
        "transcript_id",
        "transcript",
        "start",
        "end",
        "left",
        "keyword",
        "right",
    }
    assert [line["keyword"] for line in lines["lines"]] == ["väntar", "vänta"]
    printed = qc(coded, "kwic", "lemma:vänta", "--width", "10").splitlines()
    assert printed[0] == "2 occurrences of lemma:vänta"
    assert (
        len(
            {
                line.index(" väntar ") if " väntar " in line else line.index(" vänta ")
                for line in printed[1:]
            }
        )
        == 1
    )
    edits = json.loads(qc(coded, "stopwords", "--add", "barnen", "--json"))
    assert set(edits) == documented["stopwords"] and edits["add"] == ["barnen"]
    again = json.loads(qc(coded, "words", "--min-count", "1", "--limit", "0", "--json"))
    assert "barnen" not in again["rows"]


def test_files_are_pseudonymised(coded: ProjectPlace, tmp_path: Path) -> None:
    qc(coded, "pseudonyms", "Fokus", "Grupp A")
    page, data = tmp_path / "t.html", tmp_path / "t.json"
    qc(coded, "matrix", "codes", "transcripts", "--codes", "ACT", "-o", str(page))
    qc(coded, "matrix", "codes", "transcripts", "--codes", "ACT", "-o", str(data))
    written = json.loads(data.read_text(encoding="utf-8"))
    assert written["columns"] == ["Grupp A"]
    assert written["queries"] == [["ACT AND transcript:Grupp A"]]
    assert "Fokus" not in page.read_text(encoding="utf-8") and "Grupp A" in page.read_text(
        encoding="utf-8"
    )
    # the terminal stays the researcher's own view
    assert "Fokus" in qc(coded, "matrix", "codes", "transcripts", "--codes", "ACT")


def test_matrix_as_every_table_format_read_back(coded: ProjectPlace, tmp_path: Path) -> None:
    import csv
    import io

    import docx
    import openpyxl

    qc(coded, "pseudonyms", "Fokus", "Grupp A")
    args = ["matrix", "codes", "transcripts", "--codes", "ACT,DISC", "-m", "passages"]
    for suffix in ("csv", "xlsx", "md", "docx"):
        target = tmp_path / f"m.{suffix}"
        qc(coded, *args, "-o", str(target))
        assert oct(target.stat().st_mode & 0o777) == "0o600"
    rows = list(csv.reader(io.StringIO((tmp_path / "m.csv").read_text("utf-8-sig"))))
    # a file is a document: in the project's language (Swedish), as a report prints it
    assert rows == [
        ["koder", "Grupp A", "Totalt"],
        ["ACT", "1", "1"],
        ["DISC", "2", "2"],
        ["Totalt", "2", "2"],
    ]
    book = openpyxl.load_workbook(tmp_path / "m.xlsx")
    sheet = book["Table"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["koder", "Grupp A", "Totalt"],
        ["ACT", 1, 1],
        ["DISC", 2, 2],
        ["Totalt", 2, 2],
    ]
    about = [row[0].value for row in book["About"].iter_rows()]
    assert about[0] == "koder × transkriptioner"
    qc(coded, *args, "--lang", "en", "-o", str(tmp_path / "en.csv"))
    english = list(csv.reader(io.StringIO((tmp_path / "en.csv").read_text("utf-8-sig"))))
    assert english[0] == ["codes", "Grupp A", "Total"] and english[-1][0] == "Total"
    assert any("stycken (överlappande" in line and "anna, bertil" in line for line in about)
    word = docx.Document(str(tmp_path / "m.docx"))
    (grid,) = word.tables
    assert [[c.text for c in r.cells] for r in grid.rows][1] == ["ACT", "1", "1"]
    assert any("stycken (överlappande" in p.text for p in word.paragraphs)
    text = (tmp_path / "m.md").read_text("utf-8")
    assert "| koder | Grupp A | Totalt |" in text and "| DISC | 2 | 2 |" in text
    for path in tmp_path.iterdir():
        if path.suffix in (".csv", ".md"):
            assert "Fokus" not in path.read_text("utf-8-sig")
    # co-occurrence, words and a share go the same way; a share stays a number
    qc(
        coded,
        "matrix",
        "codes",
        "modes",
        "--codes",
        "ACT",
        "-m",
        "share",
        "-o",
        str(tmp_path / "s.xlsx"),
    )
    share = openpyxl.load_workbook(tmp_path / "s.xlsx")["Table"]["B2"]
    assert isinstance(share.value, float) and 0 < share.value < 1 and share.number_format == "0.0%"
    shown = qc(coded, "matrix", "codes", "modes", "--codes", "ACT", "-m", "share", "--json")
    assert json.loads(shown)["cells"][0][0] == pytest.approx(share.value)
    qc(
        coded,
        "matrix",
        "codes",
        "modes",
        "--codes",
        "ACT",
        "-m",
        "share",
        "-o",
        str(tmp_path / "s.md"),
    )
    assert f"| ACT | {100 * share.value:.1f}% |" in (tmp_path / "s.md").read_text("utf-8")
    qc(coded, "cooccurrence", "--codes", "ACT.WAIT,DISC.STRUCT", "-o", str(tmp_path / "c.csv"))
    co = list(csv.reader(io.StringIO((tmp_path / "c.csv").read_text("utf-8-sig"))))
    assert co[0] == ["koder", "ACT.WAIT", "DISC.STRUCT", "Totalt"]
    qc(coded, "words", "--min-count", "1", "--limit", "3", "-o", str(tmp_path / "w.md"))
    assert (tmp_path / "w.md").read_text("utf-8").startswith("## ord efter frekvens")
    err = qc(coded, *args, "-o", str(tmp_path / "m.pdf"), code=2)
    assert "cannot write a matrix as '.pdf'; choose one of html, json, csv, xlsx, md, docx" in err
    assert not (tmp_path / "m.pdf").exists()


def test_quotes_lang_writes_headings_and_attributions_in_that_language(
    coded: ProjectPlace,
) -> None:
    swedish = qc(coded, "quotes", "ACT.WAIT", "--all-coders", "-o", "-")
    assert "Ärendet läggs på is" in swedish and "en deltagare, fokusgrupp" in swedish
    # the definition and the export's own words follow the language too
    assert "*Att skjuta upp en utredning" in swedish and "Postponing" not in swedish
    assert "(kodat av " in swedish and "coded by" not in swedish
    english = qc(coded, "quotes", "ACT.WAIT", "--all-coders", "--lang", "en", "-o", "-")
    assert "Case put on hold until the asylum decision" in english
    assert "a participant, focus group" in english and "fokusgrupp" not in english
    assert "*Postponing an investigation" in english and "Att skjuta upp" not in english
    assert "(coded by " in english and "kodat av" not in english
    err = qc(coded, "quotes", "ACT.WAIT", "--lang", "fi", "-o", "-", code=1)
    assert "cannot write an export in 'fi'; choose one of sv, en" in err


def test_a_table_file_speaks_the_projects_language_the_terminal_english(
    coded: ProjectPlace, tmp_path: Path
) -> None:
    args = ["matrix", "codes", "modes", "--codes", "ACT"]
    screen = qc(coded, *args)
    assert "focus_group" in screen and "Total" in screen  # the tool's own view
    document = tmp_path / "modes.md"
    qc(coded, *args, "-o", str(document))
    text = document.read_text("utf-8")
    assert text.startswith("## koder × intervjuformer")
    assert "| koder | fokusgrupp | Totalt |" in text and "focus_group" not in text
    assert "kodningar av anna, bertil, sammanslagna" in text
    # drill-down still finds the cell under the label the document shows
    found = json.loads(qc(coded, *args, "--lang", "sv", "--cell", "ACT", "fokusgrupp", "--json"))
    assert len(found["passages"]) >= 1
