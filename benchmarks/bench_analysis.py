"""Analysis benchmarks (issue #10): matrices, co-occurrence and word counts over
1,000 transcripts / 1,000,000 words / 50,000 codings.

The corpus is ``benchmarks.corpus`` (1,000 transcripts x 1,000 words, 50,000 codings by
2 coders on 32 leaf codes in 8 groups), a text attribute ``county`` on every
transcript (odd "Skåne", even "Stockholm") set through ``services.attributes``.

* codes × transcripts: ``matrix(project, Request("codes", "transcripts"))`` (codings,
  40 code rows with the groups rolled up, totals). Floor: one ``sqlite3`` GROUP BY
  of the current versions' codings by code and transcript, then numpy adds each leaf's
  row into its group's row. Also the whole CLI command (`qualcode matrix codes
  transcripts --json`, a new process) against a process that runs the floor.
* codes × county with ``--where role:participant`` (passages). Floor: ``sqlite3``
  reads the codings, the participant turns and the county of each transcript; numpy
  cuts the codings to the turns (searchsorted) and counts distinct codings per code and
  county. It counts codings, not merged passages, and does no roll-up (a lower bound).
* co-occurrence 40 × 40 by overlap. Floor: ``sqlite3`` reads the codings; numpy finds
  every overlapping pair of codings of different codes (sorted starts, searchsorted)
  and counts pairs per code pair, without merging into passages or rolling up groups.
* word frequencies over every transcript (``word_frequencies``, lemmas off) against a
  floor of ``sqlite3`` + ``re.findall`` + ``collections.Counter`` over the same texts.

Method as in the other runners (``benchmarks.harness.alternate``): warm-up, then
service and floor alternate, median and p95, the load average beside each result.

CLI: ``python -m benchmarks.bench_analysis [--quick] [--json] [--seed N] [--workdir DIR]``.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.bench_coding import connect_floor, log
from benchmarks.corpus import build_corpus
from benchmarks.harness import (
    Result,
    alternate,
    arguments,
    corpus_summary,
    emit,
    make_result,
    report,
)
from qualcode.services import attributes, transcripts
from qualcode.services.analysis import CooccurrenceRequest, Request, cooccurrence, matrix
from qualcode.services.project import Project, open_project
from qualcode.store.engine import DB_FILENAME

TARGET_MATRIX_MS = 300.0
TARGET_CLI_MS = 1_000.0
TARGET_WHERE_MS = 500.0
TARGET_COOCCURRENCE_MS = 500.0
TARGET_WORDS_MS = 2_000.0
WORD = re.compile(r"\w+(?:[-'’]\w+)*")

CODINGS_SQL = """
    SELECT c.id, c.transcript_id, c.code_id, c.start, c."end"
    FROM codings c
    JOIN transcripts t ON t.id = c.transcript_id
    JOIN text_versions v ON v.id = c.version_id AND v.version = t.version
"""
GROUP_SQL = """
    SELECT c.code_id, c.transcript_id, COUNT(*)
    FROM codings c
    JOIN transcripts t ON t.id = c.transcript_id
    JOIN text_versions v ON v.id = c.version_id AND v.version = t.version
    GROUP BY c.code_id, c.transcript_id
"""
TURNS_SQL = """
    SELECT t.id, u.start, u."end"
    FROM turns u
    JOIN text_versions v ON v.id = u.version_id
    JOIN transcripts t ON t.id = v.transcript_id AND v.version = t.version
    JOIN speakers s ON s.id = u.speaker_id
    WHERE s.role = 'participant'
    ORDER BY t.id, u.start
"""
COUNTY_SQL = """
    SELECT av.transcript_id, av.value_text FROM attribute_values av
    JOIN attributes a ON a.id = av.attribute_id WHERE a.name = 'county'
"""
TEXTS_SQL = """
    SELECT v.text FROM transcripts t
    JOIN text_versions v ON v.transcript_id = t.id AND v.version = t.version
