"""The lemma index as a use case: built when first needed, then read by ``lemma:``
search (and, later, word lists and KWIC) instead of lemmatising every transcript.

Building reads the texts in one transaction, lemmatises outside any transaction and
writes each batch in a short one, so other writers wait milliseconds, not minutes.
The index is derived data (it follows from the text and the lemmatizer), so building it
records no event and undo never touches it.
"""

from __future__ import annotations

from collections.abc import Collection

from qualcode.services.project import Project
from qualcode.store.repositories import lemmas as lemma_repo
from qualcode.store.repositories import project as project_repo

BATCH = 50  # text versions lemmatised, then written, per write transaction


def ensure_lemma_index(project: Project) -> int:
    """Index every current text version not yet indexed; how many were indexed."""
    from qualcode import nlp  # spaCy only when the index needs building

    with project.database.read() as session:
        missing = lemma_repo.unindexed(session, nlp.LEMMATIZER)
        setting = project_repo.get_project(session).settings.get("spacy_pipeline")
    trained = str(setting) if setting else None
    for first in range(0, len(missing), BATCH):
        with project.database.read() as session:
            batch = lemma_repo.texts(session, missing[first : first + BATCH])
        built = []
        for language in sorted({language for _, language, _ in batch}):
            same = [(vid, text) for vid, lang, text in batch if lang == language]
            lemmatised = nlp.word_lemmas([text for _, text in same], language, trained)
            built += [(vid, words) for (vid, _), words in zip(same, lemmatised, strict=True)]
        with project.database.write() as session:
            still = set(lemma_repo.unindexed(session, nlp.LEMMATIZER))
            # another process may have built some meanwhile
            fresh = [(version_id, words) for version_id, words in built if version_id in still]
            lemma_repo.drop_indexes(session, [version_id for version_id, _ in fresh])
            lemma_repo.add_indexes(session, nlp.LEMMATIZER, fresh)
    return len(missing)


def lemma_spans(
    project: Project, lemmas: Collection[str], transcript_ids: Collection[int] | None = None
) -> dict[str, dict[int, list[tuple[int, int]]]]:
    """lemma (lower case) -> transcript id -> ``(start, end)`` of each word with that
    lemma in the transcript's current text, from the index (built first if needed)."""
    ensure_lemma_index(project)
    with project.database.read() as session:
        return lemma_repo.spans(session, {lemma.lower() for lemma in lemmas}, transcript_ids)
