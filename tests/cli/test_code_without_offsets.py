"""``qualcode code`` by sentence, turn or quote instead of offsets (issue 13, item 9)."""

from __future__ import annotations

import json

from tests.cli.test_cli import qc, ready
from tests.conftest import ProjectPlace

__all__ = ["ready"]  # the fixture, used by name


def coded(place: ProjectPlace) -> list[tuple[str, str]]:
    return [(c["code"], c["quote"]) for c in json.loads(qc(place, "codings", "--json"))]


def test_sentence_and_turn_are_numbered_from_one_without_the_speaker_label(
    ready: ProjectPlace,
) -> None:
    listing = qc(ready, "show", "Fokus", "--sentences")
    assert "4   117    141  Vi lägger ärendet på is." in listing
    qc(ready, "code", "Fokus", "ACT.WAIT", "--sentence", "4")
    turns = qc(ready, "show", "Fokus", "--turns")
    assert "3  224    287  Socialsekreterare B  Hos oss är det likadant." in turns
    qc(ready, "code", "Fokus", "DISC.DIFF", "--turn", "3")
    assert coded(ready) == [
        ("ACT.WAIT", "Vi lägger ärendet på is."),
        ("DISC.DIFF", "Hos oss är det likadant. Barnen får vänta längre än andra barn."),
    ]


def test_a_quote_is_found_across_spacing_and_only_as_whole_words(ready: ProjectPlace) -> None:
    made = json.loads(
        qc(ready, "code", "Fokus", "ACT.WAIT", "--quote", "lägger  ärendet\npå is", "--json")
    )
    assert (made["quote"], made["start"]) == ("lägger ärendet på is", 120)
    # "vänta" occurs inside "väntar" once and on its own once: only the word counts
    qc(ready, "code", "Fokus", "DISC.DIFF", "--quote", "vänta")
    assert coded(ready)[-1] == ("DISC.DIFF", "vänta")


def test_an_ambiguous_quote_needs_an_occurrence(ready: ProjectPlace) -> None:
    error = qc(ready, "code", "Fokus", "ACT.WAIT", "--quote", "det", code=1)
    assert "'det' occurs 2 times in 'Fokus'; choose one with --occurrence 1 to 2" in error
    made = json.loads(
        qc(ready, "code", "Fokus", "ACT.WAIT", "--quote", "det", "--occurrence", "2", "--json")
    )
    assert made["start"] == 224 + len("Hos oss är ")
    assert "no occurrence 3" in qc(
        ready, "code", "Fokus", "ACT.WAIT", "--quote", "det", "--occurrence", "3", code=1
    )
    assert qc(ready, "codings", "--json").strip() != "[]"


def test_bad_choices_are_refused_and_nothing_is_coded(ready: ProjectPlace) -> None:
    assert "no turn 9" in qc(ready, "code", "Fokus", "ACT.WAIT", "--turn", "9", code=1)
    assert "has 11 sentences" in qc(ready, "code", "Fokus", "ACT.WAIT", "--sentence", "0", code=1)
    assert "does not occur" in qc(
        ready, "code", "Fokus", "ACT.WAIT", "--quote", "Stockholm", code=1
    )
    assert "choose one of" in qc(
        ready, "code", "Fokus", "ACT.WAIT", "--turn", "1", "--sentence", "1", code=2
    )
    assert "say what to code" in qc(ready, "code", "Fokus", "ACT.WAIT", code=2)
    assert "--occurrence goes with --quote" in qc(
        ready, "code", "Fokus", "ACT.WAIT", "--turn", "1", "--occurrence", "1", code=2
    )
    assert json.loads(qc(ready, "codings", "--json")) == []
