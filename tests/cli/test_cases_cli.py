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
