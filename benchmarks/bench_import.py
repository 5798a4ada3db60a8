"""Import benchmark: ``import_folder`` on a million words, beside spaCy alone.

A seeded synthetic corpus of focus-group transcripts (pseudo-Swedish words from
``benchmarks.corpus``; ``Moderator 1:`` / ``Socialsekreterare A:`` turns of one to
three paragraphs, some longer than a segment) is written as ``.txt`` files into a
temporary folder, then the folder is imported into a fresh SQLite project with
``services.folder_import.import_folder`` as one call, as ``qualcode import DIR`` does
(``--per-file``: ``import_file`` file by file, each beside its floor, as before).

Two floors, each over the same paragraph segments the importer splits (found by
``domain.turns.find_turns`` and ``segments``, timed on their own): spaCy's blank
pipeline with the sentencizer (``nlp.pipe`` at the importer's old batch size: "the
same pipeline alone", as issue 14 names it), and spaCy's tokenizer alone (the least
any spaCy-based split does; the importer applies the sentencizer's rule to the
tokenizer's arrays). Each floor runs before and after the import; the mean is
reported. The ratio importer words per second / floor words per second is the share
of the import time spent in spaCy itself; the target is at least ``TARGET_RATIO``.

Method: the pipeline is loaded and run once over the whole corpus before timing (so
spaCy's vocabulary holds every word for both sides), and one warm-up file is imported
into a throwaway project. Each timed call reads ``time.perf_counter_ns`` (wall),
``time.process_time_ns`` (this process's CPU) and the CPU of child processes that
ended (the importer's reading process, when it started one); an untimed
``gc.collect()`` runs before each.

Memory: the process's peak resident set size, ``resource.getrusage(RUSAGE_SELF)
.ru_maxrss`` (KiB on Linux), at the end of the run: the runner's own (it also holds
the corpus for the floors); ``/usr/bin/time`` around ``qualcode import DIR`` gives a
user's. The resident size (``VmRSS``) before and after the timed import shows what
importing adds.

The import stores each text's word index (its word forms and offsets, issue 14
item 2) in the same transactions; the runner checks afterwards that no text version
lacks it.

Words are the generated spoken words (speaker labels and header lines not counted),
the same number for both sides.

CLI: ``python -m benchmarks.bench_import [--quick] [--json] [--seed N] [--workdir DIR]
[--files N] [--words N] [--per-file] [--lemmas]``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from itertools import accumulate, pairwise
from pathlib import Path
from typing import Any, TypeVar

import spacy

from benchmarks.bench_coding import frozen_setup, log, machine_info
from benchmarks.corpus import _sentences, make_vocabulary
from qualcode import nlp
from qualcode.domain.text import normalise
from qualcode.domain.turns import find_turns, segments
from qualcode.services.folder_import import import_folder, plan_folder
from qualcode.services.importing import import_file
from qualcode.services.lemmas import ensure_word_index
from qualcode.services.project import Project, init_project

TARGET_RATIO = 0.9  # issue 14: one import at least 0.9 of the pipeline alone
LANGUAGE = "sv"
BATCH_SIZE = 256  # as in qualcode.nlp.sentence_spans
MODERATORS = ("Moderator 1", "Moderator 2")
PARTICIPANTS = tuple(f"Socialsekreterare {letter}" for letter in "ABCDEF")
MODERATOR_WORDS = (5, 30)
PARTICIPANT_WORDS = (20, 150)
LONG_TURN_WORDS = (300, 500)  # one paragraph, longer than a 2,000-character segment
LONG_TURN_SHARE = 0.05
PARAGRAPHS_PER_TURN = (1, 1, 1, 2, 2, 3)
T = TypeVar("T")


@dataclass(frozen=True)
class Size:
    files: int
    words: int  # spoken words per file


FULL = Size(files=100, words=10_000)
QUICK = Size(files=10, words=2_000)


@dataclass
class Stopwatch:
    """Wall and CPU time summed over calls."""

    wall_ns: int = 0
    cpu_ns: int = 0
    worker_cpu_ns: int = 0  # of worker processes the call started and ended

    def time(self, call: Callable[[], T]) -> T:
        gc.collect()
        wall, cpu, workers = time.perf_counter_ns(), time.process_time_ns(), _children_ns()
        result = call()
        self.cpu_ns += time.process_time_ns() - cpu
        self.worker_cpu_ns += _children_ns() - workers
        self.wall_ns += time.perf_counter_ns() - wall
        return result

    def as_dict(self, words: int) -> dict[str, float]:
        return {
            "wall_s": round(self.wall_ns / 1e9, 3),
            "cpu_s": round(self.cpu_ns / 1e9, 3),
            "worker_cpu_s": round(self.worker_cpu_ns / 1e9, 3),
            "words_per_s": round(words / (self.wall_ns / 1e9)) if self.wall_ns else 0,
        }


def _children_ns() -> int:
    """CPU time of this process's ended child processes (a pool's workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return round((children.ru_utime + children.ru_stime) * 1e9)


