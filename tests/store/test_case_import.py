"""Importing a case table: types, blanks as missing, all-or-nothing errors, diffs."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from qualcode.domain.errors import InvalidInput
from qualcode.services.case_import import case_sheet, import_case_table
from qualcode.services.cases import list_cases
from qualcode.services.project import Project

HEADER = "enhet;län;svarat;lvu;andel;startdatum;kommentar\r\n"
ROWS = (
    "Granlunda;Stockholm;ja;2;0,5;2011-03-01;en LVU räknad som två\r\n"
    "Strömsvik;Stockholm;nej;;1,25;;\r\n"
    "Ljungaryd;Skåne;JA;0;;2012-12-31;\r\n"
)


def write(
    tmp_path: Path, text: str, name: str = "enheter.csv", encoding: str = "utf-8-sig"
) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def values(project: Project) -> dict[str, dict[str, object]]:
    return {c.name: c.attributes for c in list_cases(project)}


def test_types_decimal_comma_booleans_and_blanks(project: Project, tmp_path: Path) -> None:
    report = import_case_table(project, write(tmp_path, HEADER + ROWS), key="enhet", coder="a")
    assert {c.name: c.value_type for c in report.columns} == {
        "län": "text",
        "svarat": "boolean",
        "lvu": "number",
        "andel": "number",
        "startdatum": "date",
        "kommentar": "text",
    }
    assert report.new_cases == ("Granlunda", "Strömsvik", "Ljungaryd") and report.written
    found = values(project)
    assert found["Granlunda"] == {
        "län": "Stockholm",
        "svarat": True,
        "lvu": 2.0,
        "andel": 0.5,
        "startdatum": "2011-03-01",
        "kommentar": "en LVU räknad som två",
    }
    # blank cells are missing: no value at all, not 0, not "no", not ""
    assert found["Strömsvik"] == {"län": "Stockholm", "svarat": False, "andel": 1.25}
    assert found["Ljungaryd"]["lvu"] == 0.0 and "andel" not in found["Ljungaryd"]


def test_reimport_is_idempotent_and_an_edit_is_a_diff(project: Project, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + ROWS)
    import_case_table(project, path, key="enhet", coder="a")
    again = import_case_table(project, path, key="enhet", coder="a")
    assert again.unchanged and not again.written
    edited = write(
        tmp_path,
        HEADER
        + ROWS.replace("Strömsvik;Stockholm;nej;;1,25", "Strömsvik;Stockholm;nej;4;")
        + "Hagaslätt;Skåne;ja;3;;;\r\n",
        "edited.csv",
    )
    dry = import_case_table(project, edited, key="enhet", coder="a", dry_run=True)
    changes = {(c.case, c.attribute): (c.before, c.after) for c in dry.changes}
    assert changes[("Strömsvik", "lvu")] == (None, 4.0)
    assert changes[("Strömsvik", "andel")] == (1.25, None)
    assert dry.new_cases == ("Hagaslätt",) and not dry.written
    assert "lvu" not in values(project)["Strömsvik"]  # dry run wrote nothing
    import_case_table(project, edited, key="enhet", coder="a")
    found = values(project)
    assert found["Strömsvik"]["lvu"] == 4.0 and "andel" not in found["Strömsvik"]
    assert found["Hagaslätt"] == {"län": "Skåne", "svarat": True, "lvu": 3.0}


def test_one_zero_is_a_number_unless_typed_boolean(project: Project, tmp_path: Path) -> None:
    path = write(tmp_path, "enhet,svarat\r\nA,1\r\nB,0\r\nC,\r\n")
    report = import_case_table(project, path, key="enhet", coder="a", dry_run=True)
    assert report.columns[0].value_type == "number"
    import_case_table(project, path, key="enhet", coder="a", types={"svarat": "boolean"})
    assert values(project) == {"A": {"svarat": True}, "B": {"svarat": False}, "C": {}}


def test_comma_tab_and_cp1252_with_a_warning(project: Project, tmp_path: Path) -> None:
    tab = write(tmp_path, "enhet\tlän\nÖdeby\tSkåne\n", "tab.tsv", encoding="utf-8")
    import_case_table(project, tab, key="enhet", coder="a")
    old = write(tmp_path, "enhet,län\r\nÅsby,Skåne\r\n", "old.csv", encoding="cp1252")
    report = import_case_table(project, old, key="enhet", coder="a")
    assert any("cp1252" in w for w in report.warnings)
    assert values(project) == {"Åsby": {"län": "Skåne"}, "Ödeby": {"län": "Skåne"}}


def bad_inputs(tmp_path: Path) -> list[tuple[Path, dict[str, object], str]]:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (120 * 1024 * 1024))
    (tmp_path / "bomb.xlsx").write_bytes(bomb.getvalue())
    (tmp_path / "fake.xlsx").write_bytes(b"enhet;lvu\nA;1\n")
    (tmp_path / "binary.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    return [
        (write(tmp_path, "enhet;lvu;lvu\nA;1;2\n", "dup.csv"), {}, "names column 'lvu' twice"),
        (write(tmp_path, "enhet;;lvu\nA;1;2\n", "noname.csv"), {}, "column 2 of the header has no name"),
        (write(tmp_path, "namn;lvu\nA;1\n", "nokey.csv"), {}, "has no column 'enhet' for the key"),
        (write(tmp_path, "enhet;lvu\nA;1\nB;2\nA;3\n", "twice.csv"), {},
         "line 4: key 'A' in column 'enhet' is a duplicate of line 2"),
        (write(tmp_path, "enhet;lvu\nA;1\nB;2\nC;två\n", "text.csv"), {},
         "line 4, column 'lvu': 'två' is not a number"),
        (write(tmp_path, "enhet;lvu\nA;1\nB;x\n", "typed.csv"), {"types": {"lvu": "number"}},
         "line 3, column 'lvu': 'x' is not a number"),
        (write(tmp_path, "enhet;start\nA;2012-02-30\n", "date.csv"), {"types": {"start": "date"}},
         "line 2, column 'start': '2012-02-30' is not a date"),
        (tmp_path / "bomb.xlsx", {}, "would unpack to 120 MB"),
        (tmp_path / "fake.xlsx", {}, "is not an Excel workbook (it is not a zip archive)"),
        (tmp_path / "binary.csv", {}, "it is not a table qualcode reads"),
        (tmp_path / "empty.csv", {}, "empty"),
        (tmp_path / "report.pdf", {}, "save it as .csv or .xlsx"),
        (write(tmp_path, "enhet;lvu\nA;1;7\n", "wide.csv"), {}, "line 2: 3 cells but the header has 2"),
        (write(tmp_path, "enhet;lvu\nA;1\n", "t1.csv"), {"types": {"lvu": "numeric"}},
         "--type lvu=numeric: the type must be one of number, text, boolean, date"),
        (write(tmp_path, "enhet;lvu\nA;1\n", "t2.csv"), {"types": {"sol": "number"}},
         "--type names column 'sol', which t2.csv does not have"),
        (write(tmp_path, "enhet;lvu\n;1\n", "blankkey.csv"), {},
         "line 2: the key column 'enhet' is blank"),
    ]  # fmt: skip


def test_every_bad_input_is_one_error_and_nothing_is_written(
    project: Project, tmp_path: Path
) -> None:
    for path, options, message in bad_inputs(tmp_path):
        with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
            import_case_table(project, path, key="enhet", coder="a", **options)  # type: ignore[arg-type]
        assert list_cases(project) == [], path.name


def test_xlsx_sheets_and_export_round_trip(project: Project, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Om"
    first.append(["Det här bladet är en beskrivning"])
    data = book.create_sheet("Enheter")
    data.append(["enhet", "lvu", "svarat", "datum"])
    data.append(["Granlunda", 2, True, None])
    data.append(["Strömsvik", None, False, None])
    path = tmp_path / "enheter.xlsx"
    book.save(path)
    with pytest.raises(InvalidInput, match="has no sheet 'Blad1'; its sheets are 'Om', 'Enheter'"):
        import_case_table(project, path, key="enhet", coder="a", sheet="Blad1")
    import_case_table(project, path, key="enhet", coder="a", sheet="Enheter")
    assert values(project) == {
        "Granlunda": {"lvu": 2.0, "svarat": True},
        "Strömsvik": {"svarat": False},
    }
    sheet = case_sheet(project)
    assert sheet.key == "enhet" and sheet.columns[:2] == ("lvu", "svarat")
    assert sheet.rows[1] == ("Strömsvik", (None, False, None))
