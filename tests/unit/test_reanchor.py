"""Re-anchoring codings on a revised text (property tests with hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.domain.reanchor import Placement, reanchor

WORDS = ["barnet", "familjen", "väntar", "på", "beslut", "LVU", "och", "vi", "socialtjänsten", "ja"]


def quoted(text: str, piece: str) -> tuple[int, int, str]:
    start = text.index(piece)
    return start, start + len(piece), piece


def test_an_unchanged_text_keeps_every_span() -> None:
    text = "I: Hej.\n\nIP1: Ja."
    assert [a.placement for a in reanchor(text, text, [(0, 3, "I: ")])] == [Placement.EXACT]


def test_spans_follow_their_words_and_edited_ones_are_flagged() -> None:
    old = "I: Hej hur mår du?\n\nIP1: Jag mår bra. Vi lägger ärendet på is.\n\nI: Okej."
    new = "Datum: 2013\n\nI: Hej, hur mår du?\n\nIP1: Jag mår bra tack. Vi lägger ärendet på is.\n\nI: Okej."
    spans = [
        quoted(old, "Vi lägger ärendet på is."),
        quoted(old, "Jag mår bra."),
        quoted(old, "I: Okej."),
    ]
    placed = reanchor(old, new, spans)
    assert [(new[a.start : a.end], a.placement) for a in placed] == [
        ("Vi lägger ärendet på is.", Placement.EXACT),
        ("Jag mår bra tack.", Placement.CHANGED),
        ("I: Okej.", Placement.EXACT),
    ]
    assert [a.needs_review for a in placed] == [False, True, False]


def test_moved_text_is_found_and_flagged() -> None:
    old = "A: Första stycket.\n\nB: Andra stycket med citatet här.\n\nA: Tredje."
    new = "B: Andra stycket med citatet här.\n\nA: Första stycket, omskrivet.\n\nA: Tredje."
    placed = reanchor(old, new, [quoted(old, "citatet här")])[0]
    assert new[placed.start : placed.end] == "citatet här"


def test_deleted_text_keeps_an_approximate_span_for_review() -> None:
    old = "A: Ett.\n\nB: Det här stycket försvinner helt.\n\nA: Tre."
    new = "A: Ett.\n\nA: Tre."
    placed = reanchor(old, new, [quoted(old, "stycket försvinner")])[0]
    assert placed.placement is Placement.APPROXIMATE and placed.needs_review
    assert 0 <= placed.start < placed.end <= len(new)


paragraph = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join)
texts = st.lists(paragraph, min_size=2, max_size=15).map("\n\n".join)


@st.composite
def text_spans_and_edits(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]], str]:
    """A text, coded spans in it, and a revision that only edits outside the spans."""
    text = draw(texts)
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), min_size=2, max_size=8, unique=True)))
    spans = [(a, b, text[a:b]) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if b > a]
    free = [i for i in range(len(text) + 1) if not any(s < i < e for s, e, _ in spans)]
    inserts = draw(st.lists(st.tuples(st.sampled_from(free), paragraph), max_size=4))
    new = text
    for at, words in sorted(inserts, reverse=True):
        new = new[:at] + f" {words} " + new[at:]
    return text, spans, new


@settings(max_examples=200, deadline=None)
@given(text_spans_and_edits())
def test_edits_outside_the_spans_leave_every_quote_in_place(
    case: tuple[str, list[tuple[int, int, str]], str],
) -> None:
    old, spans, new = case
    for anchored, (_, _, quote) in zip(reanchor(old, new, spans), spans, strict=True):
        assert new[anchored.start : anchored.end] == quote


@settings(max_examples=200, deadline=None)
@given(texts, texts, st.data())
def test_any_revision_places_every_span_in_bounds(old: str, new: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(old) - 1))
    end = data.draw(st.integers(start + 1, len(old)))
    placed = reanchor(old, new, [(start, end, old[start:end])])[0]
    assert 0 <= placed.start < placed.end <= len(new)
    if placed.placement is Placement.EXACT:
        assert new[placed.start : placed.end] == old[start:end]
