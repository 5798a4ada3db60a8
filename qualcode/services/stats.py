"""Project figures: transcripts, words, codings per code, coder and transcript."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from qualcode.domain.spans import covered_length
from qualcode.services.project import Project
from qualcode.store.repositories import codes as code_repo
from qualcode.store.repositories import codings as coding_repo
from qualcode.store.repositories import transcripts as transcript_repo


@dataclass(frozen=True)
class ProjectStats:
    transcripts: int
    words: int
    codes: int
    codings: int
    by_code: dict[str, int]
    by_coder: dict[str, int]
    by_transcript: dict[str, int]
    coded_share: dict[str, dict[str, float]]  # transcript -> coder -> share of characters coded
    by_transcript_coder: dict[str, dict[str, int]]  # transcript -> coder -> codings


def project_stats(project: Project) -> ProjectStats:
    with project.database.read() as session:
        transcripts = transcript_repo.list_transcripts(session)
        codes = code_repo.list_codes(session)
        codings = coding_repo.coding_spans(session)
    lengths = {t.title: t.length for t in transcripts}
    covered: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for title, coder, _, start, end in codings:
        covered.setdefault((title, coder), []).append((start, end))
    share: dict[str, dict[str, float]] = {}
    for (title, coder), spans in covered.items():
        share.setdefault(title, {})[coder] = covered_length(spans) / max(lengths[title], 1)
    return ProjectStats(
        transcripts=len(transcripts),
        words=sum(t.word_count for t in transcripts),
        codes=len(codes),
        codings=len(codings),
        by_code=dict(Counter(key for _, _, key, _, _ in codings).most_common()),
        by_coder=dict(Counter(coder for _, coder, _, _, _ in codings).most_common()),
        by_transcript=dict(Counter(title for title, _, _, _, _ in codings).most_common()),
        coded_share=share,
        by_transcript_coder={
            title: {coder: len(spans) for (t, coder), spans in covered.items() if t == title}
            for title in share
        },
    )
