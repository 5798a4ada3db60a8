"""The one place spaCy is loaded: sentence units and lemmas, offline.

A trained pipeline is used when one is installed and named in the project settings;
otherwise a blank pipeline with the rule-based sentencizer and the lookup lemmatizer
(tables from ``spacy-lookups-data``, installed with qualcode). Nothing is downloaded.
Importing this module is cheap; spaCy itself loads on first use.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from qualcode.domain.errors import InvalidInput
from qualcode.domain.word_index import WORD

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
    (found,) = sentence_spans_of([(text, spans)], language, trained)
    yield from found


def sentence_spans_of(
    texts: Sequence[tuple[str, Sequence[tuple[int, int]]]],
    language: str,
    trained: str | None = None,
) -> list[list[tuple[int, int]]]:
    """``sentence_spans`` of many ``(text, spans)`` at once (a folder's files).

    Without a trained pipeline only spaCy's tokenizer runs, and the sentencizer's rule
    is applied to the tokens' arrays of every piece together (``_rule_sentences``):
    the same sentences as the sentencizer component, without the Python object it
    builds for every token (measured: about half of its time).
    """
    pieces = [text[start:end] for text, spans in texts for start, end in spans]
    owners = [(number, start) for number, (_, spans) in enumerate(texts) for start, _ in spans]
    found: list[list[tuple[int, int]]] = [[] for _ in texts]
    if trained:
        sentences = _pipeline_sentences(sentence_pipeline(language, trained), pieces)
    else:
        sentences = _rule_sentences_in_slices(_sentencizer(language), pieces)
    for index, start, end in sentences:
        number, offset = owners[index]
        found[number].append((offset + start, offset + end))
    return found


def _pipeline_sentences(nlp: Any, pieces: list[str]) -> Iterator[tuple[int, int, int]]:
    """``(piece, start, end)`` of each sentence as a trained pipeline finds them."""
    # a trained pipeline may lemmatise: sentences need no lemmas
    disabled = [name for name in ("lemmatizer",) if name in nlp.pipe_names]
    docs = nlp.pipe(pieces, batch_size=256, disable=disabled)
    for index, (piece, doc) in enumerate(zip(pieces, docs, strict=True)):
        for sentence in doc.sents:
            start, end = sentence.start_char, sentence.end_char
            while end > start and piece[end - 1].isspace():
                end -= 1
            if end > start:
                yield index, start, end


PIECES_PER_SLICE = 2_000  # paragraphs whose token arrays are in memory at once


def _rule_sentences_in_slices(nlp: Any, pieces: list[str]) -> Iterator[tuple[int, int, int]]:
    for first in range(0, len(pieces), PIECES_PER_SLICE):
        for index, start, end in _rule_sentences(nlp, pieces[first : first + PIECES_PER_SLICE]):
            yield first + index, start, end


def _rule_sentences(nlp: Any, pieces: list[str]) -> Iterator[tuple[int, int, int]]:
    """``(piece, start, end)`` of the sentencizer's sentences, from the tokenizer's
    arrays: a sentence starts at the first token of a piece, and at a token that is
    neither punctuation nor sentence-final when a sentence-final character came after
    the previous such token (spaCy's ``Sentencizer.predict`` keeps a flag instead)."""
    import numpy as np
    from spacy.attrs import IDX, IS_PUNCT, ORTH

    arrays = [doc.to_array([ORTH, IS_PUNCT, IDX]) for doc in nlp.tokenizer.pipe(pieces)]
    sizes = np.fromiter((len(array) for array in arrays), dtype=np.int64, count=len(arrays))
    if not sizes.sum():
        return
    tokens = np.concatenate([array for array in arrays if len(array)])
    del arrays
    piece_of = np.repeat(np.arange(len(pieces)), sizes)
    first = np.cumsum(sizes) - sizes  # each piece's first token
    final = _final_hashes(nlp)
    orth = tokens[:, 0]
    is_final = final[np.minimum(np.searchsorted(final, orth), len(final) - 1)] == orth
    ordinary = np.flatnonzero((tokens[:, 1] == 0) & ~is_final)
    finals = np.cumsum(is_final)  # sentence-final tokens up to and with each token
    # the count at the previous ordinary token of the piece, else before the piece
    before_piece = np.where(first > 0, finals[np.maximum(first - 1, 0)], 0)
    previous = np.empty(len(ordinary), dtype=finals.dtype)
    previous[1:] = finals[ordinary[:-1]]
    new_piece = np.ones(len(ordinary), dtype=bool)
    new_piece[1:] = piece_of[ordinary[1:]] != piece_of[ordinary[:-1]]
    previous[new_piece] = before_piece[piece_of[ordinary[new_piece]]]
    is_start = np.zeros(len(tokens), dtype=bool)
    is_start[ordinary[finals[ordinary] > previous]] = True
    is_start[first[sizes > 0]] = True
    starts = np.flatnonzero(is_start)
    start_piece = piece_of[starts]
    start_char = tokens[starts, 2].astype(np.int64)
    # a sentence runs to the next start in its piece, or to the piece's end
    last = np.append(start_piece[1:] != start_piece[:-1], True)
    lengths = np.fromiter((len(piece) for piece in pieces), dtype=np.int64, count=len(pieces))
    end_char = np.where(last, lengths[start_piece], np.append(start_char[1:], 0))
    for index, start, end in zip(
        start_piece.tolist(), start_char.tolist(), end_char.tolist(), strict=True
    ):
        end = start + len(pieces[index][start:end].rstrip())
        if end > start:
            yield index, start, end


@lru_cache(maxsize=4)
def _final_hashes(nlp: Any) -> Any:
    """The hashes of the sentencizer's sentence-final characters, as token ``ORTH``s."""
    import numpy as np

    chars = nlp.get_pipe("sentencizer").punct_chars
    return np.array(sorted(nlp.vocab.strings.add(char) for char in chars), dtype=np.uint64)


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


# Names the lemmatizer behind ``lemma``; the word index records it with the lemmas of
# its forms, which are found again when it changes, so stored lemmas always come from
# the tool that lemmatises queries.
LEMMATIZER = "simplemma-1"