"""


@dataclass(frozen=True)
class Size:
    transcripts: int
    words: int
    codings: int
    runs: int
    warmup: int


FULL = Size(transcripts=1_000, words=1_000, codings=50_000, runs=11, warmup=2)
QUICK = Size(transcripts=50, words=500, codings=2_000, runs=3, warmup=1)


def codes_and_parents(connection: sqlite3.Connection) -> tuple[np.ndarray, int]:
    rows = connection.execute("SELECT id, parent_id FROM codes ORDER BY id").fetchall()
    size = max(r[0] for r in rows) + 1
    parent = np.full(size, -1, dtype=np.int64)
    for code_id, parent_id in rows:
        parent[code_id] = -1 if parent_id is None else parent_id
    return parent, size


def floor_matrix(connection: sqlite3.Connection) -> np.ndarray:
    rows = np.asarray(connection.execute(GROUP_SQL).fetchall(), dtype=np.int64)
    parent, codes = codes_and_parents(connection)
    width = int(rows[:, 1].max()) + 1
    table = np.zeros((codes, width), dtype=np.int64)
    np.add.at(table, (rows[:, 0], rows[:, 1]), rows[:, 2])
    has_parent = parent >= 0
    np.add.at(table, parent[has_parent], table[has_parent])
    return table


def floor_where(connection: sqlite3.Connection) -> np.ndarray:
    codings = np.asarray(connection.execute(CODINGS_SQL).fetchall(), dtype=np.int64)
    turns = np.asarray(connection.execute(TURNS_SQL).fetchall(), dtype=np.int64)
    county = dict(connection.execute(COUNTY_SQL).fetchall())
    # one line of positions: transcript * 10^8 + offset
    scale = 100_000_000
    starts = codings[:, 1] * scale + codings[:, 3]
    ends = codings[:, 1] * scale + codings[:, 4]
    turn_starts = turns[:, 0] * scale + turns[:, 1]
    turn_ends = turns[:, 0] * scale + turns[:, 2]
    first = np.searchsorted(turn_ends, starts, side="right")
    last = np.searchsorted(turn_starts, ends, side="left")
    inside = last > first
    names = sorted(set(county.values()))
    column = np.asarray([names.index(county[t]) for t in codings[:, 1]], dtype=np.int64)
    _, size = codes_and_parents(connection)
    table = np.zeros((size, len(names)), dtype=np.int64)
    np.add.at(table, (codings[inside, 2], column[inside]), 1)
    return table


def floor_cooccurrence(connection: sqlite3.Connection) -> np.ndarray:
    codings = np.asarray(connection.execute(CODINGS_SQL).fetchall(), dtype=np.int64)
    scale = 100_000_000
    starts = codings[:, 1] * scale + codings[:, 3]
    order = np.argsort(starts, kind="stable")
    starts = starts[order]
    ends = (codings[:, 1] * scale + codings[:, 4])[order]
    code = codings[order, 2]
    stop = np.searchsorted(starts, ends, side="left")
    after = np.maximum(stop - np.arange(1, len(starts) + 1), 0)
    i = np.repeat(np.arange(len(starts)), after)
    j = i + 1 + np.arange(int(after.sum())) - np.repeat(np.cumsum(after) - after, after)
    keep = code[i] != code[j]
    _, size = codes_and_parents(connection)
    table = np.zeros((size, size), dtype=np.int64)
    np.add.at(table, (code[i[keep]], code[j[keep]]), 1)
    return table + table.T


def floor_words(connection: sqlite3.Connection) -> Counter[str]:
    counts: Counter[str] = Counter()
    for (text,) in connection.execute(TEXTS_SQL):
        counts.update(word.lower() for word in WORD.findall(text))
    return counts


FLOOR_CLI = """
import json, sqlite3, sys
import numpy as np
c = sqlite3.connect(sys.argv[1])
rows = np.asarray(c.execute(sys.argv[2]).fetchall(), dtype=np.int64)
codes = c.execute("SELECT id, parent_id FROM codes").fetchall()
parent = np.full(max(r[0] for r in codes) + 1, -1)
for code_id, parent_id in codes:
    parent[code_id] = -1 if parent_id is None else parent_id
