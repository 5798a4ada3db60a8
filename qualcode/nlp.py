"""The one place spaCy is loaded: sentence units and lemmas, offline.

A trained pipeline is used when one is installed and named in the project settings;
otherwise a blank pipeline with the rule-based sentencizer and the lookup lemmatizer
(tables from ``spacy-lookups-data``, installed with qualcode). Nothing is downloaded.
Importing this module is cheap; spaCy itself loads on first use.
"""

from __future__ import annotations

import re
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


# ---------------------------------------------------------------- words and lemmas
#
# Lemmas for search and word counts come from simplemma (its Swedish and English data
# ship inside the package: offline, and fast enough to lemmatise every distinct word
# of a corpus), not from spaCy's lookup table: on the sample transcripts simplemma
# finds the lemma of definite plurals and compounds the table leaves alone
# (socialsekreterarna, familjehemsplaceringen); docs/decisions.md has the measurement.

WORD = re.compile(r"\w+(?:[-'’]\w+)*")
# endings tried, longest first, when neither simplemma nor its dictionary knows a form
_ENDINGS = {
    "sv": ("arnas", "ernas", "ornas", "arna", "erna", "orna", "ande", "ades", "ade",
           "ens", "ets", "en", "et", "na", "ar", "er", "or", "s"),
    "en": ("ing", "ies", "es", "ed", "s"),
}  # fmt: skip


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, word)`` of each word: letters or digits, with inner hyphens and
    apostrophes kept (``LVU-placering``, ``don't``)."""
    for match in WORD.finditer(text):
        yield match.start(), match.end(), match.group()


@lru_cache(maxsize=500_000)
def lemma(word: str, language: str) -> str:
    """The lower-case lemma of ``word``; a hyphenated word keeps its first parts and
    lemmatises the last (``LVU-placeringen`` → ``lvu-placering``); a form nobody knows
    loses a known inflectional ending when what is left is a known word."""
    lowered = word.lower()
    if "-" in lowered.strip("-"):
        head, _, last = lowered.rpartition("-")
        return f"{head}-{lemma(last, language)}"
    if language not in ("sv", "en") or not lowered.isalpha():
        return lowered
    import simplemma

    found = str(simplemma.lemmatize(lowered, lang=language, greedy=True)).lower()
    if found != lowered or simplemma.is_known(lowered, lang=language):
        return found
    for ending in _ENDINGS[language]:
        stem = lowered[: -len(ending)]
        if lowered.endswith(ending) and len(stem) >= 3:
            if simplemma.is_known(stem, lang=language):
                return stem
            guess = str(simplemma.lemmatize(stem, lang=language, greedy=True)).lower()
            if guess != stem:
                return guess
    return lowered


def lemma_matches(found: str, wanted: str, language: str) -> bool:
    """Whether a word with lemma ``found`` is a form of ``wanted``: the same lemma, or
    a compound ending in it (``familjehemsplacering``, ``lvu-placering`` for
    ``placering``) whose first part is a word itself, so ``ring`` does not match
    ``placering``."""
    if found == wanted:
        return True
    if len(wanted) < 4 or not found.endswith(wanted):
        return False
    head = found[: -len(wanted)]
    if head.endswith("-"):
        return True
    if len(head) < 3 or language not in ("sv", "en"):
        return False
    import simplemma

    return bool(
        simplemma.is_known(head, lang=language)
        or (head.endswith("s") and simplemma.is_known(head[:-1], lang=language))
    )


def stop_words(language: str) -> frozenset[str]:
    """spaCy's stop-word list for ``language`` (its language data only: the module is
    a plain list, imported when first asked for)."""
    if language == "sv":
        from spacy.lang.sv.stop_words import STOP_WORDS
    elif language == "en":
        from spacy.lang.en.stop_words import STOP_WORDS
    else:
        return frozenset()
    return frozenset(word.lower() for word in STOP_WORDS)


# Names the lemmatizer behind ``word_lemmas``; the lemma index records it and is rebuilt
# when it changes, so stored lemmas always come from the tool that lemmatises queries.
LEMMATIZER = "simplemma-1"


def word_lemmas(
    texts: Iterable[str], language: str, trained: str | None = None
) -> Iterator[list[tuple[int, int, str]]]:
    """For each text, ``(start, end, lower-case lemma)`` of every word, as ``lemma``
    gives it (``trained`` is accepted for the index's callers; simplemma needs none)."""
    for text in texts:
        yield [(start, end, lemma(word, language)) for start, end, word in words(text)]
