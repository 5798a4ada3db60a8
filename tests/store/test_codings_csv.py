"""Codings from a spreadsheet: all good rows in, or nothing and every bad line named."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.domain.errors import InvalidInput
from qualcode.services import coding, memos
from qualcode.services.codings_csv import import_codings_csv
from qualcode.services.project import Project


def write(tmp_path: Path, text: str, name: str = "codings.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_rows_are_imported_with_new_coders_and_memos(
    coded_project: Project, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "transcript,coder,code,start,end,memo\n"
        "Fokus,carla,ACT.WAIT,10,20,på is\n"
        "1,carla,BIC,0,5,\n",
    )
    report = import_codings_csv(coded_project, path)
    assert (report.imported, report.coders_created) == (2, ("carla",))
    found = [(c.coder, c.code_key, c.start, c.end) for c in coding.list_codings(coded_project)]
    assert found == [("carla", "BIC", 0, 5), ("carla", "ACT.WAIT", 10, 20)]
    assert [m.text for m in memos.list_memos(coded_project, target="coding")] == ["på is"]


def test_every_bad_row_is_named_and_nothing_is_imported(
    coded_project: Project, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "transcript,coder,code,start,end\n"
        "Fokus,anna,ACT.WAIT,10,20\n"
        "Nowhere,anna,BIC,0,5\n"
        "Fokus,anna,NO.CODE,0,5\n"
        "Fokus,anna,BIC,0,999999\n"
        "Fokus,anna,BIC,9,3\n"
        "Fokus,anna,BIC,x,3\n"
        "Fokus,anna,ACT.WAIT,10,20\n",
    )
    with pytest.raises(InvalidInput) as caught:
        import_codings_csv(coded_project, path)
    message = str(caught.value)
    assert "6 bad rows, nothing imported" in message
    for line, words in [
        (3, "'Nowhere'"),
        (4, "unknown code 'NO.CODE'"),
        (5, "past the end"),
        (6, "greater than start"),
        (7, "start 'x' is not a whole number"),
        (8, "already has this coding"),
    ]:
        assert f"line {line}: " in message and words in message
    assert coding.list_codings(coded_project) == []

    report = import_codings_csv(coded_project, path, skip_bad=True)
    assert report.imported == 1 and len(report.skipped) == 6


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("transcript;coder;code;start;end\nFokus;anna;BIC;0;5\n", "separated by ';'"),
        ("transcript,coder,code,start\nFokus,anna,BIC,0\n", "lacks the column end"),
        ("", "is empty"),
    ],
)
def test_a_file_in_the_wrong_shape_is_refused(
    coded_project: Project, tmp_path: Path, content: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        import_codings_csv(coded_project, write(tmp_path, content))
    assert coding.list_codings(coded_project) == []