table = np.zeros((len(parent), int(rows[:, 1].max()) + 1), dtype=np.int64)
np.add.at(table, (rows[:, 0], rows[:, 1]), rows[:, 2])
np.add.at(table, parent[parent >= 0], table[parent >= 0])
json.dump({"cells": table.tolist()}, sys.stdout)
"""


def floor_cli(db_path: Path) -> None:
    """The floor above in a new process that imports only sqlite3 and numpy."""
    subprocess.run(
        [sys.executable, "-c", FLOOR_CLI, str(db_path), GROUP_SQL], check=True, capture_output=True
    )


def service_cli(directory: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "qualcode", "-p", str(directory), "matrix", "codes",
         "transcripts", "--json"],
        check=True,
        capture_output=True,
    )  # fmt: skip


def run(size: Size, workdir: Path, seed: int) -> tuple[dict[str, object], list[Result]]:
    log(f"building {size.transcripts} transcripts x {size.words} words, {size.codings} codings")
    corpus = build_corpus(
        workdir / "project",
        transcripts=size.transcripts,
        words=size.words,
        codings=size.codings,
        seed=seed,
    )
    directory = workdir / "project"
    with open_project(directory) as project:
        for number, transcript in enumerate(transcripts.list_transcripts(project), 1):
            value = "Skåne" if number % 2 else "Stockholm"
            attributes.set_attribute(
                project, "county", value, transcript=transcript.id, coder="bench"
            )
        results = measure(project, directory, size)
    return corpus_summary(corpus, attribute="county"), results


def measure(project: Project, directory: Path, size: Size) -> list[Result]:
    connection = connect_floor(directory / DB_FILENAME)
    results = []
    runs, warmup = size.runs, size.warmup

    log("codes × transcripts")
    found = matrix(project, Request("codes", "transcripts"))
    assert found.total == size.codings, (found.total, size.codings)
    service, floor = alternate(
        lambda: matrix(project, Request("codes", "transcripts")),
        lambda: floor_matrix(connection),
        runs=runs,
        warmup=warmup,
    )
    results.append(
        make_result(
            "matrix codes × transcripts (codings)",
            service,
            floor,
            target_ms=TARGET_MATRIX_MS,
            floor_name="sqlite3 GROUP BY code, transcript + numpy roll-up",
            rows=len(found.rows.labels) * len(found.columns.labels),
        )
    )
    log("the whole CLI command")
    service, floor = alternate(
        lambda: service_cli(directory),
        lambda: floor_cli(directory / DB_FILENAME),
        runs=max(3, runs // 2),
        warmup=1,
    )
    results.append(
        make_result(
            "CLI `qualcode matrix codes transcripts --json`",
            service,
            floor,
            target_ms=TARGET_CLI_MS,
            floor_name="a Python process running the floor above",
        )
    )

    log("codes × county --where role:participant")
    request = Request("codes", "attribute:county", "passages", where="role:participant")
    service, floor = alternate(
        lambda: matrix(project, request),
        lambda: floor_where(connection),
        runs=runs,
        warmup=warmup,
    )
    results.append(
        make_result(
            "matrix codes × county --where role:participant",
            service,
            floor,
            target_ms=TARGET_WHERE_MS,
            floor_name="sqlite3 codings + participant turns + numpy searchsorted, "
            "distinct codings, no merging or roll-up",
        )
    )

    log("co-occurrence 40 × 40 by overlap")
    found = cooccurrence(project, CooccurrenceRequest("overlap"))
    service, floor = alternate(
        lambda: cooccurrence(project, CooccurrenceRequest("overlap")),
        lambda: floor_cooccurrence(connection),
        runs=runs,
        warmup=warmup,
    )
    results.append(
        make_result(
            f"co-occurrence {len(found.rows.labels)} × {len(found.rows.labels)} by overlap",
            service,
            floor,
            target_ms=TARGET_COOCCURRENCE_MS,
            floor_name="sqlite3 codings + numpy overlapping pairs, no merging or roll-up",
        )
    )
    results += measure_words(project, connection, runs, warmup)
    connection.close()
    return results


def measure_words(
    project: Project, connection: sqlite3.Connection, runs: int, warmup: int
) -> list[Result]:
    try:
        from qualcode.services.words import WordRequest, word_frequencies
    except ImportError:
        return []
    log("word frequencies over every transcript")
    service, floor = alternate(
        lambda: word_frequencies(project, WordRequest(stop_words=False, min_length=1)),
        lambda: floor_words(connection),
        runs=max(3, runs // 2),
        warmup=1,
    )
    return [
        make_result(
            "word frequencies, whole corpus",
            service,
            floor,
            target_ms=TARGET_WORDS_MS,
            floor_name="sqlite3 texts + re.findall + Counter",
        )
    ]


def main() -> None:
    args = arguments("bench_analysis", __doc__ or "")
    size = QUICK if args.quick else FULL
    with tempfile.TemporaryDirectory(dir=args.workdir) as temp:
        os.environ.setdefault("QUALCODE_CODER", "bench")
        summary, results = run(size, Path(temp), args.seed)
    emit(report("analysis", quick=args.quick, corpus=summary, results=results), args.json)


if __name__ == "__main__":
    main()
