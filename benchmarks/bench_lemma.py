"""``lemma:`` search over the lemma index (issue 14, item 2), beside its floor.

Corpus: 1,000 transcripts x 1,000 words (``benchmarks.corpus``, no codings). The index
is built once (``services.lemmas.ensure_lemma_index``, timed and reported: it is what
the first ``lemma:`` query of a project pays), then, alternating:

* ``retrieve(project, "lemma:W")``: the whole search service (the index check, the
  index read, the documents, one passage per word found);
* ``lemma_spans(project, ["W"])``: the index read alone, as word lists and KWIC use it;
* the floor: ``sqlite3`` reading the same rows from the same index.

W is a word of middle frequency in the corpus (chosen from the index, reported).

    .venv/bin/python -m benchmarks.bench_lemma [--quick] [--json]
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from contextlib import closing
from pathlib import Path

from benchmarks.bench_coding import connect_floor, frozen_setup
from benchmarks.corpus import build_corpus
from benchmarks.harness import alternate, arguments, corpus_summary, emit, make_result, report
from qualcode.services.lemmas import ensure_lemma_index, lemma_spans
from qualcode.services.project import open_project
from qualcode.services.retrieval import retrieve

FLOOR_QUERY = (
    'SELECT v.transcript_id, l.start, l."end" FROM lemmas l'
    " JOIN text_versions v ON v.id = l.version_id"
    " JOIN transcripts t ON t.id = v.transcript_id AND t.version = v.version"
    " WHERE l.lemma = ? ORDER BY v.transcript_id, l.start"
)


def middle_word(connection: sqlite3.Connection) -> tuple[str, int]:
    """The median-frequency lemma among those occurring at least 100 times."""
    counted = connection.execute(
        "SELECT lemma, count(*) AS n FROM lemmas GROUP BY lemma HAVING n >= 100 ORDER BY n"
    ).fetchall()
    return counted[len(counted) // 2]


def main() -> None:
    args = arguments("python -m benchmarks.bench_lemma", __doc__.split("\n")[0])
    transcripts = 50 if args.quick else 1_000
    with tempfile.TemporaryDirectory(prefix="qualcode-bench-lemma-", dir=args.workdir) as tmp:
        corpus = build_corpus(
            Path(tmp) / "project", transcripts=transcripts, words=1_000, codings=0, seed=args.seed
        )
        with open_project(corpus.directory) as project:
            began = time.perf_counter()
            indexed = ensure_lemma_index(project)
            build_s = time.perf_counter() - began
            with closing(connect_floor(corpus.directory / "qualcode.db")) as connection:
                word, occurrences = middle_word(connection)
                words = connection.execute("SELECT count(*) FROM lemmas").fetchone()[0]
                runs = 5 if args.quick else 21
                with frozen_setup():
                    service, floor = alternate(
                        lambda: retrieve(project, f"lemma:{word}"),
                        lambda: connection.execute(FLOOR_QUERY, (word,)).fetchall(),
                        runs=runs,
                        warmup=2,
                    )
                    spans, floor2 = alternate(
                        lambda: lemma_spans(project, [word]),
                        lambda: connection.execute(FLOOR_QUERY, (word,)).fetchall(),
                        runs=runs,
                        warmup=2,
                    )
        results = [
            make_result(
                f"retrieve lemma:{word} ({occurrences} words)",
                service,
                floor,
                target_ms=150,
                floor_name="sqlite3: the same index rows",
                rows=occurrences,
            ),
            make_result(
                f"lemma_spans {word} (index read)",
                spans,
                floor2,
                target_ms=150,
                floor_name="sqlite3: the same index rows",
                rows=occurrences,
            ),
        ]
        summary = corpus_summary(
            corpus, indexed_versions=indexed, index_words=words, index_build_s=round(build_s, 1)
        )
    emit(report("lemma search", quick=args.quick, corpus=summary, results=results), args.json)


if __name__ == "__main__":
    main()
