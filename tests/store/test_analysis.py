"""Matrices and co-occurrence over stored codings, on both engines.

Every expected number is computed here from the stored codings (``list_codings``) and
transcript texts with plain Python, not with the code under test.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pytest

from qualcode.domain.errors import InvalidInput
from qualcode.services import coding
from qualcode.services.analysis import (
    CooccurrenceRequest,
    Request,
    cell_passages,
    cooccurrence,
    matrix,
    pair_query,
    turn_passages,
)
from qualcode.services.attributes import set_attribute, set_case
from qualcode.services.importing import import_file
from qualcode.services.project import Project
from qualcode.services.retrieval import retrieve
from qualcode.services.transcripts import transcript_text

TELEPHONE = """Datum: 2013-05-07

I: Hur gör ni när familjen väntar på beslut från Migrationsverket?

IP: Vi väntar också. Man lägger det på is tills beslutet kommer. Det är inte bra för barnen.

I: Finns det rutiner?

IP: Nej, inga rutiner alls. Vi saknar riktlinjer och det blir godtyckligt.
"""

WORD = re.compile(r"\w+(?:[-'’]\w+)*")
CODES = ("ACT", "ACT.WAIT", "DISC", "DISC.STRUCT", "DISC.DIFF", "COND.KNOW")


def code(project: Project, title: str, quote: str, key: str, coder: str) -> None:
    text = transcript_text(project, title).text
    start = text.index(quote)
    coding.apply_code(
        project, transcript=title, code=key, start=start, end=start + len(quote), coder=coder
    )


@pytest.fixture
def corpus(coded_project: Project, tmp_path: Path) -> Project:
    project = coded_project
    path = tmp_path / "telefon.txt"
    path.write_text(TELEPHONE, encoding="utf-8")
    import_file(project, path, mode="telephone", title="Telefon")
    # overlapping spans of one code by two coders: one passage, two codings
    code(project, "Fokus", "Vi lägger ärendet på is. Det är så vi gör, tyvärr.", "ACT.WAIT", "anna")
    code(project, "Fokus", "Det är så vi gör, tyvärr. Man vet ju inte", "ACT.WAIT", "bertil")
    code(project, "Fokus", "Man vet ju inte om de får stanna.", "DISC.STRUCT", "anna")
    code(project, "Fokus", "Barnen får vänta längre än andra barn.", "DISC.DIFF", "bertil")
    # a coding across two turns (moderator and participant)
    code(
        project,
        "Fokus",
        "Och Migrationsverket?\n\nSocialsekreterare A: De lyssnar inte",
        "DISC.STRUCT",
        "anna",
    )
    code(project, "Telefon", "Man lägger det på is tills beslutet kommer.", "ACT.WAIT", "anna")
    code(project, "Telefon", "Det är inte bra för barnen.", "DISC.DIFF", "anna")
    code(project, "Telefon", "inga rutiner alls. Vi saknar riktlinjer", "COND.KNOW", "bertil")
    set_case(project, "Fokus", "Norrvik", coder="setup")
    set_case(project, "Telefon", "Albyholm", coder="setup")
    set_attribute(project, "county", "Skåne", case="Norrvik", coder="setup")
    set_attribute(project, "county", "Stockholm", case="Albyholm", coder="setup")
    return project


# ------------------------------------------------------------ independent counting


def merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def under(key: str, row: str) -> bool:
    return key == row or key.startswith(row + ".")


class Truth:
    """Counts computed straight from the stored codings and texts."""

    def __init__(self, project: Project, coders: tuple[str, ...] = ("anna", "bertil")) -> None:
        self.codings = [c for c in coding.list_codings(project) if c.coder in coders]
        self.texts = {t: transcript_text(project, t) for t in ("Fokus", "Telefon")}
        self.mode = {t: r.transcript.mode for t, r in self.texts.items()}

    def spans(self, row: str, keep=lambda c: True) -> dict[str, list[tuple[int, int]]]:
        found: dict[str, list[tuple[int, int]]] = {}
        for c in self.codings:
            if under(c.code_key, row) and keep(c):
                found.setdefault(c.transcript_title, []).append((c.start, c.end))
        return found

    def words(self, title: str, spans: Iterable[tuple[int, int]]) -> int:
        text = self.texts[title].text
        return sum(1 for m in WORD.finditer(text) for s, e in spans if s <= m.start() < e)

    def by_mode(self, row: str, mode: str, measure: str) -> float:
        keep = lambda c: self.mode[c.transcript_title] == mode  # noqa: E731
        spans = self.spans(row, keep)
        stretches = {t: merged(s) for t, s in spans.items()}
        if measure == "codings":
            return sum(1 for c in self.codings if under(c.code_key, row) and keep(c))
        if measure == "passages":
            return sum(len(s) for s in stretches.values())
        if measure == "transcripts":
            return len(stretches)
        if measure == "characters":
            return sum(e - s for st in stretches.values() for s, e in st)
        words = sum(self.words(t, st) for t, st in stretches.items())
        if measure == "words":
            return words
        total = sum(
            len(WORD.findall(r.text)) for t, r in self.texts.items() if self.mode[t] == mode
        )
        return words / total


@pytest.mark.parametrize(
    "measure", ["codings", "passages", "transcripts", "characters", "words", "share"]
)
def test_every_measure_by_mode_matches_the_stored_codings(corpus: Project, measure: str) -> None:
    result = matrix(corpus, Request("codes", "modes", measure, codes=CODES))
    truth = Truth(corpus)
    assert result.rows.labels == CODES
    assert result.columns.labels == ("focus_group", "telephone")
    for i, row in enumerate(CODES):
        for j, mode in enumerate(result.columns.labels):
            assert result.cells[i][j] == pytest.approx(truth.by_mode(row, mode, measure)), (
                row,
                mode,
            )
    assert result.coders == ("anna", "bertil") and result.pooled
    assert "anna, bertil, pooled" in result.header


def test_groups_roll_up_and_overlaps_count_once(corpus: Project) -> None:
    codings = matrix(corpus, Request("codes", "transcripts", "codings", codes=("ACT", "ACT.WAIT")))
    passages = matrix(
        corpus, Request("codes", "transcripts", "passages", codes=("ACT", "ACT.WAIT"))
    )
    fokus = codings.columns.labels.index("Fokus")
    # anna's and bertil's overlapping on-hold codings: two codings, one passage
    assert codings.cells[1][fokus] == 2 and passages.cells[1][fokus] == 1
    # the group ACT holds ACT.WAIT's codings
    assert codings.cells[0] == codings.cells[1]
    # totals count each coding and passage once, not once per row
    assert codings.column_totals[fokus] == 2 and codings.total == 3
    assert passages.total == 2


def test_roles_split_a_coding_across_turns(corpus: Project) -> None:
    result = matrix(corpus, Request("codes", "roles", "characters", codes=("DISC.STRUCT",)))
    text = transcript_text(corpus, "Fokus")
    across = "Och Migrationsverket?\n\nSocialsekreterare A: De lyssnar inte"
    start = text.text.index(across)
    end = start + len(across)
    expected: dict[str, int] = {}
    anna_struct = [
        (c.start, c.end)
        for c in coding.list_codings(corpus)
        if c.code_key == "DISC.STRUCT" and c.transcript_title == "Fokus"
    ]
    for turn in text.turns:
        inside = merged(
            (max(s, turn.start), min(e, turn.end))
            for s, e in anna_struct
            if s < turn.end and turn.start < e
        )
        if turn.speaker_role:
            expected[turn.speaker_role] = expected.get(turn.speaker_role, 0) + sum(
                e - s for s, e in inside
            )
    assert start < end
    cells = dict(zip(result.columns.labels, result.cells[0], strict=True))
    assert cells == {role: expected.get(role, 0) for role in result.columns.labels}
    assert cells["moderator"] > 0 and cells["participant"] > 0


def test_attribute_through_the_case_and_cases(corpus: Project) -> None:
    result = matrix(corpus, Request("codes", "attribute:county", "passages", codes=CODES))
    truth = Truth(corpus)
    assert result.columns.labels == ("Skåne", "Stockholm")
    for i, row in enumerate(CODES):
        assert result.cells[i][0] == truth.by_mode(row, "focus_group", "passages")
        assert result.cells[i][1] == truth.by_mode(row, "telephone", "passages")
    cases = matrix(corpus, Request("codes", "modes", "cases", codes=("DISC",)))
    assert cases.cells[0] == (1, 1) and cases.row_totals[0] == 2


def test_coder_and_consensus_choose_whose_codings(corpus: Project) -> None:
    anna = matrix(corpus, Request("codes", "modes", "codings", codes=CODES, coders=("anna",)))
    truth = Truth(corpus, ("anna",))
    assert anna.coders == ("anna",) and not anna.pooled
    assert "codings of anna" in anna.header and "pooled" not in anna.header
    for i, row in enumerate(CODES):
        assert anna.cells[i][0] == truth.by_mode(row, "focus_group", "codings")
    assert "coder:anna" in (anna.cell_query(0, 0) or "")
    with pytest.raises(InvalidInput, match="no consensus layer"):
        matrix(corpus, Request("codes", "modes", consensus=True))
    with pytest.raises(InvalidInput, match="'carl' has no codings; the coders are: anna, bertil"):
        matrix(corpus, Request("codes", "modes", coders=("carl",)))


def test_where_and_drill_down_reproduce_every_cell(corpus: Project) -> None:
    for where in ("role:participant", "text:barnen", None):
        result = matrix(corpus, Request("codes", "modes", "passages", codes=CODES, where=where))
        for i in range(len(CODES)):
            for j in range(len(result.columns.labels)):
                query = result.cell_query(i, j)
                assert query is not None
                found = cell_passages(corpus, query)
                assert len(found.passages) == result.cells[i][j], query
    participant = matrix(
        corpus, Request("codes", "roles", "passages", codes=("ACT",), where="role:participant")
    )
    assert (
        dict(zip(participant.columns.labels, participant.cells[0], strict=True))["moderator"] == 0
    )


def test_bad_requests_name_the_choices(corpus: Project) -> None:
    with pytest.raises(InvalidInput, match="unknown dimension 'colours'; use one of codes"):
        matrix(corpus, Request("codes", "colours"))
    with pytest.raises(InvalidInput, match="no code 'NOPE' in the codebook; the codes are"):
        matrix(corpus, Request("codes", "modes", codes=("NOPE",)))
    with pytest.raises(
        InvalidInput, match="no attribute named 'region'; the attributes are: county"
    ):
        matrix(corpus, Request("codes", "attribute:region"))
    with pytest.raises(InvalidInput, match="only 0 or 1"):
        matrix(corpus, Request("codes", "transcripts", "transcripts"))
    with pytest.raises(InvalidInput, match="cooccurrence"):
        matrix(corpus, Request("codes", "codes"))
    empty = matrix(corpus, Request("codes", "modes", where="text:finnsinte", codes=CODES))
    assert empty.rows.labels == CODES and empty.empty and "Nothing matches" in empty.note


# ------------------------------------------------------------ co-occurrence


def test_cooccurrence_by_overlap_sentence_and_turn(corpus: Project) -> None:
    codes = ("ACT.WAIT", "DISC.STRUCT", "DISC.DIFF", "COND.KNOW")
    truth = Truth(corpus)
    overlap = cooccurrence(corpus, CooccurrenceRequest("overlap", codes=codes))
    own = [sum(len(merged(s)) for s in truth.spans(k).values()) for k in codes]
    assert [overlap.cells[i][i] for i in range(4)] == own
    # on-hold overlaps the structural mechanism once in Fokus, nothing else overlaps
    expected_overlaps = {(0, 1): 1}
    for i in range(4):
        for j in range(4):
            if i != j:
                want = expected_overlaps.get((min(i, j), max(i, j)), 0)
                assert overlap.cells[i][j] == want, (codes[i], codes[j])
    for mode in ("overlap", "sentence", "near"):
        result = cooccurrence(corpus, CooccurrenceRequest(mode, within=1, codes=codes))
        for i in range(4):
            for j in range(4):
                query = pair_query(result, i, j, mode, 1)
                assert query is not None
                assert len(retrieve(corpus, query).passages) == result.cells[i][j], query
    turn = cooccurrence(corpus, CooccurrenceRequest("turn", codes=codes))
    fokus = transcript_text(corpus, "Fokus")
    telefon = transcript_text(corpus, "Telefon")
    expected = 0
    for title, text in (("Fokus", fokus), ("Telefon", telefon)):
        for t in text.turns:
            keys = {
                c.code_key
                for c in truth.codings
                if c.transcript_title == title and c.start < t.end and t.start < c.end
            }
            expected += {"ACT.WAIT", "DISC.DIFF"} <= keys
    assert turn.cells[0][2] == expected == 1
    assert len(turn_passages(corpus, CooccurrenceRequest("turn", codes=codes), 0, 2).passages) == 1
    jaccard = cooccurrence(corpus, CooccurrenceRequest("overlap", jaccard=True, codes=codes))
    assert jaccard.cells[0][1] == pytest.approx(1 / (own[0] + own[1] - 1))
    assert jaccard.cells[0][0] == own[0]


def test_text_values_differing_in_case_are_one_column(corpus: Project) -> None:
    set_attribute(corpus, "region", "Syd", transcript="Fokus", coder="setup")
    set_attribute(corpus, "region", "syd", transcript="Telefon", coder="setup")
    result = matrix(corpus, Request("codes", "attribute:region", "passages", codes=("ACT",)))
    assert result.columns.labels == ("Syd",)
    query = result.cell_query(0, 0)
    assert query == "ACT AND attr:region=Syd"
    assert len(cell_passages(corpus, query).passages) == result.cells[0][0] == 2


def test_a_speakers_case_comes_before_the_transcripts_cases(corpus: Project) -> None:
    """Socialsekreterare B of the Norrvik focus group works in Ekbacka (Stockholm): her
    turn counts under Stockholm; the rest of the focus group stays under Skåne, and a
    transcript in two cases counts under both."""
    from qualcode.services.cases import link_speaker, link_transcript

    link_speaker(corpus, "Fokus", "Socialsekreterare B", "Ekbacka", coder="setup")
    set_attribute(corpus, "county", "Stockholm", case="Ekbacka", coder="setup")
    result = matrix(corpus, Request("codes", "attribute:county", "codings", codes=("DISC.DIFF",)))
    by_county = dict(zip(result.columns.labels, result.cells[0], strict=True))
    # DISC.DIFF: B's sentence in Fokus, and one in Telefon (Albyholm, Stockholm)
    assert by_county == {"Skåne": 0, "Stockholm": 2}
    cases = matrix(corpus, Request("codes", "cases", "codings", codes=("DISC.DIFF",)))
    by_case = dict(zip(cases.columns.labels, cases.cells[0], strict=True))
    assert by_case == {"Albyholm": 1, "Ekbacka": 1, "Norrvik": 0}

    link_transcript(corpus, "Telefon", ["Norrvik"], coder="setup")
    both = matrix(corpus, Request("codes", "cases", "codings", codes=("DISC.DIFF",)))
    assert dict(zip(both.columns.labels, both.cells[0], strict=True)) == {
        "Albyholm": 1,
        "Ekbacka": 1,
        "Norrvik": 1,
    }
