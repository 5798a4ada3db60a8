"""Codings from a spreadsheet: all good rows in, or nothing and every bad line named."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.domain.errors import InvalidInput
from qualcode.domain.text import sha256_text
from qualcode.services import coding, codings_csv, memos, transcripts
from qualcode.services.codings_csv import import_codings_csv
from qualcode.services.project import Project
from qualcode.store.repositories import events


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
        ("transcript|coder|code|start|end\nFokus|anna|BIC|0|5\n", "lacks the columns"),
        ("transcript,coder,code,memo\nFokus,anna,BIC,x\n", "lacks the columns start, end"),
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


def test_a_large_file_goes_in_whole_with_each_memo_on_its_own_coding(
    coded_project: Project, tmp_path: Path
) -> None:
    text = transcripts.transcript_text(coded_project, "Fokus").text
    spans = [(i % 400, i % 400 + 1 + i // 400) for i in range(1500)]  # all distinct
    lines = ["transcript,coder,code,start,end,memo"]
    lines += [
        f"Fokus,{'carla' if i % 2 else 'dan'},ACT.WAIT,{s},{e},{f'memo {i}' if i % 7 == 0 else ''}"
        for i, (s, e) in enumerate(spans)
    ]
    report = import_codings_csv(coded_project, write(tmp_path, "\n".join(lines) + "\n"))
    assert (report.imported, report.coders_created) == (1500, ("carla", "dan"))
    found = {(c.start, c.end): c for c in coding.list_codings(coded_project)}
    assert set(found) == set(spans)
    for i, (s, e) in enumerate(spans):
        made = found[(s, e)]
        assert (made.coder, made.quote) == ("carla" if i % 2 else "dan", text[s:e])
        assert made.quote_sha256 == sha256_text(text[s:e])
    on_codings = memos.list_memos(coded_project, target="coding")
    assert len(on_codings) == len(range(0, 1500, 7))
    for memo in on_codings:
        i = int(memo.text.split()[1])
        assert found[spans[i]].id == int(memo.target_ref or 0)
        assert memo.author == ("carla" if i % 2 else "dan")
    with coded_project.database.read() as session:
        (logged,) = events.events_with_actions(session, ("codings.import",))
    assert sorted(logged.after["coding_ids"]) == sorted(c.id for c in found.values())


def test_a_coding_made_while_the_file_was_checked_is_not_imported_twice(
    coded_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows are checked before the write transaction; a change in between (here:
    another coder's session applying the same coding) is caught under the lock."""
    checked = codings_csv._check_rows
    calls = []

    def check_then_someone_codes(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        calls.append(1)
        result = checked(*args, **kwargs)  # type: ignore[arg-type]
        if len(calls) == 1:
            coding.apply_code(
                coded_project, transcript="Fokus", code="BIC", start=0, end=5, coder="anna"
            )
        return result

    monkeypatch.setattr(codings_csv, "_check_rows", check_then_someone_codes)
    path = write(
        tmp_path, "transcript,coder,code,start,end\nFokus,anna,BIC,0,5\nFokus,anna,BIC,6,9\n"
    )
    with pytest.raises(InvalidInput, match="line 2: anna already has this coding"):
        import_codings_csv(coded_project, path)
    assert len(calls) == 2
    assert [(c.start, c.end) for c in coding.list_codings(coded_project)] == [(0, 5)]
