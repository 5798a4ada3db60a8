"""Word frequencies, keyword in context, truncation and lemma search, on both engines.
Expected counts are made here from the transcript text with a plain regex."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qualcode.domain.errors import InvalidInput
from qualcode.services import coding
from qualcode.services.importing import import_file
from qualcode.services.project import Project
from qualcode.services.retrieval import retrieve
from qualcode.services.transcripts import transcript_text
from qualcode.services.words import WordRequest, edit_stop_words, kwic, word_frequencies

TELEPHONE = """I: Hur gick det med placeringen?

IP: Placeringarna blev många. En LVU-placering och två familjehemsplaceringar. Vi fick placera barnen snabbt, och placeringen höll.

I: Och socialsekreterarna?

IP: Socialsekreteraren var ensam. Placeringar kostar.
"""


@pytest.fixture
def words_project(coded_project: Project, tmp_path: Path) -> Project:
    path = tmp_path / "telefon.txt"
    path.write_text(TELEPHONE, encoding="utf-8")
    import_file(coded_project, path, mode="telephone", title="Telefon")
    text = transcript_text(coded_project, "Telefon").text
    quote = "Placeringarna blev många. En LVU-placering och två familjehemsplaceringar."
    start = text.index(quote)
    coding.apply_code(
        coded_project,
        transcript="Telefon",
        code="COND.PLACEMENT",
        start=start,
        end=start + len(quote),
        coder="anna",
    )
    return coded_project


def spoken(project: Project, title: str) -> str:
    """The transcript's words without its speaker labels."""
    text = transcript_text(project, title).text
    return re.sub(r"(?m)^[^\n:]{1,40}:", " ", text)


def test_frequencies_over_passages_and_groups(words_project: Project) -> None:
    result = word_frequencies(
        words_project,
        WordRequest(where="COND.PLACEMENT", stop_words=False, min_count=1, limit=None),
    )
    quote = "Placeringarna blev många. En LVU-placering och två familjehemsplaceringar."
    expected: dict[str, int] = {}
    for word in re.findall(r"\w+(?:-\w+)*", quote):
        if len(word) >= 3:
            expected[word.lower()] = expected.get(word.lower(), 0) + 1
    assert dict(zip(result.rows.labels, result.row_totals, strict=True)) == expected
    assert result.columns.labels == ("COND.PLACEMENT",)

    groups = word_frequencies(
        words_project,
        WordRequest(groups=("mode:focus_group", "mode:telephone"), min_count=1, limit=None),
    )
    assert groups.columns.labels == ("mode:focus_group", "mode:telephone")
    row = dict(zip(groups.rows.labels, groups.cells, strict=True))
    focus = [w.lower() for w in re.findall(r"\w+", spoken(words_project, "Fokus"))]
    phone = [w.lower() for w in re.findall(r"\w+(?:-\w+)*", spoken(words_project, "Telefon"))]
    assert row["barnen"] == (focus.count("barnen"), phone.count("barnen"))
    # speaker labels are not words anyone said, and stop words are left out
    assert "moderator" not in row and "socialsekreterare" not in row
    assert "och" not in row and "det" not in row


def test_lemmas_and_editable_stop_words(words_project: Project) -> None:
    lemmas = word_frequencies(
        words_project,
        WordRequest(where="mode:telephone", lemmas=True, min_count=1, limit=None),
    )
    counts = dict(zip(lemmas.rows.labels, lemmas.row_totals, strict=True))
    # placeringen ×2, Placeringarna, Placeringar
    assert counts["placering"] == 4
    assert counts["socialsekreterare"] == 2
    edit_stop_words(words_project, add=["placering"], remove=["och"], coder="anna")
    again = word_frequencies(
        words_project,
        WordRequest(where="mode:telephone", lemmas=True, min_count=1, limit=None),
    )
    assert "placering" not in again.rows.labels and "och" in again.rows.labels
    with pytest.raises(InvalidInput, match="both added and removed"):
        edit_stop_words(words_project, add=["x"], remove=["x"], coder="anna")


def test_truncation_compounds_and_query_lemmas(words_project: Project) -> None:
    def found(query: str) -> set[str]:
        text = transcript_text(words_project, "Telefon").text
        passages = retrieve(words_project, query).passages
        return {text[p.start : p.end] for p in passages if p.transcript == "Telefon"}

    assert found("text:placer*") >= {"placeringen", "placera"}
    assert "Placeringarna" in found("text:placer*")
    by_lemma = found("lemma:placering")
    assert {"LVU-placering", "familjehemsplaceringar", "Placeringarna"} <= by_lemma
    assert found("lemma:placeringarna") == by_lemma
    assert found("lemma:socialsekreterare") == {
        "socialsekreterarna",
        "Socialsekreteraren",
    }
    # "ring" is no compound's last part in "placering"
    assert found("lemma:ring") == set()


def test_kwic_lines_are_aligned_on_the_keyword(words_project: Project) -> None:
    term, lines = kwic(words_project, "lemma:placering", width=12)
    text = transcript_text(words_project, "Telefon").text
    assert term == "lemma:placering"
    assert [line.keyword for line in lines if line.transcript == "Telefon"] == [
        "placeringen",
        "Placeringarna",
        "LVU-placering",
        "familjehemsplaceringar",
        "placeringen",
        "Placeringar",
    ]
    for line in lines:
        assert len(line.left) <= 12 and len(line.right) <= 12
        if line.transcript == "Telefon":
            assert text[line.start : line.end] == line.keyword
            before = re.sub(r"\s+", " ", text[max(0, line.start - 12) : line.start])
            assert line.left == before[-12:]
    _, phrase = kwic(words_project, "placera barnen", where="mode:telephone")
    assert [line.keyword for line in phrase] == ["placera barnen"]
    with pytest.raises(InvalidInput, match="lemma: takes one word"):
        kwic(words_project, "lemma:två ord")
