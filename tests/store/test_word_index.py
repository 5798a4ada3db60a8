"""The word index: stored at import, revision and REFI-QDA import, built by migration
0007 for an older project, and read by ``lemma:`` search, word counts and KWIC; every
result is checked against a fresh lemmatisation of the text."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from unittest.mock import patch

import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from qualcode import nlp
from qualcode.domain import query as q
from qualcode.domain import word_index
from qualcode.domain.word_index import (
    forms_of,
    index_text,
    positions_in,
    positions_of,
    span_at,
    unpack_spans,
)
from qualcode.services.coding import apply_code
from qualcode.services.exchange import export_qdpx, import_qdpx
from qualcode.services.importing import import_file, revise_transcript
from qualcode.services.lemmas import ensure_lemma_index, ensure_word_index, lemma_spans
from qualcode.services.project import Project, open_project
from qualcode.services.retrieval import retrieve
from qualcode.services.transcripts import transcript_text
from qualcode.services.words import WordRequest, _count, _pieces, kwic, word_frequencies
from qualcode.store.engine import make_engine
from qualcode.store.migrate import upgrade
from tests.cli.test_cli import qc
from tests.conftest import SHORT_FOCUS_GROUP, ProjectPlace


def fresh(project: Project, title: str, asked: str) -> list[tuple[int, int]]:
    """The words of ``asked``'s forms, lemmatising the current text again."""
    text = transcript_text(project, title).text
    wanted = {asked, nlp.lemma(asked, "sv")}
    return [
        (start, end)
        for start, end, word in nlp.words(text)
        if any(nlp.lemma_matches(nlp.lemma(word, "sv"), w, "sv") for w in wanted)
    ]


def spans_of(project: Project, query: str) -> list[tuple[int, int]]:
    return [(p.start, p.end) for p in retrieve(project, query).passages]


def index_rows(project: Project) -> list[tuple[int, str]]:
    with project.database.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT version_id, lemmatizer FROM word_index"))
        return sorted((vid, tool) for vid, tool in rows)


def test_an_import_stores_the_index_and_a_lemma_query_reads_it(coded_project: Project) -> None:
    # the forms are stored at import; their lemmas when a query first needs them
    assert [tool for _, tool in index_rows(coded_project)] == [None]
    assert ensure_word_index(coded_project) == 0
    assert spans_of(coded_project, "lemma:vänta") == fresh(coded_project, "Fokus", "vänta")
    assert [tool for _, tool in index_rows(coded_project)] == [nlp.LEMMATIZER]
    assert ensure_lemma_index(coded_project) == 0  # nothing left to build
    for asked in ("vänta", "väntar", "barn", "beslut", "lyssna"):
        expected = fresh(coded_project, "Fokus", asked)
        assert expected and spans_of(coded_project, f"lemma:{asked}") == expected
    (tid,) = {p.transcript_id for p in retrieve(coded_project, "lemma:vänta").passages}
    text = transcript_text(coded_project, "Fokus").text
    exact = [(s, e) for s, e, w in nlp.words(text) if nlp.lemma(w, "sv") == "vänta"]
    assert lemma_spans(coded_project, ["VÄNTA"]) == {"vänta": {tid: exact}}
    assert lemma_spans(coded_project, ["finnsinte"]) == {"finnsinte": {}}
    assert spans_of(coded_project, "lemma:finnsinte") == []


def test_a_revision_is_indexed_when_it_is_stored(coded_project: Project, tmp_path: Path) -> None:
    revised = tmp_path / "fokus-v2.txt"
    revised.write_text(
        SHORT_FOCUS_GROUP.replace("Barnen får vänta", "Barnen får alltid vänta på besluten"),
        encoding="utf-8",
    )
    revise_transcript(coded_project, "Fokus", revised)
    assert len(index_rows(coded_project)) == 2  # the old version's row stays with it
    assert ensure_word_index(coded_project) == 0
    for asked in ("vänta", "beslut"):
        assert spans_of(coded_project, f"lemma:{asked}") == fresh(coded_project, "Fokus", asked)


