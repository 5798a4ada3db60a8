"""``lemma:`` search and word frequencies over the word index (issue 14, item 2),
each beside its floor.

Corpus: 1,000 transcripts x 1,000 words (``benchmarks.corpus``, no codings). The corpus
builder writes rows directly, so its word index is built once here by the path an
existing project's migration and any unindexed text take (``services.lemmas.
ensure_lemma_index``, timed and reported); an import stores the index itself (timed
by ``bench_import``). Then, alternating with each floor:

* ``retrieve(project, "lemma:W")``: the whole search service (the index check, the
  forms whose lemma is a form of W, the words found in every text's forms, their
  offsets, the documents, one passage per word found); floor: ``sqlite3`` reading
  every current version's forms (what any search of the stored forms reads);
* ``lemma_spans(project, ["W"])``: the index read alone (exact lemma), same floor;
* ``word_frequencies`` over every transcript, as words and as lemmas (stop words left
  out, the 50 most frequent); floor: ``sqlite3`` reading every current version's word
  forms and counting them with ``collections.Counter`` (the least an index-based
  count does).

W is a lemma of middle frequency in the corpus (chosen from the index, reported).

    .venv/bin/python -m benchmarks.bench_lemma [--quick] [--json]
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from benchmarks.bench_coding import connect_floor, frozen_setup
from benchmarks.corpus import build_corpus
from benchmarks.harness import alternate, arguments, corpus_summary, emit, make_result, report
from qualcode.services.lemmas import ensure_lemma_index, lemma_spans
from qualcode.services.project import open_project
from qualcode.services.retrieval import retrieve
from qualcode.services.words import WordRequest, word_frequencies

CURRENT = (
    " FROM word_index w JOIN text_versions v ON v.id = w.version_id"
    " JOIN transcripts t ON t.id = v.transcript_id AND t.version = v.version"
)
WORDS_QUERY = f"SELECT w.words{CURRENT}"
FLOOR_QUERY = f"SELECT t.id, w.words{CURRENT} ORDER BY t.id"


def middle_word(connection: sqlite3.Connection) -> tuple[str, int]:
    """The median-frequency lemma among those occurring at least 100 times."""
    lemma_of = dict(connection.execute("SELECT form, lemma FROM word_lemmas"))
    counted: Counter[str] = Counter()
    for form, n in count_floor(connection).items():
        counted[lemma_of.get(form, form)] += n
    often = sorted((n, lemma) for lemma, n in counted.items() if n >= 100 and len(lemma) > 3)
    n, lemma = often[len(often) // 2]
    return lemma, n


def cpu_ms(call: Callable[[], object], runs: int) -> float:
    """The median CPU time of this process over ``runs`` calls (the machine is shared:
    wall time includes other engineers' work, CPU time does not)."""
    spent = []
    for _ in range(runs):
        began = time.process_time()
        call()
        spent.append((time.process_time() - began) * 1000)
    return statistics.median(spent)


def count_floor(connection: sqlite3.Connection) -> Counter[str]:
    counted: Counter[str] = Counter()
    for (words,) in connection.execute(WORDS_QUERY):
        counted.update(words.split(" "))
    return counted


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
                words = sum(len(w.split(" ")) for (w,) in connection.execute(WORDS_QUERY))
                runs = 5 if args.quick else 11
                with frozen_setup():
                    service, floor = alternate(
                        lambda: retrieve(project, f"lemma:{word}"),
                        lambda: connection.execute(FLOOR_QUERY).fetchall(),
                        runs=runs,
                        warmup=2,
                    )
                    spans, floor2 = alternate(
                        lambda: lemma_spans(project, [word]),
                        lambda: connection.execute(FLOOR_QUERY).fetchall(),
                        runs=runs,
                        warmup=2,
                    )
                    counts, floor3 = alternate(
                        lambda: word_frequencies(project, WordRequest()),
                        lambda: count_floor(connection),
                        runs=runs,
                        warmup=1,
                    )
                    lemma_counts, floor4 = alternate(
                        lambda: word_frequencies(project, WordRequest(lemmas=True)),
                        lambda: count_floor(connection),
                        runs=runs,
                        warmup=1,
                    )
                    cpu = {
                        name: cpu_ms(call, runs)
                        for name, call in (
                            ("retrieve", lambda: retrieve(project, f"lemma:{word}")),
                            ("spans", lambda: lemma_spans(project, [word])),
                            ("words", lambda: word_frequencies(project, WordRequest())),
                            (
                                "lemmas",
                                lambda: word_frequencies(project, WordRequest(lemmas=True)),
                            ),
                        )
                    }
        floor_name = "sqlite3: every version's forms"
        count_floor_name = "sqlite3: every version's forms + Counter"
        results = [
            make_result(
                f"retrieve lemma:{word} ({occurrences} words)",
                service,
                floor,
                target_ms=150,
                floor_name=floor_name,
                rows=occurrences,
                note=f"CPU median {cpu['retrieve']:.1f} ms",
            ),
            make_result(
                f"lemma_spans {word} (index read)",
                spans,
                floor2,
                target_ms=150,
                floor_name=floor_name,
                rows=occurrences,
                note=f"CPU median {cpu['spans']:.1f} ms",
            ),
            make_result(
                f"word_frequencies, words ({words} words)",
                counts,
                floor3,
                target_ms=500,
                floor_name=count_floor_name,
                rows=words,
                note=f"CPU median {cpu['words']:.1f} ms",
            ),
            make_result(
                f"word_frequencies, lemmas ({words} words)",
                lemma_counts,
                floor4,
                target_ms=500,
                floor_name=count_floor_name,
                rows=words,
                note=f"CPU median {cpu['lemmas']:.1f} ms",
            ),
        ]
        summary = corpus_summary(
            corpus, indexed_versions=indexed, index_words=words, index_build_s=round(build_s, 1)
        )
    emit(
        report("lemma search and word counts", quick=args.quick, corpus=summary, results=results),
        args.json,
    )


if __name__ == "__main__":
    main()