@dataclass
class Measured:
    """What the timed pass over the corpus saw."""

    importer: Stopwatch = field(default_factory=Stopwatch)
    floor: Stopwatch = field(default_factory=Stopwatch)
    tokenizer: Stopwatch = field(default_factory=Stopwatch)
    full_pipeline: Stopwatch = field(default_factory=Stopwatch)
    segmenting: Stopwatch = field(default_factory=Stopwatch)
    turns: int = 0
    segments: int = 0
    sentences: int = 0


# --- the corpus ----------------------------------------------------------------


def make_transcript(
    rng: random.Random, vocabulary: list[str], cumulative: list[float], number: int, words: int
) -> str:
    """A focus group of exactly ``words`` spoken words: a header line, then turns."""
    blocks = [f"Fokusgrupp {number:03d}, 2025-{number % 12 + 1:02d}-{number % 28 + 1:02d}"]
    remaining = words
    for label in _speakers(rng):
        if remaining == 0:
            break
        size = min(remaining, _turn_words(rng, label))
        blocks.append(_turn(rng, label, rng.choices(vocabulary, cum_weights=cumulative, k=size)))
        remaining -= size
    text = "\n\n".join(blocks) + "\n"
    if normalise(text) != text:
        raise AssertionError("generated text is not canonical")
    return text


def _speakers(rng: random.Random) -> Iterator[str]:
    """Endless speaking order: a moderator, then one to three participants, again and
    again; one or two moderators and three to six participants per group."""
    moderators = MODERATORS[: rng.choice((1, 1, 2))]
    participants = rng.sample(PARTICIPANTS, rng.randint(3, len(PARTICIPANTS)))
    while True:
        yield rng.choice(moderators)
        yield from rng.choices(participants, k=rng.randint(1, 3))


def _turn_words(rng: random.Random, label: str) -> int:
    if label in MODERATORS:
        return rng.randint(*MODERATOR_WORDS)
    if rng.random() < LONG_TURN_SHARE:
        return rng.randint(*LONG_TURN_WORDS)
    return rng.randint(*PARTICIPANT_WORDS)


