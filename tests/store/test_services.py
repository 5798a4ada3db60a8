"""The coding, memo and history services on both engines, asserted on stored rows."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from qualcode.domain.errors import Conflict, InvalidInput, InvalidSpan, NotFound
from qualcode.domain.text import sha256_text
from qualcode.services import coding, history, memos
from qualcode.services.coders import list_coders
from qualcode.services.project import Project
from qualcode.services.transcripts import transcript_text
from qualcode.store.schema import CoderRow, CodingRow, EventRow


def count(project: Project, column) -> int:  # type: ignore[no-untyped-def]
    with project.database.read() as session:
        return session.scalar(select(func.count(column)))  # type: ignore[no-any-return]


def test_apply_code_stores_span_quote_hash_and_event(coded_project: Project) -> None:
    text = transcript_text(coded_project, "Fokus").text
    start = text.index("Vi lägger ärendet på is.")
    end = start + len("Vi lägger ärendet på is.")

    made = coding.apply_code(
        coded_project, transcript="Fokus", code="ACT.WAIT", start=start, end=end, coder="anna"
    )

    with coded_project.database.read() as session:
        row = session.get(CodingRow, made.id)
        assert row is not None
        assert (row.start, row.end, row.quote) == (start, end, "Vi lägger ärendet på is.")
        assert row.quote_sha256 == sha256_text("Vi lägger ärendet på is.")
        assert len(row.uuid) == 36
        event = session.scalars(select(EventRow).where(EventRow.action == "coding.apply")).one()
        assert event.entity_id == made.id and event.after["quote"] == row.quote
    assert [c.name for c in list_coders(coded_project)] == ["anna", "setup"]


@pytest.mark.parametrize(
    ("start", "end", "error", "words"),
    [
        (-1, 5, InvalidSpan, "negative"),
        (5, 5, InvalidSpan, "greater than start"),
        (9, 3, InvalidSpan, "greater than start"),
        (0, 10**6, InvalidSpan, "past the end"),
    ],
)
def test_bad_spans_are_refused_and_nothing_is_written(
    coded_project: Project, start: int, end: int, error: type, words: str
) -> None:
    before = (
        count(coded_project, CodingRow.id),
        count(coded_project, EventRow.id),
        count(coded_project, CoderRow.id),
    )
    with pytest.raises(error, match=words):
        coding.apply_code(
            coded_project,
            transcript="Fokus",
            code="ACT.WAIT",
            start=start,
            end=end,
            coder="newcomer",
        )
    after = (
        count(coded_project, CodingRow.id),
        count(coded_project, EventRow.id),
        count(coded_project, CoderRow.id),
    )
    assert after == before


def test_unknown_transcript_and_code_are_named(coded_project: Project) -> None:
    with pytest.raises(NotFound, match="'Nope'"):
        coding.apply_code(
            coded_project, transcript="Nope", code="ACT.WAIT", start=0, end=3, coder="a"
        )
    with pytest.raises(NotFound, match=r"'NO.SUCH'"):
        coding.apply_code(
            coded_project, transcript="Fokus", code="NO.SUCH", start=0, end=3, coder="a"
        )
    with pytest.raises(NotFound, match="'ghost'"):
        coding.list_codings(coded_project, coders=["ghost"])
    assert count(coded_project, CodingRow.id) == 0


def test_the_same_coding_twice_is_a_conflict(coded_project: Project) -> None:
    coding.apply_code(coded_project, transcript="Fokus", code="BIC", start=0, end=5, coder="a")
    with pytest.raises(Conflict, match="already coded"):
        coding.apply_code(coded_project, transcript="Fokus", code="BIC", start=0, end=5, coder="a")
    # another coder may code the same span
    coding.apply_code(coded_project, transcript="Fokus", code="BIC", start=0, end=5, coder="b")
    assert count(coded_project, CodingRow.id) == 2


def test_list_codings_filters_by_code_with_descendants_and_coder(coded_project: Project) -> None:
    for code, coder, span in [
        ("ACT.WAIT", "anna", (10, 20)),
        ("ACT.LESS", "anna", (30, 40)),
        ("DISC.STRUCT", "bertil", (15, 25)),
        ("ACT.WAIT", "bertil", (50, 60)),
    ]:
        coding.apply_code(
            coded_project, transcript="Fokus", code=code, start=span[0], end=span[1], coder=coder
        )

    group = coding.list_codings(coded_project, codes=["ACT"])
    assert {(c.code_key, c.coder) for c in group} == {
        ("ACT.WAIT", "anna"),
        ("ACT.LESS", "anna"),
        ("ACT.WAIT", "bertil"),
    }
    assert coding.list_codings(coded_project, codes=["ACT"], descendants=False) == []
    annas = coding.list_codings(coded_project, coders=["anna"], codes=["ACT.WAIT"])
    assert [(c.start, c.end) for c in annas] == [(10, 20)]
    in_order = coding.list_codings(coded_project, transcripts=["Fokus"])
    assert [c.start for c in in_order] == [10, 15, 30, 50]


def test_a_coder_removes_only_their_own_codings(coded_project: Project) -> None:
    made = coding.apply_code(
        coded_project, transcript="Fokus", code="BIC", start=0, end=5, coder="anna"
    )
    with pytest.raises(InvalidInput, match="belongs to coder 'anna'"):
        coding.remove_coding(coded_project, made.id, coder="bertil")
    coding.remove_coding(coded_project, made.id, coder="anna")
    assert count(coded_project, CodingRow.id) == 0
    with pytest.raises(NotFound):
        coding.remove_coding(coded_project, made.id, coder="anna")


def test_memos_attach_to_each_kind_of_target(coded_project: Project) -> None:
    made = coding.apply_code(
        coded_project, transcript="Fokus", code="BIC", start=0, end=5, coder="anna"
    )
    memos.add_memo(coded_project, target="project", ref=None, text="Projektmemo", coder="anna")
    memos.add_memo(
        coded_project, target="transcript", ref="Fokus", text="Om fokusgruppen", coder="anna"
    )
    memos.add_memo(coded_project, target="code", ref="BIC", text="Om barnets bästa", coder="anna")
    on_coding = memos.add_memo(
        coded_project, target="coding", ref=str(made.id), text="Varför", coder="anna"
    )

    found = {(m.target, m.target_ref, m.text) for m in memos.list_memos(coded_project)}
    assert found == {
        ("project", None, "Projektmemo"),
        ("transcript", "Fokus", "Om fokusgruppen"),
        ("code", "BIC", "Om barnets bästa"),
        ("coding", str(made.id), "Varför"),
    }
    assert [m.text for m in memos.list_memos(coded_project, target="code", ref="BIC")] == [
        "Om barnets bästa"
    ]
    edited = memos.edit_memo(coded_project, on_coding.id, text="Därför", coder="anna")
    assert edited.text == "Därför"
    with pytest.raises(NotFound):
        memos.add_memo(coded_project, target="code", ref="NOPE", text="x", coder="anna")
    with pytest.raises(InvalidInput, match="needs some text"):
        memos.add_memo(coded_project, target="project", ref=None, text="  ", coder="anna")


def test_undo_and_redo_follow_one_coders_history(coded_project: Project) -> None:
    first = coding.apply_code(
        coded_project, transcript="Fokus", code="BIC", start=0, end=5, coder="anna"
    )
    second = coding.apply_code(
        coded_project, transcript="Fokus", code="ACT.WAIT", start=6, end=9, coder="anna"
    )
    other = coding.apply_code(
        coded_project, transcript="Fokus", code="BIC", start=0, end=5, coder="bertil"
    )

    assert "ACT.WAIT" in history.undo(coded_project, coder="anna").description
    assert [c.id for c in coding.list_codings(coded_project)] == [first.id, other.id]
    history.undo(coded_project, coder="anna")
    assert [c.id for c in coding.list_codings(coded_project)] == [other.id]
    with pytest.raises(InvalidInput, match="nothing to undo"):
        history.undo(coded_project, coder="anna")

    history.redo(coded_project, coder="anna")
    restored = coding.list_codings(coded_project, coders=["anna"])
    assert [(c.id, c.uuid) for c in restored] == [(first.id, first.uuid)]
    # a new action clears what could be redone
    coding.apply_code(coded_project, transcript="Fokus", code="BIC", start=20, end=25, coder="anna")
    with pytest.raises(InvalidInput, match="nothing to redo"):
        history.redo(coded_project, coder="anna")
    assert second.id not in {c.id for c in coding.list_codings(coded_project)}


def test_undo_of_a_removal_restores_the_coding_and_its_memo(coded_project: Project) -> None:
    made = coding.apply_code(
        coded_project, transcript="Fokus", code="BIC", start=0, end=5, coder="anna"
    )
    memos.add_memo(coded_project, target="coding", ref=str(made.id), text="Viktigt", coder="anna")
    coding.remove_coding(coded_project, made.id, coder="anna")
    assert memos.list_memos(coded_project) == []

    history.undo(coded_project, coder="anna")

    back = coding.list_codings(coded_project)
    assert [(c.id, c.uuid, c.quote) for c in back] == [(made.id, made.uuid, made.quote)]
    assert [m.text for m in memos.list_memos(coded_project, target="coding", ref=str(made.id))] == [
        "Viktigt"
    ]


def test_undo_refuses_when_the_data_changed_since(coded_project: Project) -> None:
    made = coding.apply_code(
        coded_project, transcript="Fokus", code="BIC", start=0, end=5, coder="anna"
    )
    memo = memos.add_memo(coded_project, target="coding", ref=str(made.id), text="v1", coder="anna")
    memos.edit_memo(coded_project, memo.id, text="v2", coder="anna")
    memos.edit_memo(coded_project, memo.id, text="v3", coder="bertil")
    with pytest.raises(Conflict, match="bertil changed memo 1 since"):
        history.undo(coded_project, coder="anna")
    assert memos.list_memos(coded_project)[0].text == "v3"


def test_every_action_is_in_the_event_log(coded_project: Project) -> None:
    made = coding.apply_code(
        coded_project, transcript="Fokus", code="BIC", start=0, end=5, coder="anna"
    )
    coding.remove_coding(coded_project, made.id, coder="anna")
    history.undo(coded_project, coder="anna")
    with coded_project.database.read() as session:
        log = [(e.kind, e.action) for e in session.scalars(select(EventRow).order_by(EventRow.id))]
    assert log[0] == ("do", "project.create")
    assert ("do", "transcript.import") in log
    assert log[-4:] == [
        ("do", "coder.create"),
        ("do", "coding.apply"),
        ("do", "coding.remove"),
        ("undo", "coding.remove"),
    ]
