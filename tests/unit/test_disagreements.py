"""Classifying two coders' disagreements on one transcript: presence, boundary, confusion."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from qualcode.domain.disagreements import Disagreement, disagreement_key, find_disagreements
from qualcode.domain.errors import InvalidInput, InvalidSpan
from qualcode.domain.records import Coding

LENGTH = 200
_ids = itertools.count(1)


def coding(code: str, start: int, end: int, coder: str = "a", transcript: int = 1) -> Coding:
    number = next(_ids)
    return Coding(
        id=number,
        uuid=f"uuid-{number:04d}",
        transcript_id=transcript,
        transcript_title="T",
        code_key=code,
        coder=coder,
        start=start,
        end=end,
        quote="",
        quote_sha256="",
        needs_review=False,
        created_at=datetime(2024, 1, 1, tzinfo=UTC),
    )


def find(a: list[Coding], b: list[Coding], **kwargs: float) -> tuple[Disagreement, ...]:
    return find_disagreements(1, LENGTH, a, b, **kwargs)


def summary(found: tuple[Disagreement, ...]) -> list[tuple[str, list[int], list[int]]]:
    return [(d.kind, [c.id for c in d.codings_a], [c.id for c in d.codings_b]) for d in found]


def test_identical_codings_are_agreements_and_not_listed() -> None:
    a = [coding("X", 0, 10), coding("Y", 20, 30)]
    b = [coding("X", 0, 10, "b"), coding("Y", 20, 30, "b")]
    assert find(a, b) == ()


def test_a_coding_the_other_coder_lacks_is_presence() -> None:
    only_a = coding("X", 0, 10)
    only_b = coding("Y", 50, 60, "b")
    found = find([only_a], [only_b])
    assert summary(found) == [("presence", [only_a.id], []), ("presence", [], [only_b.id])]
    assert (found[0].start, found[0].end, found[0].transcript_id) == (0, 10, 1)


def test_the_same_code_on_different_overlapping_spans_is_a_boundary() -> None:
    a = coding("X", 0, 10)
    b = coding("X", 5, 20, "b")
    (found,) = find([a], [b])
    assert found.kind == "boundary"
    assert (found.codings_a, found.codings_b) == ((a,), (b,))
    assert (found.start, found.end) == (0, 20)  # the union of both spans
    assert found.codes == ("X",)


def test_abutting_spans_do_not_overlap() -> None:
    a, b = coding("X", 0, 10), coding("X", 10, 20, "b")
    assert [d.kind for d in find([a], [b])] == ["presence", "presence"]


def test_boundaries_pair_one_to_one_by_best_overlap() -> None:
    # A split the passage B coded whole: B's span pairs with the piece it overlaps
    # most, the other piece is left over as presence
    big = coding("X", 0, 100, "b")
    small = coding("X", 0, 30)
    large = coding("X", 30, 100)
    found = find([small, large], [big])
    assert summary(found) == [("presence", [small.id], []), ("boundary", [large.id], [big.id])]


def test_different_codes_on_the_same_passage_are_a_confusion() -> None:
    a = coding("X", 0, 10)
    b = coding("Y", 1, 10, "b")
    (found,) = find([a], [b])
    assert found.kind == "confusion"
    assert found.codes == ("X", "Y")
    assert (found.start, found.end) == (0, 10)


def test_confusion_needs_enough_overlap() -> None:
    a, b = coding("X", 0, 10), coding("Y", 6, 16, "b")  # IoU 4/16
    assert [d.kind for d in find([a], [b])] == ["presence", "presence"]
    assert [d.kind for d in find([a], [b], min_iou=0.25)] == ["confusion"]


def test_no_confusion_when_a_coder_also_applied_the_other_code_there() -> None:
    # A coded the passage X and Y, B only Y: the Y codings agree, A's X is presence
    x, y = coding("X", 0, 10), coding("Y", 0, 10)
    b_y = coding("Y", 0, 10, "b")
    assert summary(find([x, y], [b_y])) == [("presence", [x.id], [])]
    # B coded X elsewhere overlapping A's X: a boundary, and B's Y is on its own
    a_x = coding("X", 0, 10)
    b_x = coding("X", 8, 20, "b")
    b_y2 = coding("Y", 0, 10, "b")
    assert summary(find([a_x], [b_x, b_y2])) == [
        ("presence", [], [b_y2.id]),
        ("boundary", [a_x.id], [b_x.id]),
    ]


def test_confusions_pair_one_to_one() -> None:
    a = coding("X", 0, 10)
    b1, b2 = coding("Y", 0, 10, "b"), coding("Z", 0, 9, "b")
    found = find([a], [b1, b2])
    assert summary(found) == [("presence", [], [b2.id]), ("confusion", [a.id], [b1.id])]


def test_a_second_coding_overlapping_an_agreed_one_is_presence() -> None:
    agreed_a, agreed_b = coding("X", 0, 10), coding("X", 0, 10, "b")
    extra = coding("X", 5, 15, "b")
    assert summary(find([agreed_a], [agreed_b, extra])) == [("presence", [], [extra.id])]


def test_keys_are_stable_and_independent_of_order_sides_and_other_codings() -> None:
    a, b = coding("X", 0, 10), coding("X", 5, 20, "b")
    (first,) = find([a], [b])
    assert first.key.startswith("boundary-") and len(first.key) == len("boundary-") + 12
    assert first.key == disagreement_key("boundary", [b.uuid, a.uuid])
    # new codings elsewhere, and swapping the coders, leave the key alone
    more = find([a, coding("Y", 100, 120)], [coding("Z", 150, 160, "b"), b])
    assert first.key in {d.key for d in more}
    (swapped,) = find_disagreements(1, LENGTH, [b], [a])
    assert swapped.key == first.key
    # the kind is part of the key
    assert disagreement_key("presence", [a.uuid]) != disagreement_key("boundary", [a.uuid])


def test_results_do_not_depend_on_input_order() -> None:
    a = [coding("X", 0, 30), coding("X", 30, 60), coding("Y", 100, 110)]
    b = [coding("X", 10, 50, "b"), coding("Z", 100, 111, "b"), coding("Q", 150, 160, "b")]
    assert find(a, b) == find(list(reversed(a)), list(reversed(b)))
    found = find(a, b)
    assert [d.start for d in found] == sorted(d.start for d in found)


def test_codings_of_another_transcript_or_outside_the_text_are_refused() -> None:
    with pytest.raises(InvalidInput, match="belongs to transcript 2, not 1"):
        find([coding("X", 0, 10, transcript=2)], [])
    with pytest.raises(InvalidSpan, match="runs past the end of transcript 1"):
        find([], [coding("X", 190, 210, "b")])
    with pytest.raises(InvalidInput, match="min_iou must be above 0"):
        find([], [], min_iou=0)
