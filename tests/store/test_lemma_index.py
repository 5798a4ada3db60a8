"""The lemma index: built when a lemma: query first needs it, kept, and rebuilt for a
revised text; queries read it instead of lemmatising every transcript."""

from __future__ import annotations

from pathlib import Path

from qualcode import nlp
from qualcode.services.coding import apply_code
from qualcode.services.importing import import_file, revise_transcript
from qualcode.services.lemmas import ensure_lemma_index, lemma_spans
from qualcode.services.project import Project
from qualcode.services.retrieval import retrieve
from qualcode.services.transcripts import transcript_text
from tests.conftest import SHORT_FOCUS_GROUP


def _expected(project: Project, lemma: str) -> list[tuple[int, int]]:
    text = transcript_text(project, "Fokus").text
    (words,) = nlp.word_lemmas([text], "sv")
    return [(start, end) for start, end, found in words if found == lemma]


def test_a_lemma_query_builds_the_index_once_and_reads_it(coded_project: Project) -> None:
    found = retrieve(coded_project, "lemma:vänta")
    expected = _expected(coded_project, "vänta")
    assert expected and [(p.start, p.end) for p in found.passages] == expected
    assert ensure_lemma_index(coded_project) == 0  # already built by the query
    (tid,) = {p.transcript_id for p in found.passages}
    assert lemma_spans(coded_project, ["VÄNTA"]) == {"vänta": {tid: expected}}
    assert lemma_spans(coded_project, ["finnsinte"]) == {"finnsinte": {}}


def test_a_revised_transcript_is_indexed_again(coded_project: Project, tmp_path: Path) -> None:
    assert ensure_lemma_index(coded_project) == 1
    revised = tmp_path / "fokus-v2.txt"
    revised.write_text(
        SHORT_FOCUS_GROUP.replace("Barnen får vänta", "Barnen får alltid vänta"), encoding="utf-8"
    )
    revise_transcript(coded_project, "Fokus", revised)
    found = retrieve(coded_project, "lemma:vänta")
    expected = _expected(coded_project, "vänta")
    assert [(p.start, p.end) for p in found.passages] == expected
    assert ensure_lemma_index(coded_project) == 0


def test_only_a_required_lemma_narrows_the_transcripts_searched(
    coded_project: Project, tmp_path: Path
) -> None:
    other = tmp_path / "annan.txt"
    other.write_text("Moderator 1: Något helt annat.\n\nDeltagare A: Ja, precis.\n", "utf-8")
    import_file(coded_project, other, mode="focus_group", title="Annan")
    apply_code(coded_project, transcript="Annan", code="CTX", start=0, end=11, coder="anna")
    assert {p.transcript for p in retrieve(coded_project, "lemma:vänta").passages} == {"Fokus"}
    assert {p.transcript for p in retrieve(coded_project, "lemma:vänta AND CTX").passages} == set()
    either = retrieve(coded_project, "lemma:vänta OR CTX").passages
    assert {p.transcript for p in either} == {"Fokus", "Annan"}