def test_another_lemmatizer_indexes_again(coded_project: Project) -> None:
    assert ensure_lemma_index(coded_project) == 1
    with coded_project.database.engine.begin() as connection:
        connection.execute(sa.text("UPDATE word_index SET lemmatizer = 'old'"))
        connection.execute(sa.text("UPDATE word_lemmas SET lemmatizer = 'old', lemma = 'x'"))
    # a query never reads lemmas of another tool: they are found again first
    assert spans_of(coded_project, "lemma:vänta") == fresh(coded_project, "Fokus", "vänta")
    assert [tool for _, tool in index_rows(coded_project)] == [nlp.LEMMATIZER]
    assert ensure_lemma_index(coded_project) == 0
    with coded_project.database.engine.connect() as connection:
        tools = connection.execute(sa.text("SELECT DISTINCT lemmatizer FROM word_lemmas"))
        assert [tool for (tool,) in tools] == [nlp.LEMMATIZER]


def test_a_missing_index_is_built_when_first_needed(coded_project: Project) -> None:
    with coded_project.database.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM word_index"))
    lines = kwic(coded_project, "lemma:barn")[1]
    assert [(line.start, line.end) for line in lines] == fresh(coded_project, "Fokus", "barn")
    assert ensure_lemma_index(coded_project) == 0
    assert index_rows(coded_project)[0][1] == nlp.LEMMATIZER


def test_a_qdpx_import_stores_the_index(coded_project: Project, tmp_path: Path) -> None:
    out = tmp_path / "out.qdpx"
    export_qdpx(coded_project, out)
    with ProjectPlace(tmp_path / "other", None).init(language="sv") as other:
        import_qdpx(other, out, coder="anna")
        assert len(index_rows(other)) == 1
        assert spans_of(other, "lemma:vänta") == fresh(other, "Fokus", "vänta")


def test_word_counts_from_the_index_equal_counts_of_the_text(
    coded_project: Project, tmp_path: Path
) -> None:
    text = transcript_text(coded_project, "Fokus").text
    # codings that cut words in the middle and run over speaker labels
    cut = text.index("ärendet") + 3
    apply_code(coded_project, transcript="Fokus", code="BIC", start=cut, end=cut + 60, coder="a")
    label = text.index("Socialsekreterare B")
    apply_code(
        coded_project, transcript="Fokus", code="BIC", start=label, end=label + 50, coder="a"
    )
    other = tmp_path / "annan.txt"
    other.write_text("Moderator 1: Barnen väntar.\n\nDeltagare A: Barnen väntade länge.\n", "utf-8")
    import_file(coded_project, other, mode="focus_group", title="Annan")
    for where in (None, "BIC", "lemma:barn", "NOT BIC"):
        for lemmas in (False, True):
            for stop in (True, False):
                request = WordRequest(where=where, lemmas=lemmas, stop_words=stop, min_count=1)
                result = word_frequencies(coded_project, request)
                got = dict(zip(result.rows.labels, result.row_totals, strict=True))
                parsed = q.parse(where) if where else None
                stop_words = nlp.stop_words("sv") if stop else frozenset()
                counted = _count(_pieces(coded_project, parsed), lemmas, stop_words)
                expected = Counter(
                    {
                        w: n
                        for w, n in counted.items()
                        if n >= 1 and len(w) >= 3 and w not in stop_words and not w.isdigit()
                    }
                )
                top = sorted(expected.items(), key=lambda item: (-item[1], item[0]))[:50]
                assert got == dict(top), (where, lemmas, stop)
                assert result.total == sum(counted.values())


