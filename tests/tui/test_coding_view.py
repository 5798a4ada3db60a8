"""Which codings are visible, which are at the cursor, where n/p go, where spans overlap."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from qualcode.domain.records import Coding
from qualcode.tui.coding_view import (
    CoderFilter,
    at_offset,
    next_coding,
    overlaps,
    previous_coding,
    visible,
)


def make(coding_id: int, code: str, coder: str, start: int, end: int) -> Coding:
    return Coding(id=coding_id, uuid=str(coding_id), transcript_id=1, transcript_title="t",
                  code_key=code, coder=coder, start=start, end=end, quote="", quote_sha256="",
                  needs_review=False, created_at=datetime(2024, 1, 1, tzinfo=UTC))  # fmt: skip


CODINGS = [
    make(1, "A", "anna", 0, 50),
    make(2, "B", "anna", 10, 20),
    make(3, "A", "bertil", 15, 40),
    make(4, "B", "bertil", 60, 70),
]


def test_blind_mode_shows_only_my_codings() -> None:
    view = CoderFilter(me="anna").toggled_blind()
    assert [c.id for c in visible(CODINGS, view)] == [1, 2]
    assert not view.toggled_blind().blind


def test_coder_filter_cycles_all_then_each_coder() -> None:
    view = CoderFilter(me="anna")
    seen = []
    for _ in range(3):
        view = view.next_coder(["anna", "bertil"])
        seen.append([c.id for c in visible(CODINGS, view)])
    assert seen == [[1, 2], [3, 4], [1, 2, 3, 4]]


def test_codings_at_an_offset_innermost_first() -> None:
    assert [c.id for c in at_offset(CODINGS, 16)] == [2, 3, 1]
    assert [c.id for c in at_offset(CODINGS, 50)] == []  # ends are exclusive


def test_next_and_previous_by_start() -> None:
    assert next_coding(CODINGS, 10).id == 3  # type: ignore[union-attr]
    assert next_coding(CODINGS, 10, keys={"B"}).id == 4  # type: ignore[union-attr]
    assert previous_coding(CODINGS, 15).id == 2  # type: ignore[union-attr]
    assert previous_coding(CODINGS, 0) is None
    assert next_coding(CODINGS, 60) is None


spans = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 20)).map(lambda p: (p[0], p[0] + p[1])),
    max_size=8,
)


@given(spans)
def test_overlaps_are_where_two_or_more_spans_cover(found: list[tuple[int, int]]) -> None:
    covered = {position for start, end in overlaps(found) for position in range(start, end)}
    expected = {
        position
        for position in range(90)
        if sum(start <= position < end for start, end in found) >= 2
    }
    assert covered == expected
    merged = overlaps(found)
    assert all(a[1] < b[0] for a, b in pairwise(merged))
