"""`qualcode cases` as a user drives it: list, show, link, unlink, speakers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl

from tests.cli.test_cli import _documented_keys, qc, ready
from tests.conftest import REPO, ProjectPlace

__all__ = ["ready"]


def test_link_show_and_list_cases(ready: ProjectPlace) -> None:
    out = qc(ready, "cases", "link", "Fokus", "Ekbacka", "Norrvik")
    assert "Linked Fokus to Ekbacka (new case)" in out
    qc(ready, "cases", "link-speaker", "Fokus", "Socialsekreterare A", "Ekbacka")
    qc(ready, "attr", "set", "county", "Skåne", "--case", "Ekbacka")
    qc(ready, "attr", "set", "lvu", "3", "--case", "Norrvik")
    listed = json.loads(qc(ready, "cases", "--json"))
    assert listed == [
        {
            "name": "Ekbacka",
            "transcripts": ["Fokus"],
            "speakers": [{"transcript": "Fokus", "speaker": "Socialsekreterare A"}],
            "attributes": {"county": "Skåne"},
        },
        {"name": "Norrvik", "transcripts": ["Fokus"], "speakers": [], "attributes": {"lvu": 3.0}},
    ]
    documented = _documented_keys(REPO / "docs" / "cli.md")
    assert set(listed[0]) == documented["cases"]
    assert set(json.loads(qc(ready, "transcripts", "--json"))[0]) == documented["transcripts"]
    table = qc(ready, "cases")
    assert "Ekbacka" in table and "–" in table.splitlines()[1]  # Ekbacka's lvu is missing
    assert "speaker: Socialsekreterare A in Fokus" in qc(ready, "cases", "show", "Ekbacka")
    assert json.loads(qc(ready, "cases", "show", "Norrvik", "--json"))["attributes"] == {"lvu": 3.0}
    qc(ready, "cases", "unlink", "Fokus", "Norrvik")
    assert json.loads(qc(ready, "transcripts", "--json"))[0]["cases"] == ["Ekbacka"]
    qc(ready, "cases", "unlink-speaker", "Fokus", "Socialsekreterare A")
    assert json.loads(qc(ready, "cases", "show", "Ekbacka", "--json"))["speakers"] == []


def test_case_errors_are_one_sentence(ready: ProjectPlace) -> None:
    err = qc(ready, "cases", "show", "Nowhere", code=1)
    assert err.strip() == "qualcode: no case named 'Nowhere' (see qualcode cases)"
    err = qc(ready, "cases", "link-speaker", "Fokus", "Nobody", "Ekbacka", code=1)
    assert "no speaker 'Nobody'" in err and "Socialsekreterare A" in err
    qc(ready, "attr", "set", "county", "Skåne", "--case", "Ekbacka")
    err = qc(ready, "attr", "set", "county", "Skåne", "-t", "Fokus", code=1)
    assert "has no case; link it first (qualcode cases link 'Fokus' CASE)" in err


SAMPLE = REPO / "transcripts" / "kartlaggning" / "kartlaggning-enheter.csv"


def test_import_sample_then_export_the_same_shape(ready: ProjectPlace, tmp_path: Path) -> None:
    out = qc(ready, "cases", "import", str(SAMPLE), "--key", "enhet")
    assert "81 cases keyed by enhet" in out and "+ 81 new cases" in out
    assert "Nothing changed" in qc(ready, "cases", "import", str(SAMPLE), "--key", "enhet")
    exported = tmp_path / "ut.csv"
    qc(ready, "cases", "export", "-o", str(exported))
    original = list(csv.reader(io.StringIO(SAMPLE.read_text("utf-8-sig")), delimiter=";"))
    written = list(csv.reader(io.StringIO(exported.read_text("utf-8-sig")), delimiter=";"))
    assert written[0] == original[0]
    assert sorted(written[1:]) == sorted(original[1:])
    book = tmp_path / "ut.xlsx"
    qc(ready, "cases", "export", "-o", str(book))
    rows = list(openpyxl.load_workbook(book).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0] == tuple(original[0]) and len(rows) == 82
    assert "Nothing changed" in qc(ready, "cases", "import", str(book), "--key", "enhet")
    err = qc(ready, "cases", "export", "-o", str(tmp_path / "ut.docx"), code=2)
    assert "cannot write the case table as '.docx'; choose one of csv, xlsx" in err
    assert not (tmp_path / "ut.docx").exists()
    edited = tmp_path / "edited.csv"
    edited.write_text(
        SAMPLE.read_text("utf-8-sig").replace(
            "Granlunda;Stockholm;ja;2;", "Granlunda;Stockholm;ja;3;"
        ),
        encoding="utf-8",
    )
    out = qc(ready, "cases", "import", str(edited), "--key", "enhet", "--dry-run")
    assert "~ Granlunda: lvu 2 -> 3" in out and "dry run, nothing written" in out
    err = qc(ready, "cases", "import", str(SAMPLE), "--key", "kommun", code=1)
    assert err.startswith("qualcode: kartlaggning-enheter.csv has no column 'kommun'")
    assert "Traceback" not in err


def test_county_table_to_terminal_json_and_every_file(ready: ProjectPlace, tmp_path: Path) -> None:
    import docx

    qc(ready, "cases", "import", str(SAMPLE), "--key", "enhet")
    args = ["cases", "table", "--by", "län", "--count", "svarat=ja", "--sum", "lvu,sol"]
    text = qc(ready, *args)
    skane = next(line for line in text.splitlines() if line.startswith("Skåne"))
    assert skane.split() == ["Skåne", "42", "5", "39", "3", "3", "11", "39", "3", "4", "39", "(42)"]
    data = json.loads(qc(ready, *args, "--json"))
    assert set(data) == _documented_keys(REPO / "docs" / "cli.md")["cases table"]
    assert data["rows"][-1] == ["Total"] and data["cells"][-1][-1] == "78 (81)"
    for suffix in ("csv", "xlsx", "md", "html", "docx"):
        target = tmp_path / f"tabell1.{suffix}"
        qc(ready, *args, "-o", str(target))
        assert target.stat().st_mode & 0o077 == 0, "owner-only"
    rows = list(csv.reader(io.StringIO((tmp_path / "tabell1.csv").read_text("utf-8-sig"))))
    # the files are for a Swedish report: in the project's language, as Tabell 1 prints it
    assert rows[0][:3] == ["län", "fall", "lvu summa"] and rows[-1][0] == "Totalt"
    sheet = openpyxl.load_workbook(tmp_path / "tabell1.xlsx")["Table"]
    assert [c.value for c in sheet[4]][:3] == ["Totalt", 81, 13]
    english = tmp_path / "english.csv"
    qc(ready, *args, "--lang", "en", "-o", str(english))
    assert english.read_text("utf-8-sig").splitlines()[0].startswith("län,cases,lvu sum")
    (word,) = docx.Document(str(tmp_path / "tabell1.docx")).tables
    assert [c.text for c in word.rows[1].cells][:3] == ["Skåne", "42", "5"]
    assert "| Stockholm | 39 | 8 |" in (tmp_path / "tabell1.md").read_text("utf-8")
    assert "<tfoot>" in (tmp_path / "tabell1.html").read_text("utf-8")
    turned = qc(ready, *args, "--transpose").splitlines()
    assert turned[1].split() == ["län", "Skåne", "Stockholm", "Total"]
    assert turned[-4].split() == ["svarat=ja", "39", "(42)", "39", "(39)", "78", "(81)"]
    err = qc(ready, "cases", "table", "--by", "län", "--sum", "kommentar", code=1)
    assert "only numbers can be summed" in err
    err = qc(ready, *args, "-o", str(tmp_path / "t.pdf"), code=2)
    assert "cannot write a table as '.pdf'; choose one of csv, xlsx, md, html, docx" in err


def test_table_files_are_pseudonymised_the_terminal_is_not(
    ready: ProjectPlace, tmp_path: Path
) -> None:
    qc(ready, "cases", "import", str(SAMPLE), "--key", "enhet")
    qc(ready, "pseudonyms", "Skåne", "Län A")
    args = ["cases", "table", "--by", "län", "--sum", "lvu"]
    assert "Skåne" in qc(ready, *args)
    qc(ready, *args, "-o", str(tmp_path / "t.xlsx"))
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx")["Table"]
    labels = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert labels == ["Län A", "Stockholm", "Totalt"]
    assert isinstance(sheet["B2"].value, int)