def test_the_migration_builds_the_index_of_an_older_project(place: ProjectPlace) -> None:
    url = place.db_url or f"sqlite+pysqlite:///{place.directory / 'qualcode.db'}"
    place.directory.mkdir()
    engine = make_engine(url)
    upgrade(engine, "0006")
    text = SHORT_FOCUS_GROUP
    with engine.begin() as connection:
        for statement, values in (
            (
                "INSERT INTO project (id, uuid, name, language, settings, created_at) "
                "VALUES (1, 'p', 'old', 'sv', '{}', CURRENT_TIMESTAMP)",
                {},
            ),
            (
                "INSERT INTO transcripts (id, uuid, title, mode, language, version, created_at) "
                "VALUES (1, 't', 'Fokus', 'focus_group', 'sv', 2, CURRENT_TIMESTAMP)",
                {},
            ),
            (
                "INSERT INTO text_versions (id, uuid, transcript_id, version, text, sha256, "
                "length, word_count, transformations, created_at) VALUES (:id, :uuid, 1, :v, "
                ":text, 'x', :length, 1, '{}', CURRENT_TIMESTAMP)",
                {"id": 1, "uuid": "v1", "v": 1, "text": "Gammal text.", "length": 12},
            ),
            (
                "INSERT INTO text_versions (id, uuid, transcript_id, version, text, sha256, "
                "length, word_count, transformations, created_at) VALUES (:id, :uuid, 1, :v, "
                ":text, 'x', :length, 1, '{}', CURRENT_TIMESTAMP)",
                {"id": 2, "uuid": "v2", "v": 2, "text": text, "length": len(text)},
            ),
            # the row-per-word index of 0005, which 0007 replaces
            (
                "INSERT INTO lemma_indexed (version_id, lemmatizer) VALUES (2, 'simplemma-1')",
                {},
            ),
        ):
            connection.execute(sa.text(statement), values)
    engine.dispose()
    with open_project(place.directory, place.db_url) as project:
        # only the current version is indexed by the migration; lemmas come later
        assert index_rows(project) == [(2, None)]
        assert ensure_word_index(project) == 0
        assert spans_of(project, "lemma:vänta") == fresh(project, "Fokus", "vänta")
        assert index_rows(project) == [(2, nlp.LEMMATIZER)]
        tables = sa.inspect(project.database.engine).get_table_names()
        assert "lemmas" not in tables and "lemma_indexed" not in tables


WORDISH = st.text(alphabet=st.sampled_from("abcåäöXYZ-'’ .,:\n1É_İ"), min_size=0, max_size=80)


@given(WORDISH)
def test_the_index_holds_the_words_of_the_text(text: str) -> None:
    forms, packed = index_text(text)
    with patch.object(word_index, "CHUNK", 3):  # a long text is split a chunk at a time
        assert index_text(text) == (forms, packed)
    words = list(nlp.words(text))
    assert unpack_spans(packed) == [(s, e) for s, e, _ in words]
    assert forms_of(forms) == [w.lower() for _, _, w in words]
    for position, (start, end, _) in enumerate(words):
        assert span_at(packed, position) == (start, end)
    for form in set(forms_of(forms)):
        assert [forms_of(forms)[p] for p in positions_of(forms, form)] == [
            f for f in forms_of(forms) if f == form
        ]
    every = forms_of(forms)
    for size in (1, 3, 20):  # searched for, or (more than FEW_FORMS) split
        wanted = set(every[:size]) | {"x-y", "abc"}
        assert positions_in(forms, wanted) == [p for p, f in enumerate(every) if f in wanted]


def test_a_folder_imported_by_the_cli_is_searched_through_its_index(
    place: ProjectPlace, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(SHORT_FOCUS_GROUP, encoding="utf-8")
    (folder / "b.txt").write_text(
        "Moderator 1: Väntade barnen?\n\nDeltagare A: Barnen väntar alltid.\n", "utf-8"
    )
    qc(place, "init", str(place.directory), "--lang", "sv")
    qc(place, "import", str(folder), "--mode", "focus_group")
    with open_project(place.directory, place.db_url) as project:
        assert [tool for _, tool in index_rows(project)] == [None, None]
        expected = {title: fresh(project, title, "vänta") for title in ("a", "b")}
    lines = json.loads(qc(place, "kwic", "lemma:vänta", "--json"))["lines"]
    assert {
        title: [(line["start"], line["end"]) for line in lines if line["transcript"] == title]
        for title in ("a", "b")
    } == expected
    counted = json.loads(qc(place, "words", "--lemmas", "--min-count", "1", "--json"))
    assert counted["rows"][:2] == ["barn", "vänta"]  # four times each, labels left out
    assert [row[0] for row in counted["cells"][:2]] == [4, 4]
