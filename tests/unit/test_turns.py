"""Speaker turns, paragraphs and segments found in canonical text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.domain.turns import (
    MAX_SEGMENT,
    find_turns,
    infer_role,
    parse_timestamp,
    segments,
    split_segment,
)


def labels(text: str) -> list[str | None]:
    return [t.speaker_label for t in find_turns(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I: Hej.\nIP1: Hej.\nI: Bra.", ["I", "IP1", "I"]),
        (
            "Intervjuare: Hej.\n\nKarin: Hej.\n\nIntervjuare: Och?\n\nKarin: Ja.",
            ["Intervjuare", "Karin", "Intervjuare", "Karin"],
        ),
        ("[Anna] Hej.\n[Bo] Hej.\n[Anna] Ja.\n[Bo] Nej.", ["Anna", "Bo", "Anna", "Bo"]),
        ("Moderator 1: Hej.\nP3: Hej.", ["Moderator 1", "P3"]),
        (
            "SOCIALSEKRETERARE A: Ja.\nSOCIALSEKRETERARE B: Nej.\nSOCIALSEKRETERARE A: Jo.",
            ["SOCIALSEKRETERARE A", "SOCIALSEKRETERARE B", "SOCIALSEKRETERARE A"],
        ),
    ],
)
def test_label_formats(text: str, expected: list[str]) -> None:
    assert labels(text) == expected


def test_headers_and_colon_sentences_are_not_speakers() -> None:
    text = (
        "Datum: 2013-04-18\nPlats: Norrvik\n\nI: Hur gör ni?\n\nIP1: Det var så här: vi väntar.\n\n"
        "Det var så här: ingen visste.\n\nI: Okej."
    )
    turns = find_turns(text)
    assert [t.speaker_label for t in turns] == ["I", "IP1", "I"]
    assert (
        text[turns[1].start : turns[1].end]
        == "IP1: Det var så här: vi väntar.\n\nDet var så här: ingen visste."
    )


@pytest.mark.parametrize(
    ("line", "ms"),
    [
        ("[00:12:34] I: Hej.", 754_000),
        ("I: (12:34) Hej.", 754_000),
        ("00:12:34.500 I: Hej.", 754_500),
        ("I: [01:02:03] Hej.", 3_723_000),
    ],
)
def test_timestamps_before_or_after_the_label(line: str, ms: int) -> None:
    turns = find_turns(f"{line}\nIP1: Ja.")
    assert turns[0].speaker_label == "I" and turns[0].timestamp_ms == ms


def test_parse_timestamp() -> None:
    assert parse_timestamp("(1:05)") == 65_000
    assert parse_timestamp("[1:00:00,25]") == 3_600_250


def test_a_summary_paragraph_is_its_own_non_verbatim_turn() -> None:
    text = "I: Berätta.\n\nIP1: Ja.\n\n[Sammanfattning] Hon beskrev ärendet.\n\nI: Tack."
    turns = find_turns(text)
    assert [(t.speaker_label, t.verbatim) for t in turns] == [
        ("I", True),
        ("IP1", True),
        (None, False),
        ("I", True),
    ]
    assert text[turns[2].start : turns[2].end] == "[Sammanfattning] Hon beskrev ärendet."


def test_a_speaker_pattern_overrides_detection() -> None:
    pattern = re.compile(r"^(?P<label>[a-z]+)>", re.MULTILINE)
    turns = find_turns("anna> hej\nbo> hej", pattern)
    assert [t.speaker_label for t in turns] == ["anna", "bo"]


def test_roles_from_labels() -> None:
    assert infer_role("Moderator 2") == "moderator"
    assert infer_role("Intervjuare") == "interviewer"
    assert infer_role("I") == "interviewer"
    assert infer_role("Socialsekreterare A") == "participant"


def test_long_paragraphs_are_split_at_sentence_ends() -> None:
    sentence = "Det här är en mening som upprepas. "
    text = "I: " + sentence * 150
    pieces = split_segment(text, 0, len(text.rstrip()))
    assert len(pieces) > 1
    assert all(e - s <= MAX_SEGMENT for s, e in pieces)
    assert all(text[s:e].rstrip().endswith(".") for s, e in pieces[:-1])
    assert "".join(text[s:e] for s, e in pieces) == text.rstrip()


@given(st.text(alphabet="ab .\n", max_size=3000), st.integers(10, 300))
def test_segments_cover_every_paragraph_exactly(text: str, limit: int) -> None:
    for start, end in [(0, len(text))]:
        pieces = split_segment(text, start, end, limit)
        assert "".join(text[s:e] for s, e in pieces) == text[start:end]
        assert all(0 < e - s <= limit for s, e in pieces)


def test_segments_point_at_their_turns() -> None:
    text = "Datum: x\n\nI: Hej.\n\nIP1: Ja.\nMer.\n"
    turns = find_turns(text)
    found = segments(text, turns)
    assert [(text[s:e], t) for s, e, t in found] == [
        ("Datum: x", None),
        ("I: Hej.", 0),
        ("IP1: Ja.", 1),
        ("Mer.", 1),
    ]


REPORT_EXCERPT = """Tabell 1. Placeringar per län

Antal barn inskrivna i MV: 1 128
Antal barn placerade enligt LVU: 8
Antal barn inskrivna i MV: 454
Kommentar: en LVU som blev SoL räknades som två.

Handläggarna beskriver att de väntar på beslut.

Kommentar: vi hade ett fall 2013 också.

Socialsekreterare A: Vi lägger ärendet på is.

Handläggare: Det var så vi gjorde.
"""


def test_a_document_needs_stronger_evidence_for_a_speaker() -> None:
    # an interview takes a recurring label as a speaker ...
    interview = {t.speaker_label for t in find_turns(REPORT_EXCERPT)}
    assert "Antal barn inskrivna i MV" in interview
    # ... a document only a known role word (with a letter or number), however often
    # a table row or a "Kommentar:" recurs
    document = [t.speaker_label for t in find_turns(REPORT_EXCERPT, document=True)]
    assert [label for label in document if label] == ["Socialsekreterare A", "Handläggare"]


def test_a_document_keeps_a_recurring_dialogue_of_short_names() -> None:
    text = (
        "Karin: Vi väntade länge.\n\nOla: Ja, det gjorde vi.\n\nKarin: Och sedan?\n\nOla: Inget.\n"
    )
    expected = ["Karin", "Ola", "Karin", "Ola"]
    assert [t.speaker_label for t in find_turns(text, document=True)] == expected


def test_a_document_label_with_a_value_is_a_field_not_a_speaker() -> None:
    text = "Kommun: Norrvik\n\nLän: Skåne\n\nKommun: Ekbacka\n\nLän: Skåne\n"
    assert {t.speaker_label for t in find_turns(text)} == {"Kommun", "Län"}
    assert not any(t.speaker_label for t in find_turns(text, document=True))