def _turn(rng: random.Random, label: str, spoken: list[str]) -> str:
    """``Label: `` and the words as sentences in paragraphs separated by blank lines
    (a long turn stays one paragraph, so the importer has to split it)."""
    count = 1 if len(spoken) > PARTICIPANT_WORDS[1] else rng.choice(PARAGRAPHS_PER_TURN)
    count = min(count, len(spoken))
    cuts = [len(spoken) * part // count for part in range(count + 1)]
    paragraphs = [_sentences(rng, spoken[a:b]) for a, b in pairwise(cuts)]
    return f"{label}: " + "\n\n".join(paragraphs)


def write_corpus(folder: Path, size: Size, seed: int) -> list[Path]:
    """``size.files`` transcripts as UTF-8 ``.txt`` files in ``folder``."""
    rng = random.Random(seed)
    vocabulary = make_vocabulary(rng)
    cumulative = list(accumulate(1 / rank for rank in range(1, len(vocabulary) + 1)))
    folder.mkdir()
    paths = []
    for number in range(1, size.files + 1):
        path = folder / f"fokusgrupp_{number:03d}.txt"
        path.write_text(
            make_transcript(rng, vocabulary, cumulative, number, size.words), encoding="utf-8"
        )
        paths.append(path)
    return paths


# --- the two sides -------------------------------------------------------------


def find_segments(text: str) -> tuple[int, list[tuple[int, int]]]:
    """The number of turns and the ``(start, end)`` of each paragraph segment, as the
    importer finds them."""
    turns = find_turns(text)
    return len(turns), [(start, end) for start, end, _ in segments(text, turns)]


def run_floor(
    pipeline: Any, text: str, spans: list[tuple[int, int]], *, lemmas: bool = False
) -> None:
    """spaCy alone: every segment through the components the importer runs (the
    sentencizer; it leaves the lemmatizer out, as lemmas are not stored), each
    ``Doc`` dropped. ``lemmas`` runs the whole pipeline as ``nlp.pipeline`` builds it."""
    skip = () if lemmas else ("lemmatizer",)
    disabled = [name for name in skip if name in pipeline.pipe_names]
    pieces = (text[start:end] for start, end in spans)
    for _doc in pipeline.pipe(pieces, batch_size=BATCH_SIZE, disable=disabled):
        pass


def warm_up(pipeline: Any, paths: Sequence[Path], folder: Path) -> None:
    """Fill spaCy's vocabulary with the whole corpus and import one file into a
    throwaway project (reader modules, SQLAlchemy mappers, statement compilation)."""
    for path in paths:
        text = path.read_text(encoding="utf-8")
        run_floor(pipeline, text, find_segments(text)[1])
    with init_project(folder, language=LANGUAGE, name="warm-up") as project:
        import_file(project, paths[0], mode="focus_group", language=LANGUAGE)


def measure(
    project: Project, pipeline: Any, paths: Sequence[Path], *, lemmas: bool = False
) -> Measured:
    """Import each file and run the floor on its segments; which side goes first
    alternates from file to file."""
    measured = Measured()
    for index, path in enumerate(paths):
        text = path.read_text(encoding="utf-8")
        turns, spans = measured.segmenting.time(partial(find_segments, text))
        importing = partial(import_file, project, path, mode="focus_group", language=LANGUAGE)
        floor = partial(run_floor, pipeline, text, spans)
        floor_first = index % 2 == 1
        if floor_first:
            measured.floor.time(floor)
        report = measured.importer.time(importing)
        if not floor_first:
            measured.floor.time(floor)
        if lemmas:
            full = nlp.pipeline(LANGUAGE)
            measured.full_pipeline.time(partial(run_floor, full, text, spans, lemmas=True))
        if report.turns != turns:
            raise AssertionError(
                f"{path.name}: the importer found {report.turns} turns, not {turns}"
            )
        measured.turns += turns
        measured.segments += len(spans)
        measured.sentences += report.units
    return measured


def run_tokenizer(pipeline: Any, text: str, spans: list[tuple[int, int]]) -> None:
    """spaCy's tokenizer alone over the segments: the least work a spaCy-based import
    of sentences can do (the importer applies the sentencizer's rule to its arrays)."""
    for _doc in pipeline.tokenizer.pipe(text[start:end] for start, end in spans):
        pass


def measure_folder(
    project: Project, pipeline: Any, folder: Path, paths: Sequence[Path]
) -> Measured:
    """``import_folder`` over the whole folder as one call (what ``qualcode import DIR``
    runs), between two runs of each floor over every segment of every file."""
    measured = Measured()
    texts = [path.read_text(encoding="utf-8") for path in paths]
    found = [measured.segmenting.time(partial(find_segments, text)) for text in texts]
    joined = "".join(texts)
    spans: list[tuple[int, int]] = []
    offset = 0
    for text, (_, segments_of) in zip(texts, found, strict=True):
        spans += [(offset + start, offset + end) for start, end in segments_of]
        offset += len(text)
    floors = (
        (measured.floor, partial(run_floor, pipeline, joined, spans)),
        (measured.tokenizer, partial(run_tokenizer, pipeline, joined, spans)),
    )
    for watch, floor in floors:
        watch.time(floor)
    plan = plan_folder(folder)
    done = measured.importer.time(
        partial(import_folder, project, plan, mode="focus_group", language=LANGUAGE)
    )
    for watch, floor in floors:
        watch.time(floor)
    for watch, _ in floors:  # the mean of the two runs
        watch.wall_ns //= 2
        watch.cpu_ns //= 2
    if done.failed or len(done.imported) != len(paths):
        raise AssertionError(f"not every file imported: {done.failed[:3]}")
    # the word index is stored by the import itself (issue 14, item 2)
    if ensure_word_index(project):
        raise AssertionError("the import left text versions without their word index")
    reports = dict(done.imported)
    for path, (turns, segments_of) in zip(paths, found, strict=True):
        report = reports[path]
        if report.turns != turns:
            raise AssertionError(
                f"{path.name}: the importer found {report.turns} turns, not {turns}"
            )
        measured.turns += turns
        measured.segments += len(segments_of)
        measured.sentences += report.units
    return measured


def peak_rss_mib() -> float:
    """This process's peak resident set size so far (``ru_maxrss``, KiB on Linux)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def current_rss_mib() -> float | None:
    """This process's resident set size now (``VmRSS``; Linux only, else None)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def load_average() -> list[float]:
    return [round(load, 2) for load in os.getloadavg()]


# --- running and reporting -----------------------------------------------------


def run(
    size: Size,
    *,
    seed: int = 0,
    workdir: Path | None = None,
    lemmas: bool = False,
    per_file: bool = False,
) -> dict[str, Any]:
    """Write the corpus to a temporary folder, warm up, measure, return the report."""
    load_at_start = load_average()
    with tempfile.TemporaryDirectory(prefix="qualcode-bench-import-", dir=workdir) as temp:
        folder = Path(temp)
        log(f"writing {size.files} files x {size.words} words")
        began = time.perf_counter()
        paths = write_corpus(folder / "transcripts", size, seed)
        written_s = time.perf_counter() - began
        log("loading spaCy and warming up")
        began = time.perf_counter()
        pipeline = nlp.sentence_pipeline(LANGUAGE)  # the importer's own cached pipeline
        load_s = time.perf_counter() - began
        began = time.perf_counter()
        warm_up(pipeline, paths, folder / "warm-up")
        warm_up_s = time.perf_counter() - began
        rss_before = current_rss_mib()
        with init_project(folder / "project", language=LANGUAGE) as project, frozen_setup():
            if per_file:
                log(f"importing {size.files} files one by one, each beside its floor")
                measured = measure(project, pipeline, paths, lemmas=lemmas)
            else:
                log(f"importing the folder of {size.files} files, between the floors")
                measured = measure_folder(project, pipeline, folder / "transcripts", paths)
        rss_after = current_rss_mib()
        corpus_bytes = sum(path.stat().st_size for path in paths)
    return make_report(
        size,
        measured,
        method="import_file per file" if per_file else "import_folder",
        corpus={
            "files": size.files,
            "words_per_file": size.words,
            "words": size.files * size.words,
            "bytes": corpus_bytes,
            "turns": measured.turns,
            "segments": measured.segments,
            "sentences": measured.sentences,
            "seed": seed,
        },
        setup={
            "corpus_written_s": round(written_s, 2),
            "spacy_load_s": round(load_s, 2),
            "warm_up_s": round(warm_up_s, 2),
        },
        memory={
            "peak_rss_mib": peak_rss_mib(),
            "rss_before_import_mib": rss_before,
            "rss_after_import_mib": rss_after,
        },
        load={"start": load_at_start, "end": load_average()},
    )


def make_report(
    size: Size,
    measured: Measured,
    *,
    method: str,
    corpus: dict[str, Any],
    setup: dict[str, float],
    memory: dict[str, float | None],
    load: dict[str, list[float]],
) -> dict[str, Any]:
    words = corpus["words"]
    ratio = measured.floor.wall_ns / measured.importer.wall_ns
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": size == QUICK,
        "method": method,
        "machine": {**machine_info(), "spacy": spacy.__version__},
        "load_average": load,
        "corpus": corpus,
        "setup": setup,
        "importer": measured.importer.as_dict(words),
        "floor": measured.floor.as_dict(words),
        "tokenizer": measured.tokenizer.as_dict(words),
        "tokenizer_ratio": round(measured.tokenizer.wall_ns / measured.importer.wall_ns, 3)
        if measured.tokenizer.wall_ns
        else None,
        "full_pipeline": measured.full_pipeline.as_dict(words),
        "full_pipeline_ratio": round(measured.full_pipeline.wall_ns / measured.importer.wall_ns, 3)
        if measured.full_pipeline.wall_ns
        else None,
        "segmenting": measured.segmenting.as_dict(words),
        "memory": memory,
        # importer wps / floor wps = floor time / importer time (same words)
        "ratio": round(ratio, 3),
        # the importer's CPU with its reading process's
        "cpu_ratio": round(
            measured.floor.cpu_ns / (measured.importer.cpu_ns + measured.importer.worker_cpu_ns),
            3,
        ),
        "target_ratio": TARGET_RATIO,
        "passed": ratio >= TARGET_RATIO,
    }


