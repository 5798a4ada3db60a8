"""Importing splits sentences without loading lemma tables; search still lemmatises."""

from __future__ import annotations

import subprocess
import sys
from itertools import pairwise
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import REPO, SHORT_FOCUS_GROUP

PROBE = """
import sys
from pathlib import Path
from qualcode.services.importing import import_file
from qualcode.services.project import init_project
from qualcode.services.transcripts import transcript_text
folder = Path(sys.argv[1])
(folder / "fokus.txt").write_text(sys.argv[2], encoding="utf-8")
with init_project(folder / "p") as project:
    import_file(project, folder / "fokus.txt", mode="focus_group", title="Fokus")
    units = transcript_text(project, "Fokus").units
print(len(units), "spacy_lookups_data" in sys.modules)
from qualcode import nlp
print(nlp.lemmas("Vi väntade", "sv"))
"""


def test_an_import_splits_sentences_without_the_lemmatizer_and_search_still_has_it(
    tmp_path: Path,
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path), SHORT_FOCUS_GROUP],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    imported, lemmatised = done.stdout.strip().splitlines()
    units, tables_loaded = imported.split()
    assert int(units) >= 8 and tables_loaded == "False"
    assert lemmatised == "['vi', 'vänta']"


def test_the_sentence_pipeline_splits_as_the_full_pipeline_does() -> None:
    from qualcode import nlp

    text = SHORT_FOCUS_GROUP
    spans = [(0, len(text))]
    full = nlp.pipeline("sv")
    expected = []
    for sentence in full(text).sents:
        start, end = sentence.start_char, sentence.end_char
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            expected.append((start, end))
    assert list(nlp.sentence_spans(text, spans, "sv")) == expected
    assert "lemmatizer" not in nlp.sentence_pipeline("sv").pipe_names


_PIECES = st.sampled_from(
    ["Hej", "barnen", "LVU-placering", "3", "vänta", ".", "!", "?", "...", "…", "。", ",",
     ")", "(", '"', "'", "-", ":", " ", " ", " ", "  ", "\n", "\n\n", "\t"]
)  # fmt: skip


@given(
    texts=st.lists(st.lists(_PIECES, max_size=40).map("".join), min_size=1, max_size=4),
    cuts=st.lists(st.integers(min_value=0, max_value=200), max_size=4),
)
def test_sentences_from_the_tokenizer_are_the_sentencizers(
    texts: list[str], cuts: list[int]
) -> None:
    """The importer's rule over the tokenizer's arrays finds exactly the sentences the
    sentencizer component finds, in any spans of any texts processed together."""
    from qualcode import nlp

    pipeline = nlp.sentence_pipeline("sv")
    items = []
    for text in texts:
        bounds = sorted({0, len(text), *(min(cut, len(text)) for cut in cuts)})
        items.append((text, list(pairwise(bounds)) or [(0, 0)]))
    expected = []
    for text, spans in items:
        found = []
        for offset, end in spans:
            piece = text[offset:end]
            for sentence in pipeline(piece).sents:
                stripped = piece[sentence.start_char : sentence.end_char].rstrip()
                if stripped:
                    start = offset + sentence.start_char
                    found.append((start, start + len(stripped)))
        expected.append(found)
    assert nlp.sentence_spans_of(items, "sv") == expected
