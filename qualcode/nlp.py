"""The one place spaCy is loaded: sentence units and lemmas, offline.

A trained pipeline is used when one is installed and named in the project settings;
otherwise a blank pipeline with the rule-based sentencizer and the lookup lemmatizer
(tables from ``spacy-lookups-data``, installed with qualcode). Nothing is downloaded.
Importing this module is cheap; spaCy itself loads on first use.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from qualcode.domain.errors import InvalidInput

SUPPORTED = ("sv", "en")


def pipeline(language: str, trained: str | None = None) -> Any:
    """A spaCy ``Language`` for ``language``; built once per process."""
    # one cache key however the arguments are passed, so spaCy loads once
    return _pipeline(language, trained)


@lru_cache(maxsize=4)
def _pipeline(language: str, trained: str | None) -> Any:
    import spacy

    if trained:
        try:
            return spacy.load(trained, exclude=["ner", "parser"] if language else [])
        except OSError as exc:
            raise InvalidInput(
                f"the spaCy pipeline {trained!r} named in the settings is not installed"
            ) from exc
    if language not in SUPPORTED:
        raise InvalidInput(
            f"no language support for {language!r}; use one of {', '.join(SUPPORTED)}"
        )
    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    try:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    except (ValueError, OSError, KeyError):
        # lookup tables missing for this language: sentences still work, lemmas = text
        nlp.remove_pipe("lemmatizer")
    nlp.max_length = 20_000_000
    return nlp


def sentence_pipeline(language: str, trained: str | None = None) -> Any:
    """A pipeline that only splits sentences: no lemmatizer, so none of its lookup
    tables (seconds to load and most of a process's memory). A trained pipeline is
    used as it is; built once per process and shared by every import."""
    return _pipeline(language, trained) if trained else _sentencizer(language)


@lru_cache(maxsize=4)
def _sentencizer(language: str) -> Any:
    import spacy

    if language not in SUPPORTED:
        raise InvalidInput(
            f"no language support for {language!r}; use one of {', '.join(SUPPORTED)}"
        )
    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    nlp.max_length = 20_000_000
    return nlp


def sentence_spans(
    text: str, spans: list[tuple[int, int]], language: str, trained: str | None = None
) -> Iterator[tuple[int, int]]:
    """Sentence ``(start, end)`` offsets within each of ``spans`` of ``text``.

    Each span (a paragraph segment) is processed on its own so sentences never cross
    a speaker turn; offsets are mapped back to the whole text.
    """
    nlp = sentence_pipeline(language, trained)
    pieces = [text[start:end] for start, end in spans]
    # a trained pipeline may lemmatise: sentences need no lemmas
    disabled = [name for name in ("lemmatizer",) if name in nlp.pipe_names]
    docs = nlp.pipe(pieces, batch_size=256, disable=disabled)
    for (offset, _), piece, doc in zip(spans, pieces, docs, strict=True):
        for sentence in doc.sents:
            start, end = sentence.start_char, sentence.end_char
            while end > start and piece[end - 1].isspace():
                end -= 1
            if end > start:
                yield offset + start, offset + end


def lemmas(text: str, language: str, trained: str | None = None) -> list[str]:
    """Lower-case lemmas of the words in ``text`` (for search)."""
    doc = pipeline(language, trained)(text)
    return [(t.lemma_ or t.text).lower() for t in doc if not t.is_space and not t.is_punct]


# Names the lemmatizer behind ``word_lemmas``; the lemma index records it and is rebuilt
# when it changes, so stored lemmas always come from the tool that lemmatises queries.
LEMMATIZER = "spacy-lookup-1"


def word_lemmas(
    texts: Iterable[str], language: str, trained: str | None = None
) -> Iterator[list[tuple[int, int, str]]]:
    """For each text, ``(start, end, lower-case lemma)`` of every word (no spaces or
    punctuation), the texts batched through one pipeline."""
    nlp = pipeline(language, trained)
    for doc in nlp.pipe(texts, batch_size=16):
        yield [
            (t.idx, t.idx + len(t.text), (t.lemma_ or t.text).lower())
            for t in doc
            if not t.is_space and not t.is_punct
        ]