def format_table(report: dict[str, Any]) -> str:
    machine, corpus, setup = report["machine"], report["corpus"], report["setup"]
    load = report["load_average"]
    lines = [
        f"qualcode import benchmark, {report['date']} ({'quick' if report['quick'] else 'full'})",
        f"machine: {machine['cpu_model']}, {machine['cpu_count']} CPUs,"
        f" Python {machine['python']}, SQLite {machine['sqlite']},"
        f" SQLAlchemy {machine['sqlalchemy']}, spaCy {machine['spacy']}",
        f"load average (1/5/15 min): {load['start']} at start, {load['end']} at end",
        f"corpus: {corpus['files']} files x {corpus['words_per_file']:,} words ="
        f" {corpus['words']:,} words ({corpus['bytes'] / 1e6:.1f} MB), seed {corpus['seed']};"
        f" {corpus['turns']:,} turns, {corpus['segments']:,} segments,"
        f" {corpus['sentences']:,} sentences",
        f"setup (untimed): files written in {setup['corpus_written_s']} s,"
        f" spaCy loaded in {setup['spacy_load_s']} s, warm-up {setup['warm_up_s']} s",
        "",
        f"{'':<34} {'wall s':>8} {'cpu s':>8} {'workers':>8} {'words/s':>10}",
    ]
    for key, name in (
        ("importer", report["method"]),
        ("floor", "floor: spaCy nlp.pipe on segments"),
        ("tokenizer", "floor: spaCy tokenizer alone"),
        ("full_pipeline", "spaCy with its lemmatizer too"),
        ("segmenting", "find_turns + segments (neither)"),
    ):
        side = report[key]
        if not side["wall_s"]:
            continue
        lines.append(
            f"{name:<34} {side['wall_s']:>8.2f} {side['cpu_s']:>8.2f}"
            f" {side['worker_cpu_s']:>8.2f} {side['words_per_s']:>10,}"
        )
    memory = report["memory"]
    lines += [
        "",
        f"ratio importer / floor words per second: {report['ratio']:.2f}"
        f" (CPU time: {report['cpu_ratio']:.2f}); target >= {report['target_ratio']}:"
        f" {'pass' if report['passed'] else 'FAIL'}",
        f"ratio importer / tokenizer alone: {report['tokenizer_ratio']}",
        f"ratio importer / whole pipeline (sentencizer + lemmatizer, --lemmas):"
        f" {report['full_pipeline_ratio']}",
        f"peak memory (ru_maxrss, whole process): {memory['peak_rss_mib']:.0f} MiB;"
        f" resident (VmRSS) {memory['rss_before_import_mib']} MiB before the timed imports,"
        f" {memory['rss_after_import_mib']} MiB after",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_import", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="10 files x 2,000 words: a smoke test")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--workdir", type=Path, help="where to write files and project (default: temp)"
    )
    parser.add_argument("--files", type=int, help="number of files (default 100)")
    parser.add_argument("--words", type=int, help="spoken words per file (default 10,000)")
    parser.add_argument(
        "--lemmas", action="store_true", help="also time the whole pipeline (loads lemma tables)"
    )
    parser.add_argument(
        "--per-file",
        action="store_true",
        help="import_file file by file, each beside its floor (default: import_folder once)",
    )
    args = parser.parse_args(argv)
    size = QUICK if args.quick else FULL
    if args.files or args.words:
        size = Size(files=args.files or size.files, words=args.words or size.words)
    report = run(
        size, seed=args.seed, workdir=args.workdir, lemmas=args.lemmas, per_file=args.per_file
    )
    print(json.dumps(report, indent=2) if args.json else format_table(report))


if __name__ == "__main__":
    main()
